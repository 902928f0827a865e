// neardup/ingest.hpp: reading documents from files, folders and standard input.
//
//   neardup::ReadOptions options;
//   options.on_error = neardup::OnError::skip;
//   neardup::ReadResult read = neardup::read_inputs({"corpus.jsonl", "pages/"}, options);
//   // read.documents in input order; read.rejected says what was skipped and why.
//
// Inputs:
//   - a JSON Lines file (*.jsonl, *.ndjson, *.json): one object a line with a string or integer
//     id, a string text and an optional string language, in the fields ReadOptions::fields
//     names ("id", "text", "lang" by default); other fields are carried in Document::extra.
//   - a file compressed with gzip or zstd, recognised by its magic bytes whatever its name:
//     decompressed as a stream, then read by these rules ("x.jsonl.gz" is JSON Lines; a name
//     that says nothing, such as "x.gz", is JSON Lines when its first non-blank byte is '{').
//   - any other file: one plain-text document, id = file name without its extension. Files that
//     are plainly something else (bzip2, xz, zip, 7z, Parquet, .csv and .tsv tables) are bad
//     input, with a message that says what to do.
//   - a folder: every regular file below it, in sorted path order, by the rules above.
//   - "-": standard input, read as a stream by the same rules (JSON Lines when its first
//     non-blank byte is '{', else one text document with id "stdin").
// Bad input (invalid UTF-8, an empty or blank document, a malformed JSON line, a missing or
// ill-typed field, a duplicate id): with OnError::fail an InputError naming file and line is
// thrown; with OnError::skip the document is left out and recorded in ReadResult::rejected.
// A path that cannot be opened is always an Error(ErrorCode::io).
// A document longer than 64 MiB (its text, in bytes) is cut to its first 64 MiB, at a character
// boundary, and recorded in ReadResult::warnings: the later stages need several times a
// document's size in memory, so one huge file must not take the whole run down. Of a text file
// no more than that is read; a JSON line is held whole while it is parsed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "neardup/document.hpp"

namespace neardup {

enum class OnError { fail, skip };

// Where a JSON line holds a document's id, text and language: a field name, or a dotted path
// into nested objects ("meta.lang").
struct FieldNames {
  std::string id = "id";
  std::string text = "text";
  std::string lang = "lang";
};

struct ReadOptions {
  OnError on_error = OnError::fail;
  FieldNames fields;
  // Keep every JSON line as read in Document::original_line, to write kept lines unchanged.
  bool keep_lines = false;
};

struct Rejected {
  std::string source;
  std::uint64_t line = 0;   // 0 for a whole-file document
  std::string id;           // empty when it could not be read
  std::string reason;       // the same text an InputError would carry
  std::string raw;          // the rejected line as read; empty for a whole file
};

// A document that was read, but not as it was given (cut to the size limit).
struct Warning {
  std::string source;
  std::uint64_t line = 0;  // 0 for a whole-file document
  std::string id;
  std::string message;
};

struct ReadResult {
  std::vector<Document> documents;
  std::vector<Rejected> rejected;
  std::vector<Warning> warnings;  // about documents that are in `documents`
};

ReadResult read_inputs(const std::vector<std::string>& paths, const ReadOptions& options);

}  // namespace neardup
