// The JSON Lines reader on bytes in memory, and the document size limit, for tests and fuzzing;
// reading documents one at a time, and again, for streaming deduplication.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/spool.hpp"
#include "neardup/ingest.hpp"

namespace neardup::detail {

// Longest document text kept, in bytes (see neardup/ingest.hpp).
inline constexpr std::size_t max_document_bytes = std::size_t{64} << 20;

// Reads `bytes` as the contents of a JSON Lines file named `source`, exactly as read_inputs
// would read such a file (encoding checks, byte order mark, every line rule, duplicate ids).
ReadResult read_jsonl_buffer(std::string_view bytes, const std::string& source, const ReadOptions& options);

// Where a document was read: enough to read it again instead of keeping its text.
struct DocumentLocation {
  // Of its JSON line in the source (0 for a whole-file document), or of its record in the
  // spool when the source is spooled.
  std::uint64_t offset = 0;
  std::uint32_t source = 0;  // index into StreamedInputs::sources
  std::uint32_t line = 0;    // Document::line
};

using DocumentSink = std::function<void(Document&&, const DocumentLocation&)>;

struct StreamedInputs {
  std::vector<std::string> sources;  // every file read, in order ("-" for standard input)
  // Per source: its documents are read again from the spool, not from the source. Standard
  // input cannot be read twice, nor a compressed file at an offset.
  std::vector<bool> spooled;
  std::shared_ptr<Spool> spool;  // null when no source is spooled
  ReadOptions options;           // as the inputs were read, to read them again alike
  std::vector<Rejected> rejected;
  std::vector<Warning> warnings;
};

// Reads as read_inputs does (same documents, order, rejections and warnings), but hands each
// document to `sink` as soon as it is read instead of keeping it. The reader still keeps every
// id, to reject duplicates. What cannot be read again where it is (standard input, compressed
// files) is copied to a compressed temporary file, removed when the inputs are destroyed or
// the process ends.
StreamedInputs stream_inputs(const std::vector<std::string>& paths, const ReadOptions& options, const DocumentSink& sink);

// The document at `location`, read again by the same rules, with its line kept
// (Document::original_line). Throws Error(io) or InputError when the source changed since.
Document read_again(const StreamedInputs& inputs, const DocumentLocation& location);

// The text of read_again(inputs, location), for when nothing else is needed: a JSON line is
// parsed for its text field alone, without building the object (about a quarter less time than
// read_again on the dev set). A line that no longer reads as a document goes to read_again,
// which throws.
std::string read_text_again(const StreamedInputs& inputs, const DocumentLocation& location);

}  // namespace neardup::detail
