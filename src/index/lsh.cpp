// LSH banding over MinHash sketches and pigeonhole Hamming tables over SimHashes.
#include "index/lsh.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "neardup/error.hpp"
#include "sketch/hash.hpp"

namespace neardup::detail {
namespace {

using Pair = std::pair<std::uint32_t, std::uint32_t>;

void sort_unique(std::vector<std::uint32_t>& docs) {
  std::sort(docs.begin(), docs.end());
  docs.erase(std::unique(docs.begin(), docs.end()), docs.end());
}

void sort_unique(std::vector<Pair>& pairs) {
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
}

Pair ordered(std::uint32_t a, std::uint32_t b) noexcept { return a < b ? Pair{a, b} : Pair{b, a}; }

// Midpoint rule: the integrands are smooth S-curves, and 200 steps put the error far below the
// differences between neighbouring (bands, rows) choices.
template <typename F>
double integrate(double from, double to, F&& f) {
  constexpr int steps = 200;
  const double width = (to - from) / steps;
  double sum = 0.0;
  for (int i = 0; i < steps; ++i) sum += f(from + (i + 0.5) * width);
  return sum * width;
}

}  // namespace

double candidate_probability(const BandingParams& params, double s) {
  s = std::clamp(s, 0.0, 1.0);
  return 1.0 - std::pow(1.0 - std::pow(s, params.rows), params.bands);
}

BandingParams choose_banding(std::uint32_t k, double threshold, double fp_weight) {
  if (k == 0 || !(threshold > 0.0 && threshold < 1.0) || !(fp_weight >= 0.0 && fp_weight <= 1.0)) {
    throw Error(ErrorCode::usage, "choose_banding needs k >= 1, 0 < threshold < 1 and 0 <= fp_weight <= 1 but got k=" +
                                      std::to_string(k) + ", threshold=" + std::to_string(threshold) +
                                      ", fp_weight=" + std::to_string(fp_weight));
  }
  BandingParams best{1, 1};
  double best_error = std::numeric_limits<double>::infinity();
  for (std::uint32_t bands = 1; bands <= k; ++bands) {
    for (std::uint32_t rows = 1; bands * rows <= k; ++rows) {
      const BandingParams candidate{bands, rows};
      const auto p = [&](double s) { return candidate_probability(candidate, s); };
      const double false_positives = integrate(0.0, threshold, p);
      const double false_negatives = integrate(threshold, 1.0, [&](double s) { return 1.0 - p(s); });
      const double error = fp_weight * false_positives + (1.0 - fp_weight) * false_negatives;
      if (error < best_error) {
        best_error = error;
        best = candidate;
      }
    }
  }
  return best;
}

MinHashLshIndex::MinHashLshIndex(MinHashParams sketch_params, BandingParams banding)
    : sketch_params_(sketch_params), banding_(banding), bands_(banding.bands) {
  const std::uint64_t slots = std::uint64_t{banding.bands} * banding.rows;
  if (slots == 0 || slots > sketch_params.k) {
    throw Error(ErrorCode::usage, "LSH banding needs 1 <= bands * rows <= k but got bands=" +
                                      std::to_string(banding.bands) + ", rows=" + std::to_string(banding.rows) +
                                      " for " + sketch_params.to_string());
  }
}

void MinHashLshIndex::check(const MinHashSketch& sketch) const {
  if (sketch.params() != sketch_params_ || sketch.values().size() != sketch_params_.k) {
    throw Error(ErrorCode::incompatible_sketch, "LSH index: expected " + sketch_params_.to_string() + " but got " +
                                                    sketch.params().to_string() + " with " +
                                                    std::to_string(sketch.values().size()) + " values");
  }
}

std::uint64_t band_key(const std::uint64_t* slot_values, std::uint32_t band, std::uint32_t rows) noexcept {
  return hash64(slot_values + std::size_t{band} * rows, rows * sizeof(std::uint64_t), band);
}

void MinHashLshIndex::insert(std::uint32_t doc, const MinHashSketch& sketch) {
  check(sketch);
  ++size_;
  if (sketch.empty_set()) return;
  docs_.push_back(doc);
  for (std::uint32_t band = 0; band < banding_.bands; ++band) bands_[band].add(band_key(sketch.values().data(), band, banding_.rows));
}

void MinHashLshIndex::reserve(std::size_t more) {
  docs_.reserve(docs_.size() + more);
  for (ChainedBuckets& band : bands_) band.reserve(docs_.size() + more);
}

std::size_t MinHashLshIndex::bytes() const noexcept {
  std::size_t bytes = docs_.capacity() * sizeof(std::uint32_t);
  for (const ChainedBuckets& band : bands_) bytes += band.bytes();
  return bytes;
}

std::vector<std::uint32_t> MinHashLshIndex::query(const MinHashSketch& sketch) const {
  check(sketch);
  std::vector<std::uint32_t> found;
  if (sketch.empty_set()) return found;
  for (std::uint32_t band = 0; band < banding_.bands; ++band) {
    bands_[band].for_each_entry(band_key(sketch.values().data(), band, banding_.rows), [&](std::uint32_t entry) { found.push_back(docs_[entry]); });
  }
  sort_unique(found);
  return found;
}

std::vector<Pair> MinHashLshIndex::candidate_pairs() const {
  std::vector<Pair> pairs;
  std::vector<std::uint32_t> entries;
  for (const ChainedBuckets& band : bands_) {
    band.for_each_bucket(entries, [&](std::vector<std::uint32_t>& bucket) {
      // In the order of their documents, as for_each_bucket_couple wants them.
      std::sort(bucket.begin(), bucket.end(), [&](std::uint32_t x, std::uint32_t y) { return docs_[x] < docs_[y]; });
      for_each_bucket_couple(bucket.size(), [&](std::size_t i, std::size_t j) {
        if (docs_[bucket[i]] != docs_[bucket[j]]) pairs.push_back(ordered(docs_[bucket[i]], docs_[bucket[j]]));
      });
    });
  }
  sort_unique(pairs);
  return pairs;
}

std::size_t MinHashLshIndex::size() const noexcept { return size_; }

SimHashIndex::SimHashIndex(std::uint64_t seed, int max_distance) : seed_(seed), max_distance_(max_distance) {
  if (max_distance < 0 || max_distance > 63) {
    throw Error(ErrorCode::usage,
                "SimHash index needs 0 <= max_distance <= 63 but got " + std::to_string(max_distance));
  }
  // Two hashes within max_distance bits differ in at most max_distance of the max_distance + 1
  // disjoint blocks, so they agree exactly on at least one block and meet in that block's table.
  const auto count = static_cast<unsigned>(max_distance) + 1;
  unsigned shift = 0;
  for (unsigned i = 0; i < count; ++i) {
    const unsigned width = 64 / count + (i < 64 % count ? 1 : 0);
    blocks_.push_back({shift, width == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << width) - 1});
    shift += width;
  }
  tables_.resize(count);
}

void SimHashIndex::check(const SimHash& hash) const {
  if (hash.seed() != seed_) {
    char message[128];
    std::snprintf(message, sizeof message, "SimHash index: expected simhash(seed=0x%llx) but got simhash(seed=0x%llx)",
                  static_cast<unsigned long long>(seed_), static_cast<unsigned long long>(hash.seed()));
    throw Error(ErrorCode::incompatible_sketch, message);
  }
}

void SimHashIndex::insert(std::uint32_t doc, const SimHash& hash) {
  check(hash);
  docs_.push_back(doc);
  bits_.push_back(hash.bits());
  for (std::size_t b = 0; b < blocks_.size(); ++b) tables_[b].add(block_value(hash.bits(), blocks_[b]));
}

std::vector<std::uint32_t> SimHashIndex::query(const SimHash& hash) const {
  check(hash);
  std::vector<std::uint32_t> found;
  for (std::size_t b = 0; b < blocks_.size(); ++b) {
    tables_[b].for_each_entry(block_value(hash.bits(), blocks_[b]), [&](std::uint32_t entry) {
      if (std::popcount(bits_[entry] ^ hash.bits()) <= max_distance_) found.push_back(docs_[entry]);
    });
  }
  sort_unique(found);
  return found;
}

std::vector<Pair> SimHashIndex::candidate_pairs() const {
  std::vector<Pair> pairs;
  std::vector<std::uint32_t> entries;
  for (const ChainedBuckets& table : tables_) {
    table.for_each_bucket(entries, [&](const std::vector<std::uint32_t>& bucket) {
      for (std::size_t i = 0; i < bucket.size(); ++i) {
        for (std::size_t j = i + 1; j < bucket.size(); ++j) {
          const std::uint32_t a = docs_[bucket[i]];
          const std::uint32_t b = docs_[bucket[j]];
          if (a != b && std::popcount(bits_[bucket[i]] ^ bits_[bucket[j]]) <= max_distance_) {
            pairs.push_back(ordered(a, b));
          }
        }
      }
    });
  }
  sort_unique(pairs);
  return pairs;
}

std::size_t SimHashIndex::size() const noexcept { return docs_.size(); }

}  // namespace neardup::detail
