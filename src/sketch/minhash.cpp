// MinHash sketches: one-permutation hashing with optimal densification, and the classic
// k-function scheme that serves as its reference.
#include <algorithm>
#include <cstdio>
#include <limits>

#include "neardup/error.hpp"
#include "neardup/sketch.hpp"
#include "sketch/hash.hpp"

namespace neardup {
namespace {

constexpr std::uint64_t empty_slot = std::numeric_limits<std::uint64_t>::max();
// Salts keep the derived hash families (bin probes, per-function seeds) unrelated to the
// shingle hash family even though all are derived from the one user seed.
constexpr std::uint64_t probe_salt = 0x64656e7369667921ULL;
constexpr std::uint64_t function_salt = 0x636c617373696321ULL;

__extension__ using Uint128 = unsigned __int128;  // __extension__: -Wpedantic accepts the GCC type

// Multiply-shift maps a uniform 64-bit value to [0, n) by its top bits without a division.
std::uint32_t reduce(std::uint64_t x, std::uint32_t n) noexcept {
  return static_cast<std::uint32_t>((static_cast<Uint128>(x) * n) >> 64);
}

// Optimal densification (Shrivastava, ICML 2017): each empty bin copies the value of the first
// originally non-empty bin along its own seeded probe sequence. The sequence depends only on
// (bin, attempt) and the seed, so two sets with the same empty bins copy from the same places,
// which keeps the collision probability of every bin equal to the Jaccard similarity.
// Expected cost O(k^2 / filled): only sparse documents pay, and they are small.
void densify(std::vector<std::uint64_t>& values, std::uint64_t seed) {
  const auto k = static_cast<std::uint32_t>(values.size());
  std::vector<std::uint8_t> filled(k);
  std::uint32_t filled_count = 0;
  for (std::uint32_t i = 0; i < k; ++i) {
    filled[i] = values[i] != empty_slot;
    filled_count += filled[i];
  }
  if (filled_count == 0 || filled_count == k) return;
  const std::uint64_t probe_seed = detail::mix64(seed, probe_salt);
  for (std::uint32_t bin = 0; bin < k; ++bin) {
    if (filled[bin]) continue;
    for (std::uint64_t attempt = 0;; ++attempt) {
      const std::uint32_t source = reduce(detail::mix64((std::uint64_t{bin} << 32) | attempt, probe_seed), k);
      if (filled[source]) {
        values[bin] = values[source];
        break;
      }
    }
  }
}

std::vector<std::uint64_t> one_permutation(std::span<const std::uint64_t> shingles, const MinHashParams& params) {
  std::vector<std::uint64_t> values(params.k, empty_slot);
  for (const std::uint64_t shingle : shingles) {
    const std::uint64_t h = detail::mix64(shingle, params.seed);
    std::uint64_t& slot = values[reduce(h, params.k)];
    slot = std::min(slot, h);
  }
  densify(values, params.seed);
  return values;
}

std::vector<std::uint64_t> classic(std::span<const std::uint64_t> shingles, const MinHashParams& params) {
  std::vector<std::uint64_t> values(params.k, empty_slot);
  std::vector<std::uint64_t> seeds(params.k);
  for (std::uint32_t i = 0; i < params.k; ++i) seeds[i] = detail::mix64(i, params.seed ^ function_salt);
  for (const std::uint64_t shingle : shingles) {
    for (std::uint32_t i = 0; i < params.k; ++i) values[i] = std::min(values[i], detail::mix64(shingle, seeds[i]));
  }
  return values;
}

}  // namespace

std::string MinHashParams::to_string() const {
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "minhash(k=%u,seed=0x%llx,scheme=%s)", static_cast<unsigned>(k),
                static_cast<unsigned long long>(seed), scheme == MinHashScheme::classic ? "classic" : "oph");
  return buffer;
}

bool MinHashSketch::empty_set() const noexcept {
  return std::all_of(values_.begin(), values_.end(), [](std::uint64_t v) { return v == empty_slot; });
}

double MinHashSketch::jaccard(const MinHashSketch& other) const {
  if (params_ != other.params_) {
    throw Error(ErrorCode::incompatible_sketch, "cannot compare MinHash sketches: expected " + params_.to_string() +
                                                    " but got " + other.params_.to_string());
  }
  if (values_.size() != params_.k || other.values_.size() != params_.k) {
    throw Error(ErrorCode::incompatible_sketch,
                "cannot compare MinHash sketches: expected " + std::to_string(params_.k) + " values but got " +
                    std::to_string(values_.size()) + " and " + std::to_string(other.values_.size()));
  }
  // Two empty sets would match in every slot; they share nothing, so they are not duplicates.
  if (empty_set() && other.empty_set()) return 0.0;
  std::uint32_t equal = 0;
  for (std::size_t i = 0; i < values_.size(); ++i) equal += values_[i] == other.values_[i];
  return static_cast<double>(equal) / params_.k;
}

MinHashSketch minhash(std::span<const std::uint64_t> shingle_hashes, const MinHashParams& params) {
  if (params.k == 0) throw Error(ErrorCode::usage, "MinHash needs k >= 1 but got " + params.to_string());
  return MinHashSketch(params, params.scheme == MinHashScheme::classic ? classic(shingle_hashes, params)
                                                                       : one_permutation(shingle_hashes, params));
}

}  // namespace neardup
