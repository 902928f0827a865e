#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "neardup/error.hpp"
#include "neardup/evaluate.hpp"

namespace neardup {
namespace {

Truth small_truth() {
  return {{"s1.en", {"s1", "en"}}, {"s1.en2", {"s1", "en"}}, {"s1.hi", {"s1", "hi"}},
          {"s2.en", {"s2", "en"}}, {"s2.hi", {"s2", "hi"}}};
}

TEST(Evaluate, PairsCountDuplicatesAndTranslationsApart) {
  // True: duplicates {s1.en, s1.en2}; translations s1.en-s1.hi, s1.en2-s1.hi, s2.en-s2.hi.
  const auto evaluation = evaluate_pairs(small_truth(),
                                         {{"s1.en", "s1.en2", false}, {"s1.hi", "s1.en", true}, {"s1.hi", "s2.en", true},
                                          {"s1.en", "s1.hi", true} /* repeated, reversed: counted once */, {"x", "y", true}},
                                         {});
  EXPECT_EQ(evaluation.duplicates.expected, 1u);
  EXPECT_EQ(evaluation.duplicates.correct, 1u);
  EXPECT_EQ(evaluation.translations.expected, 3u);
  EXPECT_EQ(evaluation.translations.predicted, 2u);
  EXPECT_EQ(evaluation.translations.correct, 1u);
  EXPECT_DOUBLE_EQ(evaluation.translations.precision(), 0.5);
  EXPECT_DOUBLE_EQ(evaluation.translations.recall(), 1.0 / 3);
  EXPECT_EQ(evaluation.unknown_ids, 1u);
  EXPECT_EQ(evaluation.translations_by_langs.at({"en", "hi"}).expected, 3u);
}

TEST(Evaluate, BCubedOfPerfectAndOfOneBigCluster) {
  const auto perfect = evaluate_clusters(small_truth(), {{"s1.en", "s1.en2", "s1.hi"}, {"s2.en", "s2.hi"}}, {});
  EXPECT_DOUBLE_EQ(perfect.bcubed_f1, 1.0);
  const auto lumped = evaluate_clusters(small_truth(), {{"s1.en", "s1.en2", "s1.hi", "s2.en", "s2.hi"}}, {});
  EXPECT_DOUBLE_EQ(lumped.bcubed_recall, 1.0);
  EXPECT_DOUBLE_EQ(lumped.bcubed_precision, (3 * 3.0 / 5 + 2 * 2.0 / 5) / 5);
  // Missing documents are singletons.
  const auto partial = evaluate_clusters(small_truth(), {{"s1.en", "s1.en2", "s1.hi"}}, {});
  EXPECT_EQ(partial.clusters, 3u);
  EXPECT_DOUBLE_EQ(partial.bcubed_precision, 1.0);
}

TEST(Evaluate, TruthFileErrorsNameTheLine) {
  const auto path = std::filesystem::temp_directory_path() / "neardup_truth_test.tsv";
  std::ofstream(path) << "id\tstory\tlang\na\ts\ten\na\ts\thi\n";
  try {
    read_truth(path.string());
    FAIL() << "a repeated id must be an error";
  } catch (const InputError& error) {
    EXPECT_EQ(error.line(), 3u);
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace neardup
