#include "score/translation.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "base/disjoint_sets.hpp"
#include "base/parallel.hpp"
#include "score/similarity.hpp"

namespace neardup::detail {
namespace {

// The same-story model's probability at which a pair is reported.
constexpr double same_story_probability = 0.5;

// Story support is counted over the pairs accepted without it, then once more with it
// (tools/fit_translation_model.py counts it the same way).
constexpr int story_support_rounds = 2;
// Documents of third languages that must link both sides of an unranked pair for it to be scored.
constexpr std::size_t min_story_witnesses = 2;
// A pair is scored in full when one side is among the other's best few in its language.
constexpr std::size_t contention_rank = 5;
// A bead of sentences sharing less than this (cosine) scores below a skip: the alignment leaves it out.
constexpr float min_sentence_similarity = 0.03f;

struct FeatureCount {
  std::uint32_t id;
  std::uint32_t count;
};

class Vocabulary {
 public:
  std::uint32_t id_of(std::uint64_t hash, bool anchor) {
    auto [it, inserted] = ids_.try_emplace(hash, static_cast<std::uint32_t>(hashes_.size()));
    if (inserted) {
      hashes_.push_back(hash);
      is_anchor_.push_back(anchor);
      df_.push_back(0);
    }
    return it->second;
  }
  void count_document(const std::vector<FeatureCount>& features) {
    for (const auto& feature : features) ++df_[feature.id];
  }
  std::size_t size() const { return hashes_.size(); }
  std::uint32_t df(std::uint32_t id) const { return df_[id]; }
  bool is_anchor(std::uint32_t id) const { return is_anchor_[id]; }
  std::uint64_t hash(std::uint32_t id) const { return hashes_[id]; }
  const std::uint32_t* find(std::uint64_t hash) const {
    const auto it = ids_.find(hash);
    return it == ids_.end() ? nullptr : &it->second;
  }

 private:
  std::unordered_map<std::uint64_t, std::uint32_t> ids_;
  std::vector<std::uint64_t> hashes_;
  std::vector<bool> is_anchor_;
  std::vector<std::uint32_t> df_;
};

std::vector<FeatureCount> count_features(std::vector<std::uint32_t> ids) {
  std::sort(ids.begin(), ids.end());
  std::vector<FeatureCount> counts;
  for (std::uint32_t id : ids) {
    if (!counts.empty() && counts.back().id == id) ++counts.back().count;
    else counts.push_back({id, 1});
  }
  return counts;
}

SparseVector weigh(const std::vector<FeatureCount>& counts, const std::vector<float>& idf, bool anchors_only,
                   const Vocabulary& vocabulary) {
  SparseVector vector;
  double norm = 0.0;
  for (const auto& [id, count] : counts) {
    if (anchors_only && !vocabulary.is_anchor(id)) continue;
    const float weight = (1.0f + std::log(static_cast<float>(count))) * idf[id];
    if (weight <= 0.0f) continue;
    vector.push_back({id, weight});
    norm += static_cast<double>(weight) * weight;
  }
  const auto scale = static_cast<float>(norm > 0.0 ? 1.0 / std::sqrt(norm) : 0.0);
  for (auto& feature : vector) feature.weight *= scale;
  return vector;
}

// A document's sentences as vectors, with all features or with anchors only; sentence_ids are
// the vocabulary ids of each sentence's grams and anchors.
SentenceIndex sentence_index(const std::vector<std::vector<std::uint32_t>>& sentence_ids, std::vector<float> lengths,
                             const std::vector<float>& idf, bool anchors_only, const Vocabulary& vocabulary) {
  std::vector<SparseVector> vectors;
  for (const auto& ids : sentence_ids) vectors.push_back(weigh(count_features(ids), idf, anchors_only, vocabulary));
  return SentenceIndex(vectors, std::move(lengths));
}

std::vector<float> sentence_lengths(const PreparedDocument& document) {
  std::vector<float> lengths;
  for (const auto& sentence : document.sentences) lengths.push_back(static_cast<float>(sentence.span.end - sentence.span.begin));
  return lengths;
}

struct Scored {
  std::uint32_t other;
  float score;
};

// The best few matches of one document in one language, best first.
struct LanguageBest {
  std::uint32_t language;
  std::vector<Scored> best;
};

struct Prepared {
  std::vector<std::uint32_t> language;  // per document
  std::vector<int> family;
  std::vector<std::vector<FeatureCount>> grams, anchors;  // per document
  Vocabulary vocabulary;
  std::vector<float> idf;
};

bool anchors_only_between(const Prepared& corpus, std::uint32_t a, std::uint32_t b) {
  return corpus.family[a] != corpus.family[b];
}

double background(const std::vector<LanguageBest>& bests, std::uint32_t language, std::uint32_t excluded, bool& found) {
  found = false;
  for (const auto& entry : bests) {
    if (entry.language != language) continue;
    double sum = 0.0;
    std::size_t count = 0;
    for (const auto& scored : entry.best) {
      if (scored.other == excluded) continue;
      if (count == background_size) break;
      sum += scored.score;
      ++count;
    }
    found = count > 0;
    return found ? sum / static_cast<double>(count) : 0.0;
  }
  return 0.0;
}

const Scored* best_in(const std::vector<LanguageBest>& bests, std::uint32_t language) {
  for (const auto& entry : bests)
    if (entry.language == language && !entry.best.empty()) return &entry.best.front();
  return nullptr;
}

}  // namespace

std::array<double, model_feature_count> PairModel::features(const PairSignals& signals) {
  return {std::log(std::max(signals.margin, 1e-3)), signals.mutual_best ? 1.0 : 0.0, signals.coverage_low,
          signals.coverage_high, signals.anchors_only ? 1.0 : 0.0, signals.raw,
          std::log(std::max<double>(signals.sentences, 1.0)), signals.translated_apart ? 1.0 : 0.0};
}

double PairModel::direct_log_odds(const PairSignals& signals) const {
  const auto x = features(signals);
  double z = bias;
  for (std::size_t i = 0; i < x.size(); ++i) z += weights[i] * x[i];
  return z;
}

double PairModel::log_odds(const PairSignals& signals) const {
  return direct_log_odds(signals) + support_weight * std::log1p(static_cast<double>(signals.support));
}

double PairModel::probability(double log_odds) { return 1.0 / (1.0 + std::exp(-log_odds)); }

struct StoryScorer::Space {
  std::uint32_t n = 0;
  Prepared corpus;
  std::vector<SparseVector> gram_vectors, anchor_vectors;
  struct Posting {
    std::uint32_t document;
    float weight;
  };
  std::vector<std::vector<Posting>> postings;
  // Sentence vectors of every document, with all features and with anchors only.
  std::vector<std::array<SentenceIndex, 2>> sentence_indexes;
  std::vector<std::size_t> sentence_counts;

  // For each document, its best matches in every other language (or in its own): dot products
  // accumulated through the postings, so only documents sharing a feature are ever touched.
  std::vector<std::vector<LanguageBest>> best_matches(bool same_language, const std::vector<bool>& active, unsigned threads) const;
  std::vector<CandidatePair> score_pairs(const std::vector<std::pair<std::uint32_t, std::uint32_t>>& to_score,
                                         const std::vector<std::vector<LanguageBest>>& bests, const PairModel& model,
                                         unsigned threads) const;
};

StoryScorer::StoryScorer(const std::vector<const PreparedDocument*>& documents, unsigned threads)
    : space_(std::make_unique<Space>()), threads_(threads) {
  Space& space = *space_;
  Prepared& corpus = space.corpus;
  const auto n = space.n = static_cast<std::uint32_t>(documents.size());
  std::map<std::string, std::uint32_t> language_ids;
  std::vector<std::vector<std::vector<std::uint32_t>>> sentence_ids(n);
  for (std::uint32_t d = 0; d < n; ++d) {
    const PreparedDocument& document = *documents[d];
    corpus.language.push_back(language_ids.try_emplace(document.lang, static_cast<std::uint32_t>(language_ids.size())).first->second);
    corpus.family.push_back(spelling_family(document.script));
    std::vector<std::uint32_t> grams, anchors;
    for (const auto& sentence : document.sentences) {
      std::vector<std::uint32_t> ids;
      for (std::uint64_t hash : sentence.grams) ids.push_back(corpus.vocabulary.id_of(hash, false));
      grams.insert(grams.end(), ids.begin(), ids.end());
      const std::size_t first_anchor = ids.size();
      for (std::uint64_t hash : sentence.anchors) ids.push_back(corpus.vocabulary.id_of(hash, true));
      anchors.insert(anchors.end(), ids.begin() + static_cast<std::ptrdiff_t>(first_anchor), ids.end());
      sentence_ids[d].push_back(std::move(ids));
    }
    corpus.grams.push_back(count_features(std::move(grams)));
    corpus.anchors.push_back(count_features(std::move(anchors)));
    corpus.vocabulary.count_document(corpus.grams.back());
    corpus.vocabulary.count_document(corpus.anchors.back());
  }
  corpus.idf.resize(corpus.vocabulary.size());
  for (std::uint32_t id = 0; id < corpus.vocabulary.size(); ++id)
    corpus.idf[id] = static_cast<float>(std::log((n + 1.0) / corpus.vocabulary.df(id)));

  // Document vectors are normalised over all their features, then keep only the informative
  // ones: a feature of one document cannot link two, and a common one links too many to walk.
  const std::size_t common_df =
      std::clamp<std::size_t>(static_cast<std::size_t>(common_feature_share * n), min_common_df, max_common_df);
  auto informative = [&](const WeightedFeature& feature) {
    const std::uint32_t df = corpus.vocabulary.df(feature.id);
    return df >= 2 && df <= common_df;
  };
  space.gram_vectors.resize(n);
  space.anchor_vectors.resize(n);
  parallel_for(threads, n, [&](std::size_t d) {
    space.gram_vectors[d] = weigh(corpus.grams[d], corpus.idf, false, corpus.vocabulary);
    space.anchor_vectors[d] = weigh(corpus.anchors[d], corpus.idf, false, corpus.vocabulary);
    for (auto* vector : {&space.gram_vectors[d], &space.anchor_vectors[d]})
      std::erase_if(*vector, [&](const WeightedFeature& feature) { return !informative(feature); });
  });

  space.postings.resize(corpus.vocabulary.size());
  for (std::uint32_t d = 0; d < n; ++d)
    for (const auto* vectors : {&space.gram_vectors, &space.anchor_vectors})
      for (const auto& feature : (*vectors)[d]) space.postings[feature.id].push_back({d, feature.weight});

  space.sentence_indexes.resize(n);
  for (std::uint32_t d = 0; d < n; ++d) space.sentence_counts.push_back(sentence_ids[d].size());
  parallel_for(threads, n, [&](std::size_t d) {
    for (const bool anchors_only : {false, true})
      space.sentence_indexes[d][anchors_only] =
          sentence_index(sentence_ids[d], sentence_lengths(*documents[d]), corpus.idf, anchors_only, corpus.vocabulary);
  });
}

StoryScorer::~StoryScorer() = default;

SentenceAlignment StoryScorer::align(const PreparedDocument& a, const PreparedDocument& b) const {
  const Prepared& corpus = space_->corpus;
  const bool anchors_only = spelling_family(a.script) != spelling_family(b.script);
  auto index = [&](const PreparedDocument& document) {
    std::vector<std::vector<std::uint32_t>> sentence_ids;
    for (const auto& sentence : document.sentences) {
      auto& ids = sentence_ids.emplace_back();
      for (const auto* hashes : {&sentence.grams, &sentence.anchors})
        for (std::uint64_t hash : *hashes)
          if (const std::uint32_t* id = corpus.vocabulary.find(hash)) ids.push_back(*id);
    }
    return sentence_index(sentence_ids, sentence_lengths(document), corpus.idf, anchors_only, corpus.vocabulary);
  };
  return align_sentences(index(a), index(b), min_sentence_similarity);
}

std::vector<std::vector<LanguageBest>> StoryScorer::Space::best_matches(bool same_language, const std::vector<bool>& active,
                                                                        unsigned threads) const {
  std::vector<std::vector<LanguageBest>> bests(n);
  parallel_for(threads, n, [&](std::size_t x) {
    if (!active[x]) return;
    thread_local std::vector<std::uint32_t> touched;
    thread_local std::vector<float> gram_dot, anchor_dot;
    touched.clear();
    gram_dot.resize(n, 0.0f);
    anchor_dot.resize(n, 0.0f);
    for (const bool anchors : {false, true})
      for (const auto& feature : (anchors ? anchor_vectors : gram_vectors)[x])
        for (const Posting& posting : postings[feature.id]) {
          const std::uint32_t y = posting.document;
          if ((corpus.language[y] == corpus.language[x]) != same_language || y == x || !active[y]) continue;
          if (gram_dot[y] == 0.0f && anchor_dot[y] == 0.0f) touched.push_back(y);
          (anchors ? anchor_dot : gram_dot)[y] += feature.weight * posting.weight;
        }
    std::vector<LanguageBest>& mine = bests[x];
    for (std::uint32_t y : touched) {
      const bool anchors_only = anchors_only_between(corpus, static_cast<std::uint32_t>(x), y);
      const float score = anchors_only ? anchor_dot[y] : 0.5f * (gram_dot[y] + anchor_dot[y]);
      gram_dot[y] = anchor_dot[y] = 0.0f;
      if (score <= 0.0f) continue;
      auto entry = std::find_if(mine.begin(), mine.end(), [&](const LanguageBest& e) { return e.language == corpus.language[y]; });
      if (entry == mine.end()) entry = mine.insert(mine.end(), LanguageBest{corpus.language[y], {}});
      auto& best = entry->best;
      auto at = std::find_if(best.begin(), best.end(), [&](const Scored& s) { return s.score < score || (s.score == score && s.other > y); });
      best.insert(at, Scored{y, score});
      if (best.size() > background_size + 1) best.pop_back();
    }
  }, 4);
  return bests;
}

std::vector<CandidatePair> StoryScorer::Space::score_pairs(const std::vector<std::pair<std::uint32_t, std::uint32_t>>& to_score,
                                                           const std::vector<std::vector<LanguageBest>>& bests,
                                                           const PairModel& model, unsigned threads) const {
  std::vector<CandidatePair> candidates(to_score.size());
  parallel_for(threads, to_score.size(), [&](std::size_t c) {
    const auto [a, b] = to_score[c];
    CandidatePair& candidate = candidates[c];
    candidate.a = a;
    candidate.b = b;
    PairSignals& signals = candidate.signals;
    signals.anchors_only = anchors_only_between(corpus, a, b);
    signals.raw = pair_score(gram_vectors[a], anchor_vectors[a], gram_vectors[b], anchor_vectors[b], signals.anchors_only);
    bool found_a = false, found_b = false;
    const double background_a = background(bests[a], corpus.language[b], b, found_a);
    const double background_b = background(bests[b], corpus.language[a], a, found_b);
    signals.margin = background_margin(signals.raw, background_a, found_a, background_b, found_b);
    // Two documents alone in their language: nothing shows that their likeness stands out.
    if (!found_a && !found_b && corpus.language[a] == corpus.language[b]) signals.margin = 1.0;
    const Scored* best_a = best_in(bests[a], corpus.language[b]);
    const Scored* best_b = best_in(bests[b], corpus.language[a]);
    signals.best_for_a = best_a != nullptr && best_a->other == b;
    signals.best_for_b = best_b != nullptr && best_b->other == a;
    signals.mutual_best = signals.best_for_a && signals.best_for_b;
    candidate.alignment = align_sentences(sentence_indexes[a][signals.anchors_only], sentence_indexes[b][signals.anchors_only],
                                          min_sentence_similarity);
    signals.coverage_low = std::min(candidate.alignment.coverage_a, candidate.alignment.coverage_b);
    signals.coverage_high = std::max(candidate.alignment.coverage_a, candidate.alignment.coverage_b);
    signals.sentences = static_cast<std::uint32_t>(std::min(sentence_counts[a], sentence_counts[b]));
    std::vector<std::pair<float, std::uint64_t>> shared;
    for (std::size_t i = 0, j = 0; i < corpus.anchors[a].size() && j < corpus.anchors[b].size();) {
      const std::uint32_t id_a = corpus.anchors[a][i].id, id_b = corpus.anchors[b][j].id;
      if (id_a == id_b) shared.emplace_back(corpus.idf[id_a], corpus.vocabulary.hash(id_a)), ++i, ++j;
      else if (id_a < id_b) ++i;
      else ++j;
    }
    std::sort(shared.begin(), shared.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
    for (const auto& [idf, hash] : shared) candidate.shared_anchors.push_back(hash);
    candidate.log_odds = model.log_odds(signals);
    candidate.probability = PairModel::probability(candidate.log_odds);
  }, 8);
  return candidates;
}

namespace {

// The pairs where one side is among the other's best few in the other's language.
std::vector<std::pair<std::uint32_t, std::uint32_t>> contending_pairs(const std::vector<std::vector<LanguageBest>>& bests) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  for (std::uint32_t x = 0; x < bests.size(); ++x)
    for (const auto& entry : bests[x])
      for (std::size_t r = 0; r < std::min(contention_rank, entry.best.size()); ++r)
        pairs.emplace_back(std::min(x, entry.best[r].other), std::max(x, entry.best[r].other));
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  return pairs;
}

}  // namespace

std::vector<CandidatePair> StoryScorer::same_story_candidates(const std::vector<CandidatePair>& translations) const {
  const std::uint32_t n = space_->n;
  const std::vector<bool> all(n, true);
  const auto bests = space_->best_matches(true, all, threads_);
  auto candidates = space_->score_pairs(contending_pairs(bests), bests, PairModel::same_story(), threads_);
  std::vector<std::vector<std::uint32_t>> translated(n);
  for (const auto& translation : translations)
    if (translation.probability >= translation_probability) {
      translated[translation.a].push_back(translation.b);
      translated[translation.b].push_back(translation.a);
    }
  for (auto& list : translated) std::sort(list.begin(), list.end());
  const PairModel& model = PairModel::same_story();
  for (CandidatePair& candidate : candidates) {
    const auto& x = translated[candidate.a];
    const auto& y = translated[candidate.b];
    std::vector<std::uint32_t> common;
    std::set_intersection(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(common));
    candidate.signals.support = static_cast<std::uint32_t>(common.size());
    candidate.signals.translated_apart = !x.empty() && !y.empty() && common.empty();
    candidate.log_odds = model.log_odds(candidate.signals);
    candidate.probability = PairModel::probability(candidate.log_odds);
  }
  return candidates;
}

std::vector<CandidatePair> StoryScorer::translation_candidates() const {
  const Space& space = *space_;
  const std::uint32_t n = space.n;
  const auto& corpus = space.corpus;
  const PairModel& model = PairModel::translation();
  const auto bests = space.best_matches(false, std::vector<bool>(n, true), threads_);
  const auto pairs = contending_pairs(bests);
  std::vector<CandidatePair> candidates = space.score_pairs(pairs, bests, model, threads_);

  // Pairs that no feature ranks high but that the direct evidence links through two or more
  // documents of third languages are scored too: for scripts that compare poorly, the story
  // is the better witness.
  auto accepted_directly = [&] {
    std::vector<std::vector<std::uint32_t>> accepted(n);
    for (const auto& candidate : candidates)
      if (model.direct_log_odds(candidate.signals) >= 0.0) {
        accepted[candidate.a].push_back(candidate.b);
        accepted[candidate.b].push_back(candidate.a);
      }
    return accepted;
  }();
  std::vector<std::pair<std::uint32_t, std::uint32_t>> through_stories;
  for (const auto& neighbours : accepted_directly)
    for (std::size_t i = 0; i < neighbours.size(); ++i)
      for (std::size_t j = i + 1; j < neighbours.size(); ++j)
        if (corpus.language[neighbours[i]] != corpus.language[neighbours[j]])
          through_stories.emplace_back(std::min(neighbours[i], neighbours[j]), std::max(neighbours[i], neighbours[j]));
  std::sort(through_stories.begin(), through_stories.end());
  std::vector<std::pair<std::uint32_t, std::uint32_t>> new_pairs;
  for (std::size_t i = 0; i < through_stories.size();) {
    std::size_t j = i;
    while (j < through_stories.size() && through_stories[j] == through_stories[i]) ++j;
    if (j - i >= min_story_witnesses && !std::binary_search(pairs.begin(), pairs.end(), through_stories[i]))
      new_pairs.push_back(through_stories[i]);
    i = j;
  }
  auto more = space.score_pairs(new_pairs, bests, model, threads_);
  candidates.insert(candidates.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));

  // Story support: common neighbours in third languages over the accepted pairs: first those the
  // direct evidence accepts, then, once more, those accepted with the support found so far.
  for (int round = 0; round < story_support_rounds; ++round) {
    std::vector<std::vector<std::uint32_t>> accepted(n);
    for (const auto& candidate : candidates) {
      const bool accept = round == 0 ? model.direct_log_odds(candidate.signals) >= 0.0 : candidate.probability >= translation_probability;
      if (!accept) continue;
      accepted[candidate.a].push_back(candidate.b);
      accepted[candidate.b].push_back(candidate.a);
    }
    for (auto& list : accepted) std::sort(list.begin(), list.end());
    parallel_for(threads_, candidates.size(), [&](std::size_t c) {
      CandidatePair& candidate = candidates[c];
      const auto& x = accepted[candidate.a];
      const auto& y = accepted[candidate.b];
      candidate.signals.support = 0;
      for (std::size_t i = 0, j = 0; i < x.size() && j < y.size();) {
        if (x[i] == y[j]) {
          if (corpus.language[x[i]] != corpus.language[candidate.a] && corpus.language[x[i]] != corpus.language[candidate.b])
            ++candidate.signals.support;
          ++i, ++j;
        } else if (x[i] < y[j]) {
          ++i;
        } else {
          ++j;
        }
      }
      candidate.log_odds = model.log_odds(candidate.signals);
      candidate.probability = PairModel::probability(candidate.log_odds);
    }, 256);
  }
  return candidates;
}

std::vector<CandidatePair> score_translation_candidates(const std::vector<const PreparedDocument*>& documents, unsigned threads) {
  return StoryScorer(documents, threads).translation_candidates();
}

std::vector<CandidatePair> link_translations(std::vector<CandidatePair> candidates,
                                             const std::vector<const PreparedDocument*>& documents,
                                             const std::vector<std::uint32_t>& group, bool one_to_one, double threshold) {
  std::sort(candidates.begin(), candidates.end(),
            [](const CandidatePair& x, const CandidatePair& y) {
              return x.log_odds > y.log_odds || (x.log_odds == y.log_odds && std::pair(x.a, x.b) < std::pair(y.a, y.b));
            });
  // (group, partner language) -> the partner group linked; (document, partner language) linked.
  std::map<std::pair<std::uint32_t, std::string>, std::uint32_t> linked;
  std::set<std::pair<std::uint32_t, std::string>> has_partner;
  std::vector<CandidatePair> accepted;
  for (auto& candidate : candidates) {
    if (candidate.probability < threshold) break;
    const std::string& lang_a = documents[candidate.a]->lang;
    const std::string& lang_b = documents[candidate.b]->lang;
    const std::uint32_t group_a = group[candidate.a], group_b = group[candidate.b];
    if (one_to_one) {
      const auto at_a = linked.find({group_a, lang_b}), at_b = linked.find({group_b, lang_a});
      if ((at_a != linked.end() && at_a->second != group_b) || (at_b != linked.end() && at_b->second != group_a)) continue;
      const bool a_linked = has_partner.count({candidate.a, lang_b}) != 0;
      const bool b_linked = has_partner.count({candidate.b, lang_a}) != 0;
      if ((a_linked && b_linked) || (a_linked && !candidate.signals.best_for_b) || (b_linked && !candidate.signals.best_for_a)) continue;
    }
    linked.try_emplace({group_a, lang_b}, group_b);
    linked.try_emplace({group_b, lang_a}, group_a);
    has_partner.insert({candidate.a, lang_b});
    has_partner.insert({candidate.b, lang_a});
    accepted.push_back(std::move(candidate));
  }
  std::sort(accepted.begin(), accepted.end(),
            [](const CandidatePair& x, const CandidatePair& y) { return std::pair(x.a, x.b) < std::pair(y.a, y.b); });
  return accepted;
}

std::vector<CandidatePair> link_same_story(std::vector<CandidatePair> candidates, double threshold) {
  std::erase_if(candidates, [&](const CandidatePair& candidate) { return candidate.probability < threshold; });
  return candidates;
}

StoryLinks link_stories(const StoryScorer& scorer, const std::vector<const PreparedDocument*>& documents,
                        const StoryLinkOptions& options) {
  StoryLinks links;
  auto translation_candidates = scorer.translation_candidates();
  if (options.same_story)
    links.same_story = link_same_story(scorer.same_story_candidates(translation_candidates), same_story_probability);
  const auto count = static_cast<std::uint32_t>(documents.size());
  DisjointSets versions(count);
  for (const auto& link : links.same_story) versions.join(link.a, link.b);
  std::vector<std::uint32_t> group(count);
  for (std::uint32_t d = 0; d < count; ++d) group[d] = versions.find(d);
  links.translations =
      link_translations(std::move(translation_candidates), documents, group, options.one_to_one, options.translation_threshold);
  return links;
}

}  // namespace neardup::detail
