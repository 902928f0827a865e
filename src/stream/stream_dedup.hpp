// Streaming deduplication (neardup::deduplicate_inputs) with the chunk size as a parameter, so
// that tests can make chunk boundaries fall anywhere.
#pragma once

#include <cstddef>

#include "neardup/pipeline.hpp"

namespace neardup::detail {

// Documents per chunk: enough to keep both cores busy between the decisions in input order,
// few enough that the chunk's texts and shingles stay a few megabytes.
inline constexpr std::size_t dedup_chunk_size = 4096;

StreamedDedup deduplicate_in_chunks(const std::vector<std::string>& paths, const ReadOptions& read_options,
                                    const PipelineOptions& options, const DedupSinks& sinks, std::size_t chunk_size);

}  // namespace neardup::detail
