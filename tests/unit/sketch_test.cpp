// MinHash and SimHash sketches: identity, symmetry, seeds, empty and sparse sets, parameter checks,
// and one real document.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "neardup/error.hpp"
#include "neardup/sketch.hpp"
#include "sketch/hash.hpp"
#include "support/reference_sketch.hpp"

namespace neardup {
namespace {

constexpr std::uint64_t empty_slot = std::numeric_limits<std::uint64_t>::max();

std::vector<std::uint64_t> random_set(std::mt19937_64& rng, std::size_t size) {
  std::vector<std::uint64_t> set(size);
  for (auto& x : set) x = rng();
  return set;
}

MinHashParams params_with(MinHashScheme scheme, std::uint32_t k = 128) {
  MinHashParams params;
  params.k = k;
  params.scheme = scheme;
  return params;
}

class MinHashSchemeTest : public testing::TestWithParam<MinHashScheme> {};

TEST_P(MinHashSchemeTest, SetIsItsOwnDuplicate) {
  std::mt19937_64 rng(1);
  const auto set = random_set(rng, 300);
  const auto a = minhash(set, params_with(GetParam()));
  EXPECT_EQ(a.jaccard(a), 1.0);
  EXPECT_EQ(a.jaccard(minhash(set, params_with(GetParam()))), 1.0);
}

TEST_P(MinHashSchemeTest, SimilarityIsSymmetric) {
  std::mt19937_64 rng(2);
  const auto pair = reference::random_set_pair(rng, 400, 0.4);
  const auto a = minhash(pair.a, params_with(GetParam()));
  const auto b = minhash(pair.b, params_with(GetParam()));
  EXPECT_EQ(a.jaccard(b), b.jaccard(a));
  EXPECT_GT(a.jaccard(b), 0.0);
  EXPECT_LT(a.jaccard(b), 1.0);
}

TEST_P(MinHashSchemeTest, FixedSeedReproducesAndOtherSeedsDiffer) {
  std::mt19937_64 rng(3);
  const auto set = random_set(rng, 200);
  auto params = params_with(GetParam());
  const auto first = minhash(set, params);
  EXPECT_EQ(first.values(), minhash(set, params).values());
  params.seed += 1;
  const auto other = minhash(set, params);
  std::size_t equal = 0;
  for (std::size_t i = 0; i < params.k; ++i) equal += first.values()[i] == other.values()[i];
  EXPECT_EQ(equal, 0U);
}

TEST_P(MinHashSchemeTest, RepeatsAndOrderDoNotMatter) {
  std::mt19937_64 rng(4);
  const auto set = random_set(rng, 150);
  auto noisy = set;
  noisy.insert(noisy.end(), set.begin(), set.begin() + 70);
  std::shuffle(noisy.begin(), noisy.end(), rng);
  EXPECT_EQ(minhash(set, params_with(GetParam())).values(), minhash(noisy, params_with(GetParam())).values());
}

TEST_P(MinHashSchemeTest, EmptySetHasMaxSlotsAndSimilarityZero) {
  const auto empty = minhash({}, params_with(GetParam()));
  EXPECT_TRUE(empty.empty_set());
  EXPECT_EQ(empty.values(), std::vector<std::uint64_t>(128, empty_slot));
  EXPECT_EQ(empty.jaccard(empty), 0.0);
  const std::vector<std::uint64_t> one{42};
  const auto single = minhash(one, params_with(GetParam()));
  EXPECT_FALSE(single.empty_set());
  EXPECT_EQ(single.jaccard(empty), 0.0);
  EXPECT_EQ(empty.jaccard(single), 0.0);
}

TEST_P(MinHashSchemeTest, IncompatibleParametersThrowNamingBoth) {
  const std::vector<std::uint64_t> set{1, 2, 3, 4, 5};
  const auto base = params_with(GetParam());
  const auto a = minhash(set, base);
  auto other_k = base;
  other_k.k = 64;
  auto other_seed = base;
  other_seed.seed ^= 1;
  auto other_scheme = base;
  other_scheme.scheme =
      GetParam() == MinHashScheme::classic ? MinHashScheme::one_permutation : MinHashScheme::classic;
  for (const auto& params : {other_k, other_seed, other_scheme}) {
    try {
      (void)a.jaccard(minhash(set, params));
      ADD_FAILURE() << "no error for " << params.to_string();
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::incompatible_sketch);
      const std::string message = e.what();
      EXPECT_NE(message.find("expected " + base.to_string()), std::string::npos) << message;
      EXPECT_NE(message.find(params.to_string()), std::string::npos) << message;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(MinHash, MinHashSchemeTest,
                         testing::Values(MinHashScheme::one_permutation, MinHashScheme::classic),
                         [](const auto& param_info) { return reference::scheme_name(param_info.param); });

TEST(MinHashParamsTest, ToStringNamesEveryParameter) {
  EXPECT_EQ(MinHashParams{}.to_string(), "minhash(k=128,seed=0x6e656172647570,scheme=oph)");
  EXPECT_EQ((MinHashParams{64, 0xabc, MinHashScheme::classic}.to_string()), "minhash(k=64,seed=0xabc,scheme=classic)");
}

TEST(MinHashParamsTest, ZeroSlotsIsAUsageError) {
  try {
    (void)minhash({}, MinHashParams{0});
    FAIL() << "k = 0 accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::usage);
  }
}

// Ten shingles leave most of 128 bins empty: densification must fill every bin with a real
// minimum, disjoint sets must still share nothing, and overlapping ones must estimate sensibly.
TEST(MinHashDensificationTest, SparseSetsFillEveryBinAndEstimateSensibly) {
  std::mt19937_64 rng(5);
  const auto params = params_with(MinHashScheme::one_permutation, 128);
  double sum = 0.0;
  constexpr int trials = 300;
  for (int trial = 0; trial < trials; ++trial) {
    const auto shared = random_set(rng, 5);
    auto a = shared;
    auto b = shared;
    const auto only_a = random_set(rng, 5);
    const auto only_b = random_set(rng, 5);
    a.insert(a.end(), only_a.begin(), only_a.end());
    b.insert(b.end(), only_b.begin(), only_b.end());
    const auto sa = minhash(a, params);
    const auto sb = minhash(b, params);
    ASSERT_EQ(std::count(sa.values().begin(), sa.values().end(), empty_slot), 0);
    // Every slot holds one of the set's own hashes, so at most 10 distinct values appear.
    std::vector<std::uint64_t> distinct = sa.values();
    std::sort(distinct.begin(), distinct.end());
    EXPECT_LE(std::unique(distinct.begin(), distinct.end()) - distinct.begin(), 10);
    EXPECT_EQ(minhash(only_a, params).jaccard(minhash(only_b, params)), 0.0);
    sum += sa.jaccard(sb);
  }
  EXPECT_NEAR(sum / trials, reference::exact_jaccard(std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
                                                     std::vector<std::uint64_t>{1, 2, 3, 4, 5, 11, 12, 13, 14, 15}),
              0.03);
}

TEST(SimHashTest, DistanceEqualsNaiveBitCount) {
  std::mt19937_64 rng(6);
  for (int i = 0; i < 1000; ++i) {
    const std::uint64_t a = rng();
    const std::uint64_t b = i % 3 == 0 ? a ^ (std::uint64_t{1} << (i % 64)) : rng();
    EXPECT_EQ(SimHash(a, 9).distance(SimHash(b, 9)), reference::hamming(a, b));
    EXPECT_DOUBLE_EQ(SimHash(a, 9).similarity(SimHash(b, 9)), 1.0 - reference::hamming(a, b) / 64.0);
  }
}

TEST(SimHashTest, NearIdenticalWeightedSetsAreClose) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<float> weight(0.5f, 3.0f);
  const auto hashes = random_set(rng, 500);
  std::vector<float> weights(hashes.size());
  for (auto& w : weights) w = weight(rng);
  auto edited = hashes;
  for (int i = 0; i < 10; ++i) edited[static_cast<std::size_t>(i) * 50] = rng();
  const auto original = simhash(hashes, weights, 7);
  EXPECT_EQ(original.distance(simhash(hashes, weights, 7)), 0);
  EXPECT_LE(original.distance(simhash(edited, weights, 7)), 10);
  EXPECT_GE(original.distance(simhash(random_set(rng, 500), weights, 7)), 18);
}

// One weight that outweighs all others together decides every bit: the result is the mixed hash
// of that element alone, which is also what a single unweighted element gives.
TEST(SimHashTest, DominantWeightDecidesEveryBit) {
  const std::vector<std::uint64_t> hashes{11, 22, 33, 44};
  const std::vector<float> weights{1.0f, 10.0f, 1.0f, 1.0f};
  const std::vector<std::uint64_t> alone{22};
  EXPECT_EQ(simhash(hashes, weights, 3).bits(), simhash(alone, {}, 3).bits());
  EXPECT_EQ(simhash(alone, {}, 3).bits(), detail::mix64(22, 3));
}

TEST(SimHashTest, SeedsChangeBitsAndMustMatch) {
  const std::vector<std::uint64_t> hashes{1, 2, 3, 4, 5, 6, 7};
  const auto a = simhash(hashes, {}, 1);
  const auto b = simhash(hashes, {}, 2);
  EXPECT_NE(a.bits(), b.bits());
  try {
    (void)a.distance(b);
    FAIL() << "different seeds compared";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::incompatible_sketch);
    EXPECT_NE(std::string(e.what()).find("expected simhash(seed=0x1) but got simhash(seed=0x2)"), std::string::npos)
        << e.what();
  }
}

TEST(SimHashTest, WeightCountMustMatchHashCount) {
  const std::vector<std::uint64_t> hashes{1, 2, 3};
  const std::vector<float> weights{1.0f, 2.0f};
  EXPECT_THROW((void)simhash(hashes, weights, 1), Error);
}

// A real document from the seed corpus, shingled as word 3-grams.
std::vector<std::uint64_t> word_shingles(const std::vector<std::string>& paragraphs) {
  std::vector<std::string> words;
  for (const auto& paragraph : paragraphs) {
    std::istringstream in(paragraph);
    for (std::string word; in >> word;) words.push_back(word);
  }
  std::vector<std::uint64_t> shingles;
  for (std::size_t i = 0; i + 3 <= words.size(); ++i) {
    shingles.push_back(detail::hash64(words[i] + ' ' + words[i + 1] + ' ' + words[i + 2], 0));
  }
  return shingles;
}

TEST(SketchRealTextTest, SeedDocumentAndCopyWithoutAParagraph) {
  std::ifstream file(NEARDUP_FIXTURES_DIR "/seeds/001_05db9d16e02c2170.txt");
  ASSERT_TRUE(file) << "missing fixture";
  std::vector<std::string> paragraphs;
  for (std::string line; std::getline(file, line);) {
    if (!line.empty()) paragraphs.push_back(line);
  }
  ASSERT_GE(paragraphs.size(), 4U);
  // Dropping the longest paragraph makes the copy clearly, not marginally, different.
  auto shortened = paragraphs;
  shortened.erase(std::max_element(shortened.begin(), shortened.end(),
                                   [](const auto& a, const auto& b) { return a.size() < b.size(); }));
  const auto original = word_shingles(paragraphs);
  const auto copy = word_shingles(shortened);
  const double exact = reference::exact_jaccard(original, copy);
  ASSERT_GT(exact, 0.5);
  ASSERT_LT(exact, 0.95);
  for (const auto scheme : {MinHashScheme::one_permutation, MinHashScheme::classic}) {
    const auto params = params_with(scheme, 1024);
    const auto a = minhash(original, params);
    EXPECT_EQ(a.jaccard(minhash(original, params)), 1.0);
    EXPECT_NEAR(a.jaccard(minhash(copy, params)), exact, 0.05) << params.to_string();
  }
  const auto s = simhash(original, {}, 5);
  EXPECT_LE(s.distance(simhash(copy, {}, 5)), 16);
}

}  // namespace
}  // namespace neardup
