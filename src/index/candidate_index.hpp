// An index that grows a document at a time and answers "which documents added so far could be a
// near-duplicate of this one?", for streaming dedup, which decides each document against those
// kept before it. MinHash band keys in one KeyTable per band (4 bytes a slot), or SimHash in
// Hamming tables. Batch, which has every document at once, asks MinHashLshIndex for all pairs.
#pragma once

#include <cstdint>
#include <vector>

#include "index/key_table.hpp"
#include "index/lsh.hpp"
#include "neardup/sketch.hpp"

namespace neardup::detail {

// What the candidates are sought by: the duplicate stage chooses the bands or the distance for
// its measure and threshold (score/duplicates.hpp, candidate_search).
struct CandidateSearch {
  SketchKind sketch = SketchKind::minhash;
  MinHashParams minhash{};
  BandingParams banding{};      // for MinHash
  std::uint64_t simhash_seed = 0;
  int simhash_distance = 0;     // for SimHash
};

// Lookups may run from many threads while nothing is added.
class CandidateIndex {
 public:
  CandidateIndex(const CandidateSearch& search, std::uint32_t max_documents);

  // What the document is indexed and looked up by: band keys, or the SimHash bits. None for a
  // document without shingles, which batch leaves out of the index as well (its sketch agrees
  // with every other empty one, yet the similarity is 0).
  std::vector<std::uint64_t> keys(const std::vector<std::uint64_t>& shingles) const;

  void add(const std::vector<std::uint64_t>& keys, std::uint32_t document);

  // Documents sharing a band (or within the Hamming distance), ascending, each once.
  std::vector<std::uint32_t> candidates(const std::vector<std::uint64_t>& keys) const;

 private:
  CandidateSearch search_;
  std::vector<KeyTable> bands_;
  SimHashIndex simhash_;
};

}  // namespace neardup::detail
