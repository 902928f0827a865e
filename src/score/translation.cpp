#include "score/translation.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "core/parallel.hpp"
#include "score/similarity.hpp"

namespace neardup::detail {
namespace {

// Story support is counted over the pairs accepted without it, then once more with it
// (tools/fit_translation_model.py counts it the same way).
constexpr int story_support_rounds = 2;
// Documents of third languages that must link both sides of an unranked pair for it to be scored.
constexpr std::size_t min_story_witnesses = 2;
// A pair is scored in full when one side is among the other's best few in its language.
constexpr std::size_t contention_rank = 5;
// Sentences sharing less than this (cosine) are not aligned even when each is the other's best.
constexpr float min_sentence_similarity = 0.1f;

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

std::array<double, model_feature_count> TranslationModel::features(const TranslationSignals& signals) {
  return {std::log(std::max(signals.margin, 1e-3)), signals.mutual_best ? 1.0 : 0.0, signals.share,
          signals.share * signals.order, signals.anchors_only ? 1.0 : 0.0, signals.raw};
}

double TranslationModel::direct_log_odds(const TranslationSignals& signals) const {
  const auto x = features(signals);
  double z = bias;
  for (std::size_t i = 0; i < x.size(); ++i) z += weights[i] * x[i];
  return z;
}

double TranslationModel::log_odds(const TranslationSignals& signals) const {
  return direct_log_odds(signals) + support_weight * std::log1p(static_cast<double>(signals.support));
}

double TranslationModel::probability(double log_odds) { return 1.0 / (1.0 + std::exp(-log_odds)); }

std::vector<TranslationCandidate> score_translation_candidates(const std::vector<const PreparedDocument*>& documents, unsigned threads) {
  const auto n = static_cast<std::uint32_t>(documents.size());
  Prepared corpus;
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
  std::vector<SparseVector> gram_vectors(n), anchor_vectors(n);
  parallel_for(threads, n, [&](std::size_t d) {
    gram_vectors[d] = weigh(corpus.grams[d], corpus.idf, false, corpus.vocabulary);
    anchor_vectors[d] = weigh(corpus.anchors[d], corpus.idf, false, corpus.vocabulary);
    for (auto* vector : {&gram_vectors[d], &anchor_vectors[d]})
      std::erase_if(*vector, [&](const WeightedFeature& feature) { return !informative(feature); });
  });

  struct Posting {
    std::uint32_t document;
    float weight;
  };
  std::vector<std::vector<Posting>> postings(corpus.vocabulary.size());
  for (std::uint32_t d = 0; d < n; ++d)
    for (const auto* vectors : {&gram_vectors, &anchor_vectors})
      for (const auto& feature : (*vectors)[d]) postings[feature.id].push_back({d, feature.weight});

  // For each document, its best matches in every other language: dot products accumulated
  // through the postings, so only documents sharing a feature are ever touched.
  std::vector<std::vector<LanguageBest>> bests(n);
  parallel_for(threads, n, [&](std::size_t x) {
    thread_local std::vector<std::uint32_t> touched;
    thread_local std::vector<float> gram_dot, anchor_dot;
    touched.clear();
    gram_dot.resize(n, 0.0f);
    anchor_dot.resize(n, 0.0f);
    for (const bool anchors : {false, true})
      for (const auto& feature : (anchors ? anchor_vectors : gram_vectors)[x])
        for (const Posting& posting : postings[feature.id]) {
          const std::uint32_t y = posting.document;
          if (corpus.language[y] == corpus.language[x]) continue;
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

  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  for (std::uint32_t x = 0; x < n; ++x)
    for (const auto& entry : bests[x])
      for (std::size_t r = 0; r < std::min(contention_rank, entry.best.size()); ++r)
        pairs.emplace_back(std::min(x, entry.best[r].other), std::max(x, entry.best[r].other));
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());

  // Sentence vectors of every document, with all features and with anchors only.
  std::vector<std::array<SentenceIndex, 2>> sentence_indexes(n);
  parallel_for(threads, n, [&](std::size_t d) {
    for (const bool anchors_only : {false, true}) {
      std::vector<SparseVector> vectors;
      for (const auto& ids : sentence_ids[d]) vectors.push_back(weigh(count_features(ids), corpus.idf, anchors_only, corpus.vocabulary));
      sentence_indexes[d][anchors_only] = SentenceIndex(vectors);
    }
  });

  const TranslationModel& model = TranslationModel::fitted();
  auto score_pairs = [&](const std::vector<std::pair<std::uint32_t, std::uint32_t>>& to_score) {
  std::vector<TranslationCandidate> candidates(to_score.size());
  parallel_for(threads, to_score.size(), [&](std::size_t c) {
    const auto [a, b] = to_score[c];
    TranslationCandidate& candidate = candidates[c];
    candidate.a = a;
    candidate.b = b;
    TranslationSignals& signals = candidate.signals;
    signals.anchors_only = anchors_only_between(corpus, a, b);
    signals.raw = pair_score(gram_vectors[a], anchor_vectors[a], gram_vectors[b], anchor_vectors[b], signals.anchors_only);
    bool found_a = false, found_b = false;
    const double background_a = background(bests[a], corpus.language[b], b, found_a);
    const double background_b = background(bests[b], corpus.language[a], a, found_b);
    const int sides = (found_a ? 1 : 0) + (found_b ? 1 : 0);
    const double mean_background = sides == 0 ? 0.0 : (background_a + background_b) / sides;
    signals.margin = mean_background > signals.raw / max_margin ? signals.raw / mean_background : max_margin;
    const Scored* best_a = best_in(bests[a], corpus.language[b]);
    const Scored* best_b = best_in(bests[b], corpus.language[a]);
    signals.mutual_best = best_a != nullptr && best_b != nullptr && best_a->other == b && best_b->other == a;
    candidate.alignment = align_sentences(sentence_indexes[a][signals.anchors_only], sentence_indexes[b][signals.anchors_only],
                                          min_sentence_similarity);
    signals.share = candidate.alignment.share;
    signals.order = candidate.alignment.order;
    std::vector<std::pair<float, std::uint64_t>> shared;
    for (std::size_t i = 0, j = 0; i < corpus.anchors[a].size() && j < corpus.anchors[b].size();) {
      const std::uint32_t id_a = corpus.anchors[a][i].id, id_b = corpus.anchors[b][j].id;
      if (id_a == id_b) shared.emplace_back(corpus.idf[id_a], corpus.vocabulary.hash(id_a)), ++i, ++j;
      else if (id_a < id_b) ++i;
      else ++j;
    }
    std::sort(shared.begin(), shared.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
    for (const auto& [idf, hash] : shared) candidate.shared_anchors.push_back(hash);
  }, 8);
  return candidates;
  };
  std::vector<TranslationCandidate> candidates = score_pairs(pairs);

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
  auto more = score_pairs(new_pairs);
  candidates.insert(candidates.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));

  // Story support: common neighbours in third languages over the accepted pairs: first those the
  // direct evidence accepts, then, once more, those accepted with the support found so far.
  for (int round = 0; round < story_support_rounds; ++round) {
    std::vector<std::vector<std::uint32_t>> accepted(n);
    for (const auto& candidate : candidates) {
      const bool accept = round == 0 ? model.direct_log_odds(candidate.signals) >= 0.0 : candidate.probability >= 0.5;
      if (!accept) continue;
      accepted[candidate.a].push_back(candidate.b);
      accepted[candidate.b].push_back(candidate.a);
    }
    for (auto& list : accepted) std::sort(list.begin(), list.end());
    parallel_for(threads, candidates.size(), [&](std::size_t c) {
      TranslationCandidate& candidate = candidates[c];
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
      candidate.probability = TranslationModel::probability(candidate.log_odds);
    }, 256);
  }
  return candidates;
}

std::vector<TranslationCandidate> link_translations(std::vector<TranslationCandidate> candidates,
                                                    const std::vector<const PreparedDocument*>& documents,
                                                    bool one_to_one, double threshold) {
  std::sort(candidates.begin(), candidates.end(),
            [](const TranslationCandidate& x, const TranslationCandidate& y) {
              return x.log_odds > y.log_odds || (x.log_odds == y.log_odds && std::pair(x.a, x.b) < std::pair(y.a, y.b));
            });
  // (document, partner language) already linked.
  std::map<std::pair<std::uint32_t, std::string>, bool> linked;
  std::vector<TranslationCandidate> accepted;
  for (auto& candidate : candidates) {
    if (candidate.probability < threshold) break;
    const auto key_a = std::pair(candidate.a, documents[candidate.b]->lang);
    const auto key_b = std::pair(candidate.b, documents[candidate.a]->lang);
    if (one_to_one && (linked.count(key_a) != 0 || linked.count(key_b) != 0)) continue;
    linked[key_a] = linked[key_b] = true;
    accepted.push_back(std::move(candidate));
  }
  std::sort(accepted.begin(), accepted.end(),
            [](const TranslationCandidate& x, const TranslationCandidate& y) { return std::pair(x.a, x.b) < std::pair(y.a, y.b); });
  return accepted;
}

}  // namespace neardup::detail
