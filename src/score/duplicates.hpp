// Same-text duplicates: identical normalised text, or word-shingle Jaccard over a threshold
// (LSH candidates, verified exactly).
#pragma once

#include <cstdint>
#include <vector>

#include "neardup/pipeline.hpp"
#include "shingle/features.hpp"

namespace neardup::detail {

struct DuplicatePair {
  std::uint32_t a = 0;  // a < b
  std::uint32_t b = 0;
  Relation relation = Relation::near_duplicate;
  double jaccard = 0.0;
};

// Exact Jaccard of two sorted, unique shingle lists.
double jaccard(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b);

// The SimHash Hamming distance that stands for a word-shingle Jaccard threshold.
int simhash_distance_for(double jaccard_threshold);

std::vector<DuplicatePair> find_duplicates(const std::vector<PreparedDocument>& documents, const PipelineOptions& options);

}  // namespace neardup::detail
