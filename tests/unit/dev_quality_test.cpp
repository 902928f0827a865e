// Quality floors on the dev corpus (ntrex-dev: 62 stories, English in four versions, 13 South
// Asian languages), no language given, default options. Not a timing: it measures results.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "neardup/evaluate.hpp"
#include "neardup/pipeline.hpp"
#include "neardup/report.hpp"
#include "ingest/utf8.hpp"
#include "shingle/features.hpp"
#include "support/corpus.hpp"
#include "support/report_page.hpp"

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
  EXPECT_GE(evaluation.translations.f1(), 0.99);
}

// The first byte of each line of a text, and whether the line has text.
struct Lines {
  std::vector<std::uint32_t> starts;
  std::vector<bool> nonblank;
  explicit Lines(const std::string& text) {
    for (std::size_t begin = 0; begin <= text.size();) {
      std::size_t end = text.find('\n', begin);
      if (end == std::string::npos) end = text.size();
      starts.push_back(static_cast<std::uint32_t>(begin));
      nonblank.push_back(text.find_first_not_of(" \t\r", begin) < end);
      begin = end + 1;
    }
  }
  std::size_t line_of(std::uint32_t offset) const {
    return static_cast<std::size_t>(std::upper_bound(starts.begin(), starts.end(), offset) - starts.begin()) - 1;
  }
};

// NTREX is translated line by line: line i of one version translates line i of every other. The
// aligned sentences reported for true translation pairs, as links between lines, against that
// (tools/evaluate_alignment.py scores the command's output the same way).
TEST_F(DevQuality, AlignedSentencesRecoverTheLineAlignment) {
  std::size_t predicted = 0, correct = 0, expected = 0;
  for (const auto& pair : analysis_->pairs) {
    const auto& a = analysis_->documents[pair.a];
    const auto& b = analysis_->documents[pair.b];
    if (pair.relation != Relation::translation || truth_->at(a.id).story != truth_->at(b.id).story) continue;
    const Lines lines_a(a.text), lines_b(b.text);
    if (lines_a.starts.size() != lines_b.starts.size()) continue;
    std::set<std::pair<std::size_t, std::size_t>> links;
    for (const auto& sentence : pair.evidence.sentences)
      for (std::size_t i = lines_a.line_of(sentence.a.begin); i <= lines_a.line_of(std::max(sentence.a.begin, sentence.a.end - 1)); ++i)
        for (std::size_t j = lines_b.line_of(sentence.b.begin); j <= lines_b.line_of(std::max(sentence.b.begin, sentence.b.end - 1)); ++j)
          links.emplace(i, j);
    predicted += links.size();
    for (std::size_t i = 0; i < lines_a.starts.size(); ++i)
      if (lines_a.nonblank[i] && lines_b.nonblank[i]) ++expected, correct += links.count({i, i});
  }
  ASSERT_GT(expected, 0u);
  const double precision = static_cast<double>(correct) / static_cast<double>(std::max<std::size_t>(predicted, 1));
  const double recall = static_cast<double>(correct) / static_cast<double>(expected);
  EXPECT_GE(precision, 0.97);
  // The edited English versions (members of duplicate groups) are aligned on their own: a
  // representative's sentences would point at the wrong bytes of its copies.
  EXPECT_GE(recall, 0.93);
  EXPECT_GE(2 * precision * recall / (precision + recall), 0.95) << "precision " << precision << " recall " << recall;
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

// A story's versions share its headline, which the corpus-wide boilerplate detector may take for
// furniture; a story is titled by it all the same.
TEST_F(DevQuality, StoriesAreTitledByAMembersFirstLine) {
  std::size_t stories = 0, titled = 0;
  for (const auto& cluster : cluster_stories(*analysis_)) {
    if (cluster.members.size() < 2) continue;
    ++stories;
    titled += std::any_of(cluster.members.begin(), cluster.members.end(), [&](std::uint32_t member) {
      const std::string& text = analysis_->documents[member].text;
      const std::size_t begin = text.find_first_not_of(" \t\r\n");
      return cluster.title == detail::clip_utf8(text.substr(begin, text.find('\n', begin) - begin), detail::max_title_bytes);
    });
  }
  EXPECT_GE(static_cast<double>(titled), 0.9 * static_cast<double>(stories)) << titled << " of " << stories;
}

// The page embeds every text in some pair, their pivots and the evidence in gzip chunks of 500:
// every text read back whole from them, and the chunks under half the JSON they hold. (The
// page's size against its input is measured by bench/report_scale.sh: ntrex-dev, with 7.5
// translation pairs a document, is mostly evidence.)
TEST_F(DevQuality, TheReportHoldsEveryPairedTextInCompressedChunks) {
  const ReportData data = report_data(*analysis_, cluster_stories(*analysis_));
  std::ostringstream out;
  write_html_report(out, data);
  const std::string page = out.str();
  const nlohmann::json embedded = testing::embedded_data(page);
  std::size_t paired = 0;
  for (std::size_t d = 0; d < data.documents.size(); ++d) {
    if (data.documents[d].text.empty()) continue;
    ++paired;
    ASSERT_EQ(embedded["texts"][std::to_string(d)], data.documents[d].text) << d;
  }
  EXPECT_EQ(embedded["texts"].size(), paired);
  EXPECT_GT(paired, 1000u) << "texts of three chunks";
  const std::size_t first_chunk = page.find("<script type=\"application/gzip-base64\"");
  ASSERT_NE(first_chunk, std::string::npos);
  const std::size_t chunk_bytes = page.find("<script>", first_chunk) - first_chunk;
  const std::size_t json_bytes = embedded["texts"].dump().size() + embedded["pivots"].dump().size() + embedded["evidence"].dump().size();
  EXPECT_LT(2 * chunk_bytes, json_bytes) << chunk_bytes << " bytes of chunks for " << json_bytes << " of JSON";
}

}  // namespace
}  // namespace neardup
