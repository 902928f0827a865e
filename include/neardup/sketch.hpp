// neardup/sketch.hpp: MinHash and SimHash sketches of a set of shingle hashes.
//
//   neardup::MinHashParams params;            // k = 128, one-permutation with densification
//   auto a = neardup::minhash(shingles_a, params);
//   auto b = neardup::minhash(shingles_b, params);
//   double j = a.jaccard(b);                  // estimate of |A∩B| / |A∪B|
//
//   auto s = neardup::simhash(shingles_a, weights_a, /*seed=*/7);
//   int d = s.distance(neardup::simhash(shingles_b, weights_b, 7));   // Hamming, 0..64
//
// Sketches are immutable values that carry their parameters; comparing two made with different
// parameters throws Error(ErrorCode::incompatible_sketch) naming both.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace neardup {

// How near-duplicate candidates are found (both are verified exactly by the measure afterwards):
// MinHash with LSH banding tuned to the threshold, or 64-bit SimHash within the Hamming distance
// that the threshold implies (cheaper sketches; many more candidates at low thresholds).
enum class SketchKind : std::uint8_t { minhash, simhash };

enum class MinHashScheme : std::uint8_t {
  one_permutation,  // one hash per shingle, k bins, empty bins filled by optimal densification
  classic,          // k independent hash functions: the slow reference
};

struct MinHashParams {
  std::uint32_t k = 128;
  std::uint64_t seed = 0x6e656172647570ULL;
  MinHashScheme scheme = MinHashScheme::one_permutation;
  bool operator==(const MinHashParams&) const = default;
  std::string to_string() const;  // e.g. "minhash(k=128,seed=0x...,scheme=oph)"
};

class MinHashSketch {
 public:
  MinHashSketch(MinHashParams params, std::vector<std::uint64_t> values)
      : params_(params), values_(std::move(values)) {}
  const MinHashParams& params() const noexcept { return params_; }
  const std::vector<std::uint64_t>& values() const noexcept { return values_; }
  bool empty_set() const noexcept;  // made from no shingles
  // Fraction of equal slots: an unbiased estimate of Jaccard similarity. Two empty sets give 0.
  double jaccard(const MinHashSketch& other) const;

 private:
  MinHashParams params_;
  std::vector<std::uint64_t> values_;  // k values; UINT64_MAX in every slot for an empty set
};

// Shingle hashes may repeat; duplicates do not change the sketch. O(n + k).
MinHashSketch minhash(std::span<const std::uint64_t> shingle_hashes, const MinHashParams& params);

class SimHash {
 public:
  SimHash(std::uint64_t bits, std::uint64_t seed) : bits_(bits), seed_(seed) {}
  std::uint64_t bits() const noexcept { return bits_; }
  std::uint64_t seed() const noexcept { return seed_; }
  int distance(const SimHash& other) const;  // Hamming distance; incompatible seeds throw
  double similarity(const SimHash& other) const { return 1.0 - distance(other) / 64.0; }

 private:
  std::uint64_t bits_;
  std::uint64_t seed_;
};

// Weighted 64-bit SimHash (Charikar): weights.size() == hashes.size(), or empty for weight 1.
SimHash simhash(std::span<const std::uint64_t> hashes, std::span<const float> weights, std::uint64_t seed);

}  // namespace neardup
