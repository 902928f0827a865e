// Stories across documents: translations (pairs of documents in different languages that carry
// the same text) and same-story pairs (two documents of one language that report one story
// without being near-copies: a rewrite, a partial reuse, a second translation).
//
// Plain similarity cannot decide either: a translation pair shares fewer features than two
// unrelated articles of one language on one topic, and two articles of one language on one topic
// share many words. So each pair is scored against the background of its own language pair (the
// margin over each side's best other matches in the other's language, or in its own), verified
// by aligning sentences, and the signals are combined by a small logistic model per relation,
// fitted on labelled data (tools/fit_translation_model.py; weights in fixtures/models/).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "score/align.hpp"
#include "shingle/features.hpp"

namespace neardup::detail {

struct PairSignals {
  double raw = 0.0;          // rarity-weighted cosine of features on the pivot script
  double margin = 0.0;       // raw / mean of both sides' background in the other's language
  bool mutual_best = false;  // each is the other's best match in the other's language
  bool best_for_a = false;   // b is a's best match in b's language (and best_for_b the reverse)
  bool best_for_b = false;
  // Sentence alignment: the shares of the two documents' text that align, the lower and the
  // higher. A translation covers most of both; a shared passage or quote, little of either; a
  // rewrite that cuts its source, most of the shorter side only.
  double coverage_low = 0.0;
  double coverage_high = 0.0;
  bool anchors_only = false; // the scripts share no spelling: only names and numbers compare
  // Story support: documents in third languages that the direct evidence links to both sides.
  // Where a corpus holds a story in many languages, a pair whose scripts compare poorly (Bengali
  // and Tamil) is still confirmed by the translations both share.
  std::uint32_t support = 0;
  // Content sentences of the shorter side: a one-line post shares a sentence with many others
  // by chance, so short pairs need stronger evidence.
  std::uint32_t sentences = 1;
  // Same-story pairs: both sides have translations, and none in common. Where a corpus holds
  // translations, two versions of one story share theirs; two stories on one topic do not.
  bool translated_apart = false;
};

inline constexpr std::size_t model_feature_count = 8;

// The probability at which a pair is a translation: the models are fitted as classifiers of true
// against false pairs (tools/fit_translation_model.py), so even odds are their decision.
inline constexpr double translation_probability = 0.5;

// Two stages: the direct evidence (a logistic model over features()), then story support added
// to its log-odds, so that a pair without support is decided by its direct evidence alone.
// Same-story pairs are decided by the direct evidence (their support weight is 0).
struct PairModel {
  std::array<double, model_feature_count> weights{};
  double bias = 0.0;
  double support_weight = 0.0;  // per log(1 + support)
  static std::array<double, model_feature_count> features(const PairSignals& signals);
  double direct_log_odds(const PairSignals& signals) const;
  double log_odds(const PairSignals& signals) const;  // with story support
  static double probability(double log_odds);
  static const PairModel& translation();  // the weights in fixtures/models/translation_model.json
  static const PairModel& same_story();   // the weights in fixtures/models/same_story_model.json
  // The persistent index keeps no sentences and no links between its documents: its model is
  // fitted without alignment, sentence count and support (fixtures/models/index_translation_model.json).
  static const PairModel& index_translation();
};

struct CandidatePair {
  std::uint32_t a = 0;  // indices into the documents given; a < b
  std::uint32_t b = 0;
  PairSignals signals;
  SentenceAlignment alignment;
  std::vector<std::uint64_t> shared_anchors;  // the rarest first
  double log_odds = 0.0;  // the model's; it orders candidates where probabilities round to 1
  double probability = 0.0;
};

// The documents' rarity-weighted features, weighed once for both searches. Indices in and out
// are into the documents given, which must outlive the scorer.
class StoryScorer {
 public:
  StoryScorer(const std::vector<const PreparedDocument*>& documents, unsigned threads);
  ~StoryScorer();

  // Pairs of documents of one language where one is among the other's best matches in that
  // language, scored by PairModel::same_story(), with the story support of the translations
  // given (those with probability >= translation_probability count, as translation_candidates() returns them).
  std::vector<CandidatePair> same_story_candidates(const std::vector<CandidatePair>& translations) const;

  // Pairs of documents in different languages that could be translations: those where one is
  // among the other's best matches in its language, and those two or more third-language
  // documents link (story support). Scored by PairModel::translation().
  std::vector<CandidatePair> translation_candidates() const;

  // The sentence alignment of any two documents, weighed as the scorer's documents are: features
  // none of them has are left out. The versions of a linked group that are not its
  // representative are aligned with their partners this way.
  SentenceAlignment align(const PreparedDocument& a, const PreparedDocument& b) const;

 private:
  struct Space;
  std::unique_ptr<Space> space_;
  unsigned threads_;
};

// StoryScorer(documents, threads).translation_candidates().
std::vector<CandidatePair> score_translation_candidates(const std::vector<const PreparedDocument*>& documents, unsigned threads);

// Keeps the candidates the model accepts (probability >= threshold); with one_to_one, greedily
// by probability, at most one partner group per group in each other language, where group[d]
// names the group of versions of document d (one language's same-story pairs), and one partner
// per document in each language, except that a second version may join a document linked to its
// group's first when that document is the second version's own best match: several versions of
// one language then each keep their translation, and a look-alike story in a group does not take
// another story's.
std::vector<CandidatePair> link_translations(std::vector<CandidatePair> candidates,
                                             const std::vector<const PreparedDocument*>& documents,
                                             const std::vector<std::uint32_t>& group, bool one_to_one, double threshold);

// The same-story candidates the model accepts, by (a, b).
std::vector<CandidatePair> link_same_story(std::vector<CandidatePair> candidates, double threshold);

struct StoryLinkOptions {
  bool same_story = true;  // seek same-story pairs (false: translations only)
  bool one_to_one = true;  // link_translations' one_to_one
  double translation_threshold = translation_probability;
};

struct StoryLinks {
  std::vector<CandidatePair> same_story;
  std::vector<CandidatePair> translations;
};

// The story decisions among the scorer's documents (the representatives of duplicate groups):
// same-story pairs, which make groups of versions of one language, then translations linked
// between those groups. analyse() and the distributed run both decide here.
StoryLinks link_stories(const StoryScorer& scorer, const std::vector<const PreparedDocument*>& documents,
                        const StoryLinkOptions& options);

}  // namespace neardup::detail
