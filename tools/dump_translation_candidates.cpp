// Writes the signals of every translation (or same-story) candidate of a labelled corpus as TSV,
// with the label (1 when the truth puts both documents in one story), for fitting the decision
// model:
//   dump_translation_candidates docs.jsonl truth.tsv [translation|same-story] > candidates.tsv
//   python3 tools/fit_translation_model.py candidates.tsv > fixtures/models/translation_model.json
#include <iostream>

#include "batch/corpus.hpp"
#include "neardup/error.hpp"
#include "neardup/evaluate.hpp"
#include "neardup/ingest.hpp"
#include "score/translation.hpp"

int main(int argc, char** argv) {
  const std::string kind = argc == 4 ? argv[3] : "translation";
  if ((argc != 3 && argc != 4) || (kind != "translation" && kind != "same-story")) {
    std::cerr << "usage: dump_translation_candidates DOCS.jsonl TRUTH.tsv [translation|same-story] > candidates.tsv\n";
    return 2;
  }
  try {
    const auto read = neardup::read_inputs({argv[1]}, {});
    const auto truth = neardup::read_truth(argv[2]);
    const auto corpus = neardup::detail::prepare_corpus(read.documents, {});
    const auto documents = corpus.representative_documents();
    const neardup::detail::StoryScorer scorer(documents, 0);
    const auto translations = scorer.translation_candidates();
    const auto candidates = kind == "translation" ? translations : scorer.same_story_candidates(translations);
    std::cout << "a\tb\tlang_a\tlang_b\tstory_a\tlog_margin\tmutual_best\tcoverage_low\tcoverage_high\tanchors_only\traw\tlog_sentences\ttranslated_apart\tsupport\tlabel\n";
    for (const auto& candidate : candidates) {
      const auto& id_a = read.documents[corpus.representatives[candidate.a]].id;
      const auto& id_b = read.documents[corpus.representatives[candidate.b]].id;
      const auto& story_a = truth.at(id_a).story;
      const auto features = neardup::detail::PairModel::features(candidate.signals);
      std::cout << id_a << '\t' << id_b << '\t' << documents[candidate.a]->lang << '\t' << documents[candidate.b]->lang << '\t'
                << story_a;
      for (double feature : features) std::cout << '\t' << feature;
      std::cout << '\t' << candidate.signals.support;
      std::cout << '\t' << (story_a == truth.at(id_b).story ? 1 : 0) << '\n';
    }
  } catch (const std::exception& error) {
    std::cerr << "dump_translation_candidates: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
