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
                                         {{"s1.en", "s1.en2", "near-duplicate"}, {"s1.hi", "s1.en", "translation"}, {"s1.hi", "s2.en", "translation"},
                                          {"s1.en", "s1.hi", "translation"} /* repeated, reversed: counted once */,
                                          {"x", "y", "translation"}},
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
  // Related: every pair of a story, whatever the relation: 4 true, 3 predicted, 2 correct.
  EXPECT_EQ(evaluation.related.expected, 4u);
  EXPECT_EQ(evaluation.related.predicted, 3u);
  EXPECT_EQ(evaluation.related.correct, 2u);
}

TEST(Evaluate, SameStoryPairsAreScoredApartAndAsRelated) {
  const auto evaluation = evaluate_pairs(small_truth(), {{"s1.en", "s1.en2", "same-story"}, {"s1.en", "s2.en", "same-story"}}, {});
  EXPECT_EQ(evaluation.same_story.predicted, 2u);
  EXPECT_EQ(evaluation.same_story.correct, 1u);
  EXPECT_EQ(evaluation.duplicates.predicted, 0u);
  EXPECT_EQ(evaluation.related.correct, 1u);
  EXPECT_EQ(evaluation.related_by_langs.at({"en", "en"}).predicted, 2u);
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
