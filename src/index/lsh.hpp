// Candidate generation for same-language duplicates: LSH banding over MinHash sketches and
// Hamming tables over SimHashes. Both return candidates only; the caller verifies them.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "base/flat_map.hpp"
#include "neardup/sketch.hpp"

namespace neardup::detail {

// The key of one band of MinHash slot values (rows values from band * rows on), hashed in host
// byte order: what MinHashLshIndex files a document under, and what a distributed run groups
// documents by (python/module.cpp), so that both find the same candidates.
std::uint64_t band_key(const std::uint64_t* slot_values, std::uint32_t band, std::uint32_t rows) noexcept;

// A multimap from 64-bit keys to entry numbers 0, 1, 2, ... in insertion order: a hash map to the
// newest entry of each key plus, per entry, a link to the previous entry with the same key. This
// costs one map slot per distinct key and 4 bytes per entry, where a vector per key would cost a
// heap allocation per (document, band) in the common case of unique keys.
class ChainedBuckets {
 public:
  void add(std::uint64_t key) {
    std::uint32_t& newest = newest_.find_or_insert(key);
    previous_.push_back(newest);
    newest = static_cast<std::uint32_t>(previous_.size() - 1);
  }
  void reserve(std::size_t entries) {
    newest_.reserve(entries);
    previous_.reserve(entries);
  }
  std::size_t bytes() const noexcept { return newest_.bytes() + previous_.capacity() * sizeof(std::uint32_t); }
  // Calls visit(entry) for every entry with the key, newest first.
  template <typename Visit>
  void for_each_entry(std::uint64_t key, Visit&& visit) const {
    walk(newest_.find(key), visit);
  }
  // Calls visit(entries) once per key with all its entries, newest first; scratch is reused.
  template <typename Visit>
  void for_each_bucket(std::vector<std::uint32_t>& scratch, Visit&& visit) const {
    newest_.for_each([&](std::uint64_t, std::uint32_t newest) {
      scratch.clear();
      walk(newest, [&](std::uint32_t entry) { scratch.push_back(entry); });
      visit(scratch);
    });
  }

 private:
  static constexpr std::uint32_t no_entry = FlatU64Map::none;
  template <typename Visit>
  void walk(std::uint32_t entry, Visit&& visit) const {
    for (; entry != no_entry; entry = previous_[entry]) visit(entry);
  }
  FlatU64Map newest_;
  std::vector<std::uint32_t> previous_;
};

// MinHash buckets larger than this are compared as a star and a chain, not couple by couple.
inline constexpr std::size_t max_clique_bucket = 1000;

// The couples of one MinHash bucket to verify, as positions i < j in its documents sorted
// ascending: every couple of a bucket up to max_clique_bucket; in a larger one, each document
// with the first and with the one before it. Copies of one text are filed once (find_duplicates
// indexes one per group), so a bucket that large is nearly always near-copies of a template (a
// page differing in a number, posted 100,000 times), which the star and the chain join in time
// linear in the group where every couple would cost its square (5 billion pairs for 100,000); a
// member that is not a near-copy of the first may still meet the others in its other bands. The
// command and the Dask shuffle take their candidates from here. SimHash tables are not cut so:
// their short blocks make large buckets of unrelated documents on any corpus.
template <typename Visit>
void for_each_bucket_couple(std::size_t size, Visit&& visit) {
  if (size <= max_clique_bucket) {
    for (std::size_t i = 0; i < size; ++i)
      for (std::size_t j = i + 1; j < size; ++j) visit(i, j);
    return;
  }
  for (std::size_t j = 1; j < size; ++j) {
    visit(std::size_t{0}, j);
    if (j >= 2) visit(j - 1, j);
  }
}

struct BandingParams {
  std::uint32_t bands = 0;
  std::uint32_t rows = 0;
};

// Bands and rows with bands * rows <= k that minimise the weighted error of the S-curve
// P(s) = 1 - (1 - s^rows)^bands around the threshold t: the integral of P over [0, t]
// (false positives) times fp_weight plus the integral of 1 - P over [t, 1] (false negatives)
// times (1 - fp_weight).
BandingParams choose_banding(std::uint32_t k, double threshold, double fp_weight = 0.5);

// Probability that a pair of Jaccard similarity s becomes a candidate.
double candidate_probability(const BandingParams& params, double s);

class MinHashLshIndex {
 public:
  // Throws Error(usage) unless 1 <= bands * rows <= sketch_params.k.
  MinHashLshIndex(MinHashParams sketch_params, BandingParams banding);
  // Documents are numbered by the caller; sketches must have the index's parameters
  // (Error(incompatible_sketch) otherwise). Sketches of empty sets are counted but not indexed:
  // they agree in every band yet have similarity 0, and would make one quadratic bucket.
  void insert(std::uint32_t doc, const MinHashSketch& sketch);
  // Room for that many more sketches without rehashing, for bulk loads.
  void reserve(std::size_t more);
  // Documents sharing at least one band with the sketch, each once, ascending.
  std::vector<std::uint32_t> query(const MinHashSketch& sketch) const;
  // The pairs (a < b) of inserted documents sharing a band that for_each_bucket_couple picks,
  // each once, sorted.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> candidate_pairs() const;
  std::size_t size() const noexcept;
  std::size_t bytes() const noexcept;  // of its tables, capacity-based

 private:
  void check(const MinHashSketch& sketch) const;

  MinHashParams sketch_params_;
  BandingParams banding_;
  std::vector<std::uint32_t> docs_;     // entry number -> document, shared by all bands
  std::vector<ChainedBuckets> bands_;   // per band: band key -> entries
  std::size_t size_ = 0;
};

class SimHashIndex {
 public:
  // Finds all stored hashes within max_distance bits by the pigeonhole principle: the 64 bits
  // are cut into max_distance + 1 blocks, one table per block.
  // Throws Error(usage) unless 0 <= max_distance <= 63.
  SimHashIndex(std::uint64_t seed, int max_distance);
  // Hashes must carry the index's seed (Error(incompatible_sketch) otherwise).
  void insert(std::uint32_t doc, const SimHash& hash);
  std::vector<std::uint32_t> query(const SimHash& hash) const;  // verified distance <= max
  // Every pair (a < b) of inserted documents within max_distance bits, each once, sorted.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> candidate_pairs() const;
  std::size_t size() const noexcept;

 private:
  struct Block {
    unsigned shift;
    std::uint64_t mask;
  };
  void check(const SimHash& hash) const;
  static std::uint64_t block_value(std::uint64_t bits, const Block& block) noexcept {
    return (bits >> block.shift) & block.mask;
  }

  std::uint64_t seed_;
  int max_distance_;
  std::vector<Block> blocks_;
  std::vector<std::uint32_t> docs_;  // entry number -> document
  std::vector<std::uint64_t> bits_;  // entry number -> hash bits
  std::vector<ChainedBuckets> tables_;  // per block: block value -> entries
};

}  // namespace neardup::detail
