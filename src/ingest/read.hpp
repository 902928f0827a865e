// The JSON Lines reader on bytes in memory, and the document size limit, for tests and fuzzing.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "neardup/ingest.hpp"

namespace neardup::detail {

// Longest document text kept, in bytes (see neardup/ingest.hpp).
inline constexpr std::size_t max_document_bytes = std::size_t{64} << 20;

// Reads `bytes` as the contents of a JSON Lines file named `source`, exactly as read_inputs
// would read such a file (encoding checks, byte order mark, every line rule, duplicate ids).
ReadResult read_jsonl_buffer(std::string_view bytes, const std::string& source, const ReadOptions& options);

}  // namespace neardup::detail
