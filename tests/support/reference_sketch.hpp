// Slow, obviously correct references for the sketch and index fast paths, plus generators of
// sets with a known exact Jaccard similarity. Tests only.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "index/lsh.hpp"
#include "neardup/sketch.hpp"

namespace neardup::reference {

// |A ∩ B| / |A ∪ B| over distinct values; 0 for two empty sets (the library's convention).
inline double exact_jaccard(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b) {
  const std::set<std::uint64_t> set_a(a.begin(), a.end());
  const std::set<std::uint64_t> set_b(b.begin(), b.end());
  std::size_t common = 0;
  for (const std::uint64_t x : set_a) common += set_b.count(x);
  const std::size_t all = set_a.size() + set_b.size() - common;
  return all == 0 ? 0.0 : static_cast<double>(common) / static_cast<double>(all);
}

inline int hamming(std::uint64_t a, std::uint64_t b) {
  int distance = 0;
  for (int bit = 0; bit < 64; ++bit) distance += ((a >> bit) & 1) != ((b >> bit) & 1);
  return distance;
}

// Pairs (i < j) of sketches, numbered by position, whose values agree on every row of some band.
// Empty sets are left out, as the index does.
inline std::vector<std::pair<std::uint32_t, std::uint32_t>> band_sharing_pairs(
    const std::vector<MinHashSketch>& sketches, const detail::BandingParams& banding) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  for (std::uint32_t i = 0; i < sketches.size(); ++i) {
    for (std::uint32_t j = i + 1; j < sketches.size(); ++j) {
      if (sketches[i].empty_set() || sketches[j].empty_set()) continue;
      for (std::uint32_t band = 0; band < banding.bands; ++band) {
        const auto first = std::size_t{band} * banding.rows;
        if (std::equal(sketches[i].values().begin() + first, sketches[i].values().begin() + first + banding.rows,
                       sketches[j].values().begin() + first)) {
          pairs.emplace_back(i, j);
          break;
        }
      }
    }
  }
  return pairs;
}

// Pairs (i < j) of hashes, numbered by position, within max_distance bits.
inline std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs_within(const std::vector<std::uint64_t>& hashes,
                                                                         int max_distance) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  for (std::uint32_t i = 0; i < hashes.size(); ++i) {
    for (std::uint32_t j = i + 1; j < hashes.size(); ++j) {
      if (hamming(hashes[i], hashes[j]) <= max_distance) pairs.emplace_back(i, j);
    }
  }
  return pairs;
}

// For naming parametrised tests.
inline std::string scheme_name(MinHashScheme scheme) {
  return scheme == MinHashScheme::classic ? "classic" : "oph";
}

struct SetPair {
  std::vector<std::uint64_t> a;
  std::vector<std::uint64_t> b;
};

// Two sets whose union has union_size random elements, round(similarity * union_size) of them
// shared and the rest split evenly between the two. Measure the result with exact_jaccard.
inline SetPair random_set_pair(std::mt19937_64& rng, std::size_t union_size, double similarity) {
  const auto common = static_cast<std::size_t>(similarity * static_cast<double>(union_size) + 0.5);
  const std::size_t only_a = (union_size - common) / 2;
  SetPair pair;
  for (std::size_t i = 0; i < union_size; ++i) {
    const std::uint64_t x = rng();
    if (i < common) {
      pair.a.push_back(x);
      pair.b.push_back(x);
    } else if (i < common + only_a) {
      pair.a.push_back(x);
    } else {
      pair.b.push_back(x);
    }
  }
  return pair;
}

}  // namespace neardup::reference
