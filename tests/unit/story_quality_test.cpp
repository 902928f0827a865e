// Quality floors for stories as real corpora hold them (no language given, default options):
// newspaper reuse of agency copy in one language (counter-dev), several versions of a language
// and two scripts of one (ntrex-world-dev), and the seeds, whose four Hindi pieces are different
// stories on one topic. Not a timing: it measures results. Skips when ../shared is absent.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "neardup/evaluate.hpp"
#include "neardup/pipeline.hpp"
#include "support/corpus.hpp"

namespace neardup {
namespace {

std::string corpus_dir(const std::string& name) { return std::string(NEARDUP_SHARED_DIR) + "/data/" + name; }

struct CorpusRun {
  Analysis analysis;
  Truth truth;
  std::vector<PredictedPair> pairs;
  std::vector<std::vector<std::string>> clusters;
};

CorpusRun run_on(const std::string& name) {
  CorpusRun run;
  run.analysis = analyse(read_inputs({corpus_dir(name) + "/docs.jsonl"}, {}).documents);
  run.truth = read_truth(corpus_dir(name) + "/truth.tsv");
  for (const auto& pair : run.analysis.pairs)
    run.pairs.push_back({run.analysis.documents[pair.a].id, run.analysis.documents[pair.b].id, std::string(relation_name(pair.relation))});
  for (const auto& cluster : cluster_stories(run.analysis)) {
    run.clusters.emplace_back();
    for (auto member : cluster.members) run.clusters.back().push_back(run.analysis.documents[member].id);
  }
  return run;
}

// id -> the truth's variant column ("derived WD daily_dunya sports", ...).
std::map<std::string, std::string> variants(const std::string& path) {
  std::map<std::string, std::string> result;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    const auto fields = [&] {
      std::vector<std::string> out;
      std::size_t begin = 0;
      for (std::size_t tab; (tab = line.find('\t', begin)) != std::string::npos; begin = tab + 1) out.push_back(line.substr(begin, tab - begin));
      out.push_back(line.substr(begin));
      return out;
    }();
    if (fields.size() >= 4) result[fields[0]] = fields[3];
  }
  return result;
}

#define SKIP_WITHOUT(name)                                                  \
  if (!std::filesystem::exists(corpus_dir(name) + "/docs.jsonl"))           \
  GTEST_SKIP() << "no dev data at " << corpus_dir(name)

TEST(StoryQuality, NewspaperReuseOfAgencyCopy) {
  SKIP_WITHOUT("counter-dev");
  const CorpusRun run = run_on("counter-dev");
  // A derived article is "counter-N-der", its source "counter-N-src".
  std::set<std::pair<std::string, std::string>> linked;
  for (const auto& pair : run.pairs) linked.insert(std::minmax(pair.a, pair.b));
  std::map<std::string, std::pair<int, int>> found_by_class;  // WD, PD, ND -> (found, all)
  for (const auto& [id, variant] : variants(corpus_dir("counter-dev") + "/truth.tsv")) {
    if (variant.rfind("derived ", 0) != 0) continue;
    const std::string derivation = variant.substr(8, 2);
    const std::string source = id.substr(0, id.size() - 3) + "src";
    auto& [found, all] = found_by_class[derivation];
    ++all;
    if (linked.count(std::minmax(id, source))) ++found;
  }
  const auto [wd_found, wd_all] = found_by_class["WD"];
  const auto [pd_found, pd_all] = found_by_class["PD"];
  ASSERT_GT(wd_all + pd_all, 0);
  const double recall = static_cast<double>(wd_found + pd_found) / (wd_all + pd_all);
  EXPECT_GE(recall, 0.65) << "wholly derived " << wd_found << "/" << wd_all << ", partially " << pd_found << "/" << pd_all;
  EXPECT_GE(static_cast<double>(wd_found) / wd_all, 0.85) << wd_found << "/" << wd_all;
  EXPECT_GE(evaluate_pairs(run.truth, run.pairs, {}).related.precision(), 0.95);
  EXPECT_GE(evaluate_clusters(run.truth, run.clusters, {}).bcubed_f1, 0.85);
}

TEST(StoryQuality, SeveralVersionsAndScriptsOfALanguage) {
  SKIP_WITHOUT("ntrex-world-dev");
  const CorpusRun run = run_on("ntrex-world-dev");
  const auto evaluation = evaluate_pairs(run.truth, run.pairs, {});
  EXPECT_GE(evaluation.related.f1(), 0.95);
  EXPECT_GE(evaluate_clusters(run.truth, run.clusters, {}).bcubed_f1, 0.95);
  // Two versions or two scripts of one language are linked to each other, and each keeps its
  // translations.
  for (const auto& langs : {std::pair<std::string, std::string>{"spa_Latn", "spa_Latn"}, {"por_Latn", "por_Latn"},
                            {"srp_Cyrl", "srp_Latn"}, {"zho_Hans", "zho_Hant"}})
    EXPECT_GE(evaluation.related_by_langs.at(langs).f1(), 0.95) << langs.first << " " << langs.second;
  for (const auto& langs : {std::pair<std::string, std::string>{"eng_Latn", "spa_Latn"}, {"eng_Latn", "por_Latn"},
                            {"eng_Latn", "zho_Hans"}, {"eng_Latn", "zho_Hant"}})
    EXPECT_GE(evaluation.related_by_langs.at(langs).f1(), 0.85) << langs.first << " " << langs.second;
}

TEST(StoryQuality, SeedsOnOneTopicStayApart) {
  const Analysis analysis = analyse(testing::seeds());
  ASSERT_EQ(analysis.pairs.size(), 1u);
  EXPECT_EQ(analysis.pairs[0].relation, Relation::translation);
  EXPECT_EQ(cluster_stories(analysis).size(), 4u);
}

}  // namespace
}  // namespace neardup
