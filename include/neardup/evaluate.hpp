// neardup/evaluate.hpp: scoring pairs and clusters against labelled data.
//
// Truth is a TSV with a header naming at least the columns id, story and lang. Two documents of
// one story are a true duplicate (or same-story) pair when they share a language and a true
// translation pair when they do not; every two documents of one story are a true related pair,
// whatever relation is predicted for them; the stories are the true clusters.
//
//   auto truth = neardup::read_truth("truth.tsv");
//   auto scores = neardup::evaluate_pairs(truth, predicted_pairs, {});
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace neardup {

struct TruthLabel {
  std::string story;
  std::string lang;
};
using Truth = std::unordered_map<std::string, TruthLabel>;  // id -> label

// Throws InputError (file, line) on a malformed file or a repeated id.
Truth read_truth(const std::string& path);

struct PredictedPair {
  std::string a;
  std::string b;
  std::string relation;  // as in the output: "exact-duplicate", "near-duplicate", "translation", "same-story"
};

struct PairScores {
  std::uint64_t predicted = 0;
  std::uint64_t correct = 0;
  std::uint64_t expected = 0;  // true pairs
  double precision() const { return predicted == 0 ? 1.0 : static_cast<double>(correct) / static_cast<double>(predicted); }
  double recall() const { return expected == 0 ? 1.0 : static_cast<double>(correct) / static_cast<double>(expected); }
  double f1() const {
    const double p = precision(), r = recall();
    return p + r == 0.0 ? 0.0 : 2 * p * r / (p + r);
  }
};

struct PairEvaluation {
  PairScores duplicates;   // exact and near, against the same-language pairs of a story
  PairScores same_story;   // against the same-language pairs of a story
  PairScores translations; // against the pairs of a story in two languages
  PairScores related;      // any relation, against every pair of a story
  std::map<std::pair<std::string, std::string>, PairScores> translations_by_langs;  // (lang, lang), sorted
  std::map<std::pair<std::string, std::string>, PairScores> related_by_langs;       // (lang, lang), sorted
  std::uint64_t unknown_ids = 0;  // predicted pairs naming an id the truth does not have (ignored)
};

// Reads the output of `neardup pairs` / `neardup cluster`; InputError (file, line) when malformed.
std::vector<PredictedPair> read_predicted_pairs(const std::string& path);
std::vector<std::vector<std::string>> read_predicted_clusters(const std::string& path);

// With a non-empty langs, only documents of those (truth) languages count, on both sides.
// A group of exact-duplicate pairs (written as a star, PipelineOptions::all_pairs) counts as
// every couple of its members.
PairEvaluation evaluate_pairs(const Truth& truth, const std::vector<PredictedPair>& predicted,
                              const std::vector<std::string>& langs);

struct ClusterEvaluation {
  double bcubed_precision = 0.0;
  double bcubed_recall = 0.0;
  double bcubed_f1 = 0.0;
  std::uint64_t clusters = 0;
  std::uint64_t stories = 0;
};

// Documents of the truth missing from the clusters count as singletons.
ClusterEvaluation evaluate_clusters(const Truth& truth, const std::vector<std::vector<std::string>>& clusters,
                                    const std::vector<std::string>& langs);

}  // namespace neardup
