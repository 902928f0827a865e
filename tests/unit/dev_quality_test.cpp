// Quality floors on the dev corpus (ntrex-dev: 62 stories, English in four versions, 13 South
// Asian languages), no language given, default options. Not a timing: it measures results.
#include <gtest/gtest.h>

#include "neardup/evaluate.hpp"
#include "neardup/pipeline.hpp"
#include "support/corpus.hpp"

namespace neardup {
namespace {

const std::vector<std::string> aligned_brahmic = {"hin_Deva", "guj_Gujr", "mar_Deva", "ben_Beng", "pan_Guru",
                                                  "npi_Deva", "tam_Taml", "tel_Telu", "kan_Knda", "mal_Mlym"};

class DevQuality : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!testing::have_dev_data()) return;
    auto documents = read_inputs({testing::dev_dir() + "/docs.jsonl"}, {}).documents;
    analysis_ = new Analysis(analyse(std::move(documents)));
    truth_ = new Truth(read_truth(testing::dev_dir() + "/truth.tsv"));
    for (const auto& pair : analysis_->pairs)
      pairs_.push_back({analysis_->documents[pair.a].id, analysis_->documents[pair.b].id, std::string(relation_name(pair.relation))});
    for (const auto& cluster : cluster_stories(*analysis_)) {
      clusters_.emplace_back();
      for (auto member : cluster.members) clusters_.back().push_back(analysis_->documents[member].id);
    }
  }
  static void TearDownTestSuite() {
    delete analysis_;
    delete truth_;
  }
  void SetUp() override {
    if (!testing::have_dev_data()) GTEST_SKIP() << "no dev data at " << testing::dev_dir();
  }
  static inline Analysis* analysis_ = nullptr;
  static inline Truth* truth_ = nullptr;
  static inline std::vector<PredictedPair> pairs_;
  static inline std::vector<std::vector<std::string>> clusters_;
};

TEST_F(DevQuality, DuplicatesOfTheEnglishVersions) {
  const auto evaluation = evaluate_pairs(*truth_, pairs_, {});
  EXPECT_GE(evaluation.duplicates.precision(), 0.95);
  EXPECT_GE(evaluation.duplicates.recall(), 0.95);
}

TEST_F(DevQuality, TranslationsOverAllLanguages) {
  const auto evaluation = evaluate_pairs(*truth_, pairs_, {});
  EXPECT_GE(evaluation.translations.f1(), 0.90);
}

TEST_F(DevQuality, TranslationsAmongTheAlignedBrahmicScripts) {
  const auto evaluation = evaluate_pairs(*truth_, pairs_, aligned_brahmic);
  EXPECT_GE(evaluation.translations.f1(), 0.98);
  for (const auto& [langs, scores] : evaluation.translations_by_langs)
    EXPECT_GE(scores.f1(), 0.95) << langs.first << " " << langs.second;
}

TEST_F(DevQuality, StoryClusters) {
  EXPECT_GE(evaluate_clusters(*truth_, clusters_, {}).bcubed_f1, 0.95);
}

}  // namespace
}  // namespace neardup
