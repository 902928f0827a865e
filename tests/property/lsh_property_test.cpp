// LSH banding against its formula and both indexes against brute force.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "index/lsh.hpp"
#include "neardup/sketch.hpp"
#include "support/reference_sketch.hpp"

namespace neardup::detail {
namespace {

class LshCandidateRateTest : public testing::TestWithParam<MinHashScheme> {};

// The S-curve is a statement about independent slots; both schemes must honour it in practice.
TEST_P(LshCandidateRateTest, MeasuredRateMatchesCandidateProbability) {
  const MinHashParams params{128, 21, GetParam()};
  const BandingParams banding = choose_banding(128, 0.5);
  std::mt19937_64 rng(22);
  for (const double s : {0.2, 0.4, 0.5, 0.6, 0.8}) {
    constexpr int pairs = 2000;
    int candidates = 0;
    for (int i = 0; i < pairs; ++i) {
      const auto pair = reference::random_set_pair(rng, GetParam() == MinHashScheme::classic ? 200 : 2000, s);
      MinHashLshIndex index(params, banding);
      index.insert(0, minhash(pair.a, params));
      index.insert(1, minhash(pair.b, params));
      candidates += !index.candidate_pairs().empty();
    }
    EXPECT_NEAR(static_cast<double>(candidates) / pairs, candidate_probability(banding, s), 0.04)
        << "s = " << s << ", bands = " << banding.bands << ", rows = " << banding.rows;
  }
}

INSTANTIATE_TEST_SUITE_P(Lsh, LshCandidateRateTest,
                         testing::Values(MinHashScheme::one_permutation, MinHashScheme::classic),
                         [](const auto& param_info) { return reference::scheme_name(param_info.param); });

TEST(LshBandingPropertyTest, ChosenBandingFitsAndCentresOnTheThreshold) {
  std::uint32_t previous_rows = 0;
  for (const double threshold : {0.3, 0.5, 0.7, 0.9}) {
    const BandingParams banding = choose_banding(128, threshold);
    EXPECT_GE(banding.bands, 1U);
    EXPECT_GE(banding.rows, 1U);
    EXPECT_LE(banding.bands * banding.rows, 128U);
    EXPECT_GT(banding.rows, previous_rows) << "threshold " << threshold;
    previous_rows = banding.rows;
    EXPECT_GT(candidate_probability(banding, threshold), 0.2) << threshold;
    EXPECT_LT(candidate_probability(banding, threshold), 0.9) << threshold;
    EXPECT_LT(candidate_probability(banding, threshold - 0.2), 0.2) << threshold;
    EXPECT_GT(candidate_probability(banding, std::min(threshold + 0.1, 1.0)), 0.8) << threshold;
  }
  const BandingParams half = choose_banding(128, 0.5);
  EXPECT_GT(candidate_probability(half, 0.5), 0.3);
  EXPECT_LT(candidate_probability(half, 0.5), 0.8);
}

// Weighting false positives more pushes the curve right: fewer candidates below the threshold.
TEST(LshBandingPropertyTest, FalsePositiveWeightShiftsTheCurve) {
  const BandingParams strict = choose_banding(128, 0.5, 0.9);
  const BandingParams loose = choose_banding(128, 0.5, 0.1);
  EXPECT_LT(candidate_probability(strict, 0.4), candidate_probability(loose, 0.4));
}

// Clusters of near-copies and unrelated documents, plus a few empty ones.
std::vector<std::vector<std::uint64_t>> clustered_documents(std::mt19937_64& rng, int clusters, int per_cluster) {
  std::vector<std::vector<std::uint64_t>> documents;
  std::uniform_real_distribution<double> keep(0.0, 1.0);
  for (int c = 0; c < clusters; ++c) {
    std::vector<std::uint64_t> base(150);
    for (auto& x : base) x = rng();
    const double keep_rate = 0.4 + 0.6 * keep(rng);
    for (int v = 0; v < per_cluster; ++v) {
      std::vector<std::uint64_t> variant;
      for (const std::uint64_t x : base) variant.push_back(keep(rng) < keep_rate ? x : rng());
      documents.push_back(std::move(variant));
    }
  }
  documents.insert(documents.begin() + 17, std::vector<std::uint64_t>{});
  documents.push_back({});
  return documents;
}

TEST(LshIndexPropertyTest, CandidatePairsAndQueriesEqualBruteForce) {
  std::mt19937_64 rng(23);
  const auto documents = clustered_documents(rng, 60, 5);
  for (const BandingParams banding : {BandingParams{16, 8}, BandingParams{32, 4}, BandingParams{10, 3}}) {
    const MinHashParams params{128, 24, MinHashScheme::one_permutation};
    std::vector<MinHashSketch> sketches;
    MinHashLshIndex index(params, banding);
    for (std::uint32_t doc = 0; doc < documents.size(); ++doc) {
      sketches.push_back(minhash(documents[doc], params));
      index.insert(doc, sketches.back());
    }
    const auto expected = reference::band_sharing_pairs(sketches, banding);
    EXPECT_GT(expected.size(), 50U) << "too few pairs to test anything";
    EXPECT_EQ(index.candidate_pairs(), expected);
    for (std::uint32_t doc = 0; doc < documents.size(); ++doc) {
      std::vector<std::uint32_t> partners;
      if (!sketches[doc].empty_set()) partners.push_back(doc);
      for (const auto& [a, b] : expected) {
        if (a == doc) partners.push_back(b);
        if (b == doc) partners.push_back(a);
      }
      std::sort(partners.begin(), partners.end());
      EXPECT_EQ(index.query(sketches[doc]), partners) << "doc " << doc;
    }
  }
}

TEST(SimHashIndexPropertyTest, QueriesAndPairsEqualBruteForce) {
  std::mt19937_64 rng(25);
  std::vector<std::uint64_t> hashes;
  for (int c = 0; c < 80; ++c) {
    const std::uint64_t base = rng();
    for (int v = 0; v < 5; ++v) {
      std::uint64_t h = base;
      const auto flips = rng() % 14;
      for (std::uint64_t f = 0; f < flips; ++f) h ^= std::uint64_t{1} << (rng() % 64);
      hashes.push_back(h);
    }
  }
  for (const int max_distance : {0, 3, 6, 10}) {
    SimHashIndex index(31, max_distance);
    for (std::uint32_t doc = 0; doc < hashes.size(); ++doc) index.insert(doc, SimHash(hashes[doc], 31));
    const auto expected = reference::pairs_within(hashes, max_distance);
    EXPECT_EQ(index.candidate_pairs(), expected) << "max_distance " << max_distance;
    for (std::uint32_t doc = 0; doc < hashes.size(); ++doc) {
      std::vector<std::uint32_t> within;
      for (std::uint32_t other = 0; other < hashes.size(); ++other) {
        if (reference::hamming(hashes[doc], hashes[other]) <= max_distance) within.push_back(other);
      }
      EXPECT_EQ(index.query(SimHash(hashes[doc], 31)), within) << "doc " << doc << ", max " << max_distance;
    }
    // A probe that was never inserted is answered the same way.
    const std::uint64_t probe = hashes[5] ^ 0b101;
    std::vector<std::uint32_t> within;
    for (std::uint32_t other = 0; other < hashes.size(); ++other) {
      if (reference::hamming(probe, hashes[other]) <= max_distance) within.push_back(other);
    }
    EXPECT_EQ(index.query(SimHash(probe, 31)), within);
  }
}

}  // namespace
}  // namespace neardup::detail
