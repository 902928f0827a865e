// evaluate: precision, recall and F1 of pairs, B-cubed F1 of clusters, against a truth.tsv.
#include <boost/algorithm/string.hpp>
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "neardup/evaluate.hpp"

namespace neardup::cli {
namespace po = boost::program_options;
namespace {

void print_scores(const char* name, const PairScores& scores) {
  std::printf("%-28s P %.4f  R %.4f  F1 %.4f  (predicted %llu, correct %llu, true %llu)\n", name, scores.precision(),
              scores.recall(), scores.f1(), static_cast<unsigned long long>(scores.predicted),
              static_cast<unsigned long long>(scores.correct), static_cast<unsigned long long>(scores.expected));
}

}  // namespace

int run_evaluate(const Arguments& arguments) {
  std::string truth_path, pairs_path, clusters_path, langs_list;
  bool by_langs = false;
  po::options_description description("options");
  description.add_options()
      ("help,h", "show this help")
      ("truth", po::value(&truth_path), "TSV with a header and the columns id, story, lang")
      ("pairs", po::value(&pairs_path), "output of `neardup pairs` to score")
      ("clusters", po::value(&clusters_path), "output of `neardup cluster` to score")
      ("langs", po::value(&langs_list), "count only documents of these languages (comma-separated, as in the truth)")
      ("by-langs", po::bool_switch(&by_langs), "also print related-pair scores (any relation) for each pair of languages");
  if (!parse_arguments(arguments, description, {}, {},
                       "usage: neardup evaluate --truth TRUTH.tsv [--pairs PAIRS.jsonl] [--clusters CLUSTERS.jsonl]"))
    return 0;
  if (truth_path.empty()) throw UsageError{"--truth is required"};
  if (pairs_path.empty() && clusters_path.empty()) throw UsageError{"give --pairs, --clusters or both"};
  std::vector<std::string> langs;
  if (!langs_list.empty()) boost::split(langs, langs_list, boost::is_any_of(","));

  const Truth truth = read_truth(truth_path);
  if (!pairs_path.empty()) {
    const auto evaluation = evaluate_pairs(truth, read_predicted_pairs(pairs_path), langs);
    print_scores("duplicate pairs", evaluation.duplicates);
    print_scores("same-story pairs", evaluation.same_story);
    print_scores("translation pairs", evaluation.translations);
    print_scores("related pairs (any relation)", evaluation.related);
    if (by_langs)
      for (const auto& [key, scores] : evaluation.related_by_langs)
        print_scores(("  " + key.first + " " + key.second).c_str(), scores);
    if (evaluation.unknown_ids) std::printf("(%llu predicted pairs name ids missing from the truth: ignored)\n",
                                            static_cast<unsigned long long>(evaluation.unknown_ids));
  }
  if (!clusters_path.empty()) {
    const auto evaluation = evaluate_clusters(truth, read_predicted_clusters(clusters_path), langs);
    std::printf("%-28s P %.4f  R %.4f  F1 %.4f  (clusters %llu, stories %llu)\n", "clusters (B-cubed)",
                evaluation.bcubed_precision, evaluation.bcubed_recall, evaluation.bcubed_f1,
                static_cast<unsigned long long>(evaluation.clusters), static_cast<unsigned long long>(evaluation.stories));
  }
  return 0;
}

}  // namespace neardup::cli
