// LSH and SimHash indexes on small hand-made cases: life cycle, empty sets, parameter checks.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "index/lsh.hpp"
#include "neardup/error.hpp"
#include "neardup/sketch.hpp"

namespace neardup::detail {
namespace {

using Pairs = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

std::vector<std::uint64_t> range(std::uint64_t from, std::uint64_t to) {
  std::vector<std::uint64_t> values;
  for (std::uint64_t x = from; x < to; ++x) values.push_back(x);
  return values;
}

ErrorCode code_of(const auto& action) {
  try {
    action();
  } catch (const Error& e) {
    return e.code();
  }
  ADD_FAILURE() << "no error thrown";
  return ErrorCode::bad_input;
}

TEST(LshIndexTest, InsertedDocumentsFindThemselvesAndTheirCopies) {
  const MinHashParams params;
  MinHashLshIndex index(params, {16, 8});
  const auto a = minhash(range(0, 200), params);
  const auto near_a = minhash(range(2, 200), params);  // Jaccard 0.99
  const auto b = minhash(range(1000, 1200), params);
  index.insert(7, a);
  index.insert(3, b);
  index.insert(9, near_a);
  EXPECT_EQ(index.size(), 3U);
  EXPECT_EQ(index.query(a), (std::vector<std::uint32_t>{7, 9}));
  EXPECT_EQ(index.query(b), (std::vector<std::uint32_t>{3}));
  EXPECT_EQ(index.candidate_pairs(), (Pairs{{7, 9}}));
}

TEST(LshIndexTest, QueriesAndInsertsInterleave) {
  const MinHashParams params;
  MinHashLshIndex index(params, {32, 4});
  const auto a = minhash(range(0, 100), params);
  EXPECT_TRUE(index.query(a).empty());
  EXPECT_TRUE(index.candidate_pairs().empty());
  index.insert(1, a);
  EXPECT_EQ(index.query(a), (std::vector<std::uint32_t>{1}));
  index.insert(0, a);
  EXPECT_EQ(index.query(a), (std::vector<std::uint32_t>{0, 1}));
  EXPECT_EQ(index.candidate_pairs(), (Pairs{{0, 1}}));
}

TEST(LshIndexTest, EmptySetsAreCountedButNeverCandidates) {
  const MinHashParams params;
  MinHashLshIndex index(params, {16, 8});
  const auto empty = minhash({}, params);
  index.insert(0, empty);
  index.insert(1, empty);
  index.insert(2, minhash(range(0, 50), params));
  EXPECT_EQ(index.size(), 3U);
  EXPECT_TRUE(index.query(empty).empty());
  EXPECT_TRUE(index.candidate_pairs().empty());
}

// A bucket past max_clique_bucket is compared as a star on its first document and a chain, so
// 100,000 near-copies cost linear time; a smaller bucket still gives every couple.
TEST(LshIndexTest, ALargeBucketIsAStarAndAChainNotEveryCouple) {
  const MinHashParams params;
  const auto text = minhash(range(0, 100), params);
  for (const std::uint32_t copies : {std::uint32_t{max_clique_bucket}, std::uint32_t{3 * max_clique_bucket}}) {
    MinHashLshIndex index(params, {16, 8});
    // Inserted in descending order: the star is on the smallest document, however they came.
    for (std::uint32_t d = copies; d-- > 0;) index.insert(d, text);
    Pairs expected;
    if (copies <= max_clique_bucket) {
      for (std::uint32_t a = 0; a < copies; ++a)
        for (std::uint32_t b = a + 1; b < copies; ++b) expected.push_back({a, b});
    } else {
      for (std::uint32_t b = 1; b < copies; ++b) {
        expected.push_back({0, b});
        if (b >= 2) expected.push_back({b - 1, b});
      }
      std::sort(expected.begin(), expected.end());
    }
    EXPECT_EQ(index.candidate_pairs(), expected) << copies << " copies";
  }
}

TEST(LshIndexTest, RejectsBadBandingAndForeignSketches) {
  const MinHashParams params;
  EXPECT_EQ(code_of([&] { MinHashLshIndex(params, {17, 8}); }), ErrorCode::usage);
  EXPECT_EQ(code_of([&] { MinHashLshIndex(params, {0, 8}); }), ErrorCode::usage);
  MinHashLshIndex index(params, {16, 8});
  MinHashParams other = params;
  other.seed = 1;
  const auto foreign = minhash(range(0, 10), other);
  EXPECT_EQ(code_of([&] { index.insert(0, foreign); }), ErrorCode::incompatible_sketch);
  EXPECT_EQ(code_of([&] { (void)index.query(foreign); }), ErrorCode::incompatible_sketch);
  EXPECT_EQ(index.size(), 0U);
}

TEST(LshBandingTest, CandidateProbabilityFollowsTheFormula) {
  const BandingParams banding{20, 5};
  EXPECT_EQ(candidate_probability(banding, 0.0), 0.0);
  EXPECT_EQ(candidate_probability(banding, 1.0), 1.0);
  EXPECT_NEAR(candidate_probability(banding, 0.5), 1.0 - std::pow(1.0 - std::pow(0.5, 5), 20), 1e-15);
}

TEST(LshBandingTest, RejectsOutOfRangeArguments) {
  EXPECT_EQ(code_of([] { (void)choose_banding(0, 0.5); }), ErrorCode::usage);
  EXPECT_EQ(code_of([] { (void)choose_banding(128, 1.0); }), ErrorCode::usage);
  EXPECT_EQ(code_of([] { (void)choose_banding(128, 0.5, 1.5); }), ErrorCode::usage);
}

TEST(SimHashIndexTest, FindsHashesWithinTheDistanceOnly) {
  SimHashIndex index(5, 3);
  const std::uint64_t base = 0x0123456789abcdefULL;
  index.insert(0, SimHash(base, 5));
  index.insert(1, SimHash(base ^ 0b111, 5));                       // 3 bits away
  index.insert(2, SimHash(base ^ 0b1111, 5));                      // 4 bits away
  index.insert(3, SimHash(base ^ (std::uint64_t{1} << 63) ^ 1, 5));  // 2 bits, in two blocks
  EXPECT_EQ(index.size(), 4U);
  EXPECT_EQ(index.query(SimHash(base, 5)), (std::vector<std::uint32_t>{0, 1, 3}));
  EXPECT_EQ(index.candidate_pairs(), (Pairs{{0, 1}, {0, 3}, {1, 2}, {1, 3}}));
}

TEST(SimHashIndexTest, RejectsBadDistanceAndForeignSeeds) {
  EXPECT_EQ(code_of([] { SimHashIndex(1, -1); }), ErrorCode::usage);
  EXPECT_EQ(code_of([] { SimHashIndex(1, 64); }), ErrorCode::usage);
  SimHashIndex index(1, 3);
  EXPECT_EQ(code_of([&] { index.insert(0, SimHash(0, 2)); }), ErrorCode::incompatible_sketch);
  EXPECT_EQ(code_of([&] { (void)index.query(SimHash(0, 2)); }), ErrorCode::incompatible_sketch);
}

}  // namespace
}  // namespace neardup::detail
