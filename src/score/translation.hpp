// Translations: pairs of documents in different languages that carry the same text.
//
// Plain similarity cannot decide this: a translation pair shares fewer features than two
// unrelated articles of one language on one topic. So each pair is scored against the
// background of its own language pair (the margin over each side's best other matches in the
// other's language), verified by aligning sentences, and the signals are combined by a small
// logistic model fitted on labelled data (tools/fit_translation_model.py; weights in
// fixtures/models/translation_model.json).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "score/align.hpp"
#include "shingle/features.hpp"

namespace neardup::detail {

struct TranslationSignals {
  double raw = 0.0;          // rarity-weighted cosine of features on the pivot script
  double margin = 0.0;       // raw / mean of both sides' background in the other's language
  bool mutual_best = false;  // each is the other's best match in the other's language
  double share = 0.0;        // sentence alignment: share of sentences with a mutual best match
  double order = 0.0;        // and the share of those in the same order
  bool anchors_only = false; // the scripts share no spelling: only names and numbers compare
  // Story support: documents in third languages that the direct evidence links to both sides.
  // Where a corpus holds a story in many languages, a pair whose scripts compare poorly (Bengali
  // and Tamil) is still confirmed by the translations both share.
  std::uint32_t support = 0;
};

inline constexpr std::size_t model_feature_count = 6;

// Two stages: the direct evidence (a logistic model over features()), then story support added
// to its log-odds, so that a pair without support is decided by its direct evidence alone.
struct TranslationModel {
  std::array<double, model_feature_count> weights{};
  double bias = 0.0;
  double support_weight = 0.0;  // per log(1 + support)
  static std::array<double, model_feature_count> features(const TranslationSignals& signals);
  double direct_log_odds(const TranslationSignals& signals) const;
  double log_odds(const TranslationSignals& signals) const;  // with story support
  static double probability(double log_odds);
  static const TranslationModel& fitted();  // the weights in fixtures/models/translation_model.json
};

struct TranslationCandidate {
  std::uint32_t a = 0;  // indices into the documents given; a < b
  std::uint32_t b = 0;
  TranslationSignals signals;
  SentenceAlignment alignment;
  std::vector<std::uint64_t> shared_anchors;  // the rarest first
  double log_odds = 0.0;  // the model's; it orders candidates where probabilities round to 1
  double probability = 0.0;
};

// Scores the pairs of documents in different languages that could be translations: those where
// one is among the other's best matches in its language. Near-linear: similarity is accumulated
// only over features rare enough to be informative.
std::vector<TranslationCandidate> score_translation_candidates(const std::vector<const PreparedDocument*>& documents, unsigned threads);

// Keeps the candidates the model accepts (probability >= threshold); with one_to_one, greedily
// by probability, at most one partner per document in each other language.
std::vector<TranslationCandidate> link_translations(std::vector<TranslationCandidate> candidates,
                                                    const std::vector<const PreparedDocument*>& documents,
                                                    bool one_to_one, double threshold);

}  // namespace neardup::detail
