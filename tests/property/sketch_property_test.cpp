// MinHash estimates converge to the exact Jaccard similarity, for both schemes.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

#include "neardup/sketch.hpp"
#include "support/reference_sketch.hpp"

namespace neardup {
namespace {

constexpr double similarities[] = {0.1, 0.3, 0.5, 0.8};

class MinHashConvergenceTest : public testing::TestWithParam<MinHashScheme> {
 protected:
  MinHashParams params(std::uint32_t k, std::uint64_t seed) const { return MinHashParams{k, seed, GetParam()}; }
};

TEST_P(MinHashConvergenceTest, EstimateAtK1024IsWithin005OfExactJaccard) {
  std::mt19937_64 rng(11);
  for (const double target : similarities) {
    const auto pair = reference::random_set_pair(rng, 3000, target);
    const double exact = reference::exact_jaccard(pair.a, pair.b);
    ASSERT_NEAR(exact, target, 1e-3);
    const double estimate = minhash(pair.a, params(1024, 99)).jaccard(minhash(pair.b, params(1024, 99)));
    EXPECT_NEAR(estimate, exact, 0.05) << "J = " << target;
  }
}

TEST_P(MinHashConvergenceTest, MeanAbsoluteErrorShrinksFromK64ToK1024) {
  std::mt19937_64 rng(12);
  double error_64 = 0.0;
  double error_1024 = 0.0;
  for (const double target : similarities) {
    for (std::uint64_t trial = 0; trial < 25; ++trial) {
      const auto pair = reference::random_set_pair(rng, 1000, target);
      const double exact = reference::exact_jaccard(pair.a, pair.b);
      for (const std::uint32_t k : {64U, 1024U}) {
        const double estimate = minhash(pair.a, params(k, trial)).jaccard(minhash(pair.b, params(k, trial)));
        (k == 64 ? error_64 : error_1024) += std::abs(estimate - exact);
      }
    }
  }
  // The standard error falls as 1/sqrt(k): a factor of 4 from 64 to 1024 slots.
  EXPECT_GT(error_64, 2.0 * error_1024) << "k=64: " << error_64 << ", k=1024: " << error_1024;
}

// Unbiased: over many seeds the mean estimate at a small k sits on the exact value.
TEST_P(MinHashConvergenceTest, MeanEstimateIsUnbiased) {
  std::mt19937_64 rng(13);
  const auto pair = reference::random_set_pair(rng, 500, 0.3);
  const double exact = reference::exact_jaccard(pair.a, pair.b);
  double sum = 0.0;
  constexpr int trials = 400;
  for (int seed = 0; seed < trials; ++seed) {
    sum += minhash(pair.a, params(32, static_cast<std::uint64_t>(seed)))
               .jaccard(minhash(pair.b, params(32, static_cast<std::uint64_t>(seed))));
  }
  EXPECT_NEAR(sum / trials, exact, 0.015);
}

INSTANTIATE_TEST_SUITE_P(MinHash, MinHashConvergenceTest,
                         testing::Values(MinHashScheme::one_permutation, MinHashScheme::classic),
                         [](const auto& param_info) { return reference::scheme_name(param_info.param); });

}  // namespace
}  // namespace neardup
