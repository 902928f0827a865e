// The persistent index in memory.
//
// Translations are scored as score/translation.cpp scores them in batch (the same rare-feature
// cosine, background margin and fitted model), with what an incremental index can afford:
//   - each document keeps the bottom max_grams / max_anchors of its distinct gram and anchor
//     hashes. Hash order, not rarity, chooses them: rarity at add time depends on what came
//     before, and would drop exactly the features a later translation shares with the document
//     (they are rarest only once both are in); the bottom-k by hash of two documents keep the
//     same shared features. Document frequencies are counted over the kept features of live
//     documents, so they follow every add and remove and are rebuilt from the stored documents.
//   - candidates come from the postings of the query's informative features, ranked roughly
//     (weights of a candidate from its norm at the time it was indexed), and the best
//     rescored_per_language of each language are scored exactly with current frequencies.
//   - mutual best and the candidate's background are found by one more postings walk, from the
//     best candidate of each language back to the query's language.
//   - no sentence alignment (share = order = 0) and no story support.
#include "store/index_state.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <mutex>
#include <thread>

#include "ingest/utf8.hpp"
#include "score/translation.hpp"
#include "shingle/features.hpp"
#include "text/normalise.hpp"
#include "text/transliterate.hpp"

namespace neardup::detail {
namespace {

// The bottom of each document's distinct hashes by value: a few hundred features bound memory.
constexpr std::size_t max_grams = 256;
constexpr std::size_t max_anchors = 128;
// How many features ahead State::add fetches the memory it will touch.
constexpr std::size_t prefetch_distance = 16;
// Candidates per language scored exactly after the rough ranking through the postings.
constexpr std::size_t rescored_per_language = 8;

// One short word in each script whose transliteration the pivot depends on most.
constexpr std::array<std::string_view, 6> self_test_texts = {
    "નમસ્તે",   // Gujarati
    "வணக்கம்",  // Tamil
    "ਪੰਜਾਬ",    // Gurmukhi
    "বাংলা",    // Bengali
    "پاکستان",  // Urdu
    "ලංකාව",   // Sinhala
};

std::vector<StoredFeature> bottom_features(std::vector<std::uint64_t> hashes, std::size_t cap) {
  std::sort(hashes.begin(), hashes.end());
  std::vector<StoredFeature> features;
  for (std::uint64_t hash : hashes) {
    if (!features.empty() && features.back().hash == hash) {
      if (features.back().count < 255) ++features.back().count;
    } else {
      if (features.size() == cap) break;
      features.push_back({hash, 1});
    }
  }
  return features;
}

void check_document(std::string_view id, std::string_view text) {
  if (id.empty()) throw Error(ErrorCode::bad_input, "a document needs a non-empty id");
  if (id.size() > max_id_bytes) throw Error(ErrorCode::bad_input, "document id longer than 64 KiB");
  if (!is_valid_utf8(id)) throw Error(ErrorCode::bad_input, "document id is not valid UTF-8");
  if (const std::size_t bad = find_invalid_utf8(text); bad != text.size())
    throw Error(ErrorCode::bad_input, "document " + std::string(id) + ": invalid UTF-8 at byte " + std::to_string(bad) + "; convert it to UTF-8 first");
  if (is_blank(text)) throw Error(ErrorCode::bad_input, "document " + std::string(id) + ": empty or blank text");
}

MinHashSketch widen(const MinHashParams& params, const std::vector<std::uint32_t>& slots) {
  return MinHashSketch(params, std::vector<std::uint64_t>(slots.begin(), slots.end()));
}

double estimate_jaccard(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b) {
  if (a.empty() || b.empty() || a.size() != b.size()) return 0.0;
  std::size_t equal = 0;
  for (std::size_t i = 0; i < a.size(); ++i) equal += a[i] == b[i] ? 1 : 0;
  return static_cast<double>(equal) / static_cast<double>(a.size());
}

// choose_banding integrates the S-curve numerically (milliseconds); an index opens often.
BandingParams banding_for(std::uint32_t k, double threshold) {
  static std::mutex mutex;
  static std::map<std::pair<std::uint32_t, double>, BandingParams> cache;
  std::lock_guard lock(mutex);
  const auto key = std::pair(k, threshold);
  auto it = cache.find(key);
  if (it == cache.end()) it = cache.emplace(key, choose_banding(k, threshold)).first;
  return it->second;
}

}  // namespace

std::vector<SelfTestSample> fresh_samples() {
  std::vector<SelfTestSample> samples;
  for (std::string_view text : self_test_texts) samples.push_back({std::string(text), to_pivot(normalise(text))});
  return samples;
}

std::vector<SelfTestSample> current_samples(const std::vector<SelfTestSample>& stored) {
  std::vector<SelfTestSample> samples;
  for (const auto& sample : stored) samples.push_back({sample.text, to_pivot(normalise(sample.text))});
  return samples;
}

StoredDocument extract(const IndexSpec& spec, std::string_view id, std::string_view text, const std::string& lang) {
  check_document(id, text);
  Document document;
  document.id = std::string(id);
  document.text = std::string(text);
  document.lang = lang;
  const PreparedDocument prepared = prepare(document, normalised_lines(document.text), {}, spec.word_shingle);
  StoredDocument stored;
  stored.id = std::move(document.id);
  stored.lang = prepared.lang;
  stored.script = static_cast<std::uint8_t>(prepared.script);
  stored.exact_hash = prepared.exact_hash;
  if (!prepared.word_shingles.hashes.empty()) {
    const MinHashSketch sketch = minhash(prepared.word_shingles.hashes, spec.minhash);
    // The low 32 bits of a slot estimate Jaccard as well as 64 (a chance agreement costs
    // 2^-32) at half the memory.
    for (std::uint64_t value : sketch.values()) stored.sketch.push_back(static_cast<std::uint32_t>(value));
  }
  std::vector<std::uint64_t> grams, anchors;
  for (const auto& sentence : prepared.sentences) {
    grams.insert(grams.end(), sentence.grams.begin(), sentence.grams.end());
    anchors.insert(anchors.end(), sentence.anchors.begin(), sentence.anchors.end());
  }
  stored.grams = bottom_features(std::move(grams), max_grams);
  stored.anchors = bottom_features(std::move(anchors), max_anchors);
  return stored;
}

State::State(const IndexSpec& spec)
    : spec_(spec), banding_(banding_for(spec.minhash.k, spec.near_duplicate_threshold)), lsh_(spec.minhash, banding_) {}

std::uint16_t State::language_id(const std::string& lang) {
  const auto [it, inserted] = language_ids_.try_emplace(lang, static_cast<std::uint16_t>(languages_.size()));
  if (inserted) languages_.push_back(lang);
  return it->second;
}

void State::add(const StoredDocument& document, const std::string& file, std::uint64_t offset) {
  if (!document.sketch.empty() && document.sketch.size() != spec_.minhash.k)
    throw_corrupt(file, offset, "a sketch of " + std::to_string(document.sketch.size()) + " slots in an index of k=" + std::to_string(spec_.minhash.k));
  if (document.script >= script_count) throw_corrupt(file, offset, "unknown script " + std::to_string(document.script));
  if (language_ids_.size() >= 0xFFFF && language_ids_.count(document.lang) == 0)
    throw Error(ErrorCode::usage, "more than 65535 languages in one index");
  remove(document.id);
  const auto slot = static_cast<std::uint32_t>(entries_.size());
  Entry entry;
  entry.id = document.id;
  entry.exact_hash = document.exact_hash;
  entry.sketch = document.sketch;
  entry.language = language_id(document.lang);
  entry.script = static_cast<Script>(document.script);
  entry.gram_count = static_cast<std::uint32_t>(document.grams.size());
  // Each feature's map slot, frequency and posting list is a cache miss at a million
  // documents: they are fetched prefetch_distance features ahead, so that many are in flight.
  const std::size_t grams = document.grams.size(), total = grams + document.anchors.size();
  const auto feature_at = [&](std::size_t i) -> const StoredFeature& { return i < grams ? document.grams[i] : document.anchors[i - grams]; };
  entry.features.resize(total);
  entry.counts.resize(total);
  for (std::size_t i = 0; i < total + prefetch_distance; ++i) {
    if (i < total) feature_ids_.prefetch(feature_at(i).hash);
    if (i < prefetch_distance) continue;
    const StoredFeature& feature = feature_at(i - prefetch_distance);
    std::uint32_t& id = feature_ids_.find_or_insert(feature.hash);
    if (id == FlatU64Map::none) {
      id = static_cast<std::uint32_t>(feature_hashes_.size());
      feature_hashes_.push_back(feature.hash);
      df_.push_back(0);
      postings_.emplace_back();
    }
    entry.features[i - prefetch_distance] = id;
    entry.counts[i - prefetch_distance] = feature.count;
  }
  for (std::size_t i = 0; i < total + prefetch_distance; ++i) {
    if (i < total) {
      __builtin_prefetch(&df_[entry.features[i]]);
      if (!bulk_loading_) __builtin_prefetch(&postings_[entry.features[i]]);
    }
    if (i < prefetch_distance) continue;
    const std::uint32_t id = entry.features[i - prefetch_distance];
    ++df_[id];
    if (!bulk_loading_) postings_[id].push_back(slot);
  }
  entries_.push_back(std::move(entry));
  slot_language_.push_back(entries_.back().language);
  refresh_norms(entries_.back());
  if (!bulk_loading_ && !document.sketch.empty()) lsh_.insert(slot, widen(spec_.minhash, document.sketch));
  slots_.emplace(document.id, slot);
  by_exact_hash_.emplace(document.exact_hash, slot);
  ++live_;
}

void State::begin_bulk_load(std::size_t documents) {
  bulk_loading_ = true;
  entries_.reserve(entries_.size() + documents);
  slot_language_.reserve(entries_.size() + documents);
  slots_.reserve(slots_.size() + documents);
  by_exact_hash_.reserve(by_exact_hash_.size() + documents);
  lsh_.reserve(documents);
}

void State::end_bulk_load() {
  bulk_loading_ = false;
  // The LSH tables and the postings are disjoint: built side by side. Removed entries have
  // neither features nor a sketch left, so df counts exactly the slots listing each feature.
  std::exception_ptr failure;
  std::thread sketches([&] {
    try {
      for (std::uint32_t slot = 0; slot < entries_.size(); ++slot)
        if (!entries_[slot].sketch.empty()) lsh_.insert(slot, widen(spec_.minhash, entries_[slot].sketch));
    } catch (...) {
      failure = std::current_exception();
    }
  });
  try {
    for (std::size_t id = 0; id < postings_.size(); ++id) postings_[id].reserve(df_[id]);
    // Two stages ahead (see add): a list's header, then the place its next slot goes.
    for (std::uint32_t slot = 0; slot < entries_.size(); ++slot) {
      const std::vector<std::uint32_t>& features = entries_[slot].features;
      for (std::size_t i = 0; i < features.size(); ++i) {
        if (i + 2 * prefetch_distance < features.size()) __builtin_prefetch(&postings_[features[i + 2 * prefetch_distance]]);
        if (i + prefetch_distance < features.size()) {
          const std::vector<std::uint32_t>& ahead = postings_[features[i + prefetch_distance]];
          __builtin_prefetch(ahead.data() + ahead.size(), 1);
        }
        postings_[features[i]].push_back(slot);
      }
    }
  } catch (...) {
    sketches.join();
    throw;
  }
  sketches.join();
  if (failure) std::rethrow_exception(failure);
}

bool State::remove(const std::string& id) {
  const auto it = slots_.find(id);
  if (it == slots_.end()) return false;
  Entry& entry = entries_[it->second];
  slot_language_[it->second] = dead_slot;
  for (std::uint32_t feature : entry.features) --df_[feature];
  for (auto [at, end] = by_exact_hash_.equal_range(entry.exact_hash); at != end; ++at)
    if (at->second == it->second) {
      by_exact_hash_.erase(at);
      break;
    }
  entry.live = false;
  // What queries no longer need; the id and the slot's place in postings and LSH stay until
  // the next checkpoint compacts them.
  entry.sketch = {};
  entry.features = {};
  entry.counts = {};
  slots_.erase(it);
  --live_;
  ++removed_;
  return true;
}

StoredDocument State::stored(const Entry& entry) const {
  StoredDocument document;
  document.id = entry.id;
  document.lang = languages_[entry.language];
  document.script = static_cast<std::uint8_t>(entry.script);
  document.exact_hash = entry.exact_hash;
  document.sketch = entry.sketch;
  for (std::size_t i = 0; i < entry.features.size(); ++i)
    (i < entry.gram_count ? document.grams : document.anchors).push_back({feature_hashes_[entry.features[i]], entry.counts[i]});
  return document;
}

namespace {

// Natural logarithms of small whole numbers, looked up: opening an index computes two for each
// of hundreds of millions of features.
double log_of(std::uint32_t n) {
  static const std::vector<double> table = [] {
    std::vector<double> logs(1u << 16);
    for (std::size_t i = 1; i < logs.size(); ++i) logs[i] = std::log(static_cast<double>(i));
    return logs;
  }();
  return n < table.size() ? table[n] : std::log(static_cast<double>(n));
}

}  // namespace

void State::refresh_norms(Entry& entry) {
  const double log_corpus = std::log(static_cast<double>(live_ + 2));
  double norms[2] = {0.0, 0.0};
  for (std::size_t i = 0; i < entry.features.size(); ++i) {
    const double weight = (1.0 + log_of(entry.counts[i])) * (log_corpus - log_of(df_[entry.features[i]]));
    norms[i < entry.gram_count ? 0 : 1] += weight * weight;
  }
  entry.gram_norm = static_cast<float>(std::sqrt(norms[0]));
  entry.anchor_norm = static_cast<float>(std::sqrt(norms[1]));
}

std::uint64_t State::bytes_in_memory() const {
  // Hash map nodes: key, value, next pointer and cached hash, plus one bucket pointer each.
  constexpr std::uint64_t node_overhead = 16 + 8;
  std::uint64_t bytes = entries_.capacity() * sizeof(Entry);
  for (const Entry& entry : entries_)
    bytes += (entry.id.capacity() > 15 ? entry.id.capacity() + 1 : 0) + entry.sketch.capacity() * 4 + entry.features.capacity() * 4 +
             entry.counts.capacity();
  bytes += slots_.size() * (sizeof(std::string) + 4 + node_overhead);
  bytes += by_exact_hash_.size() * (12 + node_overhead);
  bytes += feature_ids_.bytes() + feature_hashes_.capacity() * 8 + df_.capacity() * 4 +
           postings_.capacity() * sizeof(std::vector<std::uint32_t>) + slot_language_.capacity() * 2;
  for (const auto& posting : postings_) bytes += posting.capacity() * 4;
  return bytes + lsh_.bytes();
}

QueryDocument State::resolve(const StoredDocument& document) const {
  QueryDocument query;
  query.stored = document;
  if (const auto it = language_ids_.find(document.lang); it != language_ids_.end()) {
    query.language = it->second;
    query.known_language = true;
  }
  for (const auto* list : {&document.grams, &document.anchors})
    for (const auto& feature : *list)
      if (const std::uint32_t id = feature_ids_.find(feature.hash); id != FlatU64Map::none) query.ids.push_back(id);
  std::sort(query.ids.begin(), query.ids.end());
  return query;
}

State::Vectors State::query_vectors(const Context& context) const {
  Vectors vectors;
  const StoredDocument& document = context.query->stored;
  for (const bool anchors : {false, true}) {
    SparseVector& vector = anchors ? vectors.anchors : vectors.grams;
    double norm = 0.0;
    for (const auto& feature : anchors ? document.anchors : document.grams) {
      const std::uint32_t id = feature_ids_.find(feature.hash);
      const std::uint32_t df = id == FlatU64Map::none ? 1 : df_[id] + 1;
      const float weight = (1.0f + std::log(static_cast<float>(feature.count))) * context.idf(df);
      if (weight <= 0.0f) continue;
      norm += static_cast<double>(weight) * weight;
      if (id != FlatU64Map::none && context.informative(df)) vector.push_back({id, weight});
    }
    const auto scale = static_cast<float>(norm > 0.0 ? 1.0 / std::sqrt(norm) : 0.0);
    for (auto& feature : vector) feature.weight *= scale;
    std::sort(vector.begin(), vector.end(), [](const WeightedFeature& x, const WeightedFeature& y) { return x.id < y.id; });
  }
  return vectors;
}

State::Vectors State::entry_vectors(const Context& context, const Entry& entry) const {
  Vectors vectors;
  double norms[2] = {0.0, 0.0};
  for (std::size_t i = 0; i < entry.features.size(); ++i) {
    const bool anchor = i >= entry.gram_count;
    const std::uint32_t df = context.df(entry.features[i]);
    const float weight = (1.0f + std::log(static_cast<float>(entry.counts[i]))) * context.idf(df);
    if (weight <= 0.0f) continue;
    norms[anchor ? 1 : 0] += static_cast<double>(weight) * weight;
    if (context.informative(df)) (anchor ? vectors.anchors : vectors.grams).push_back({entry.features[i], weight});
  }
  for (const bool anchor : {false, true}) {
    SparseVector& vector = anchor ? vectors.anchors : vectors.grams;
    const double norm = norms[anchor ? 1 : 0];
    const auto scale = static_cast<float>(norm > 0.0 ? 1.0 / std::sqrt(norm) : 0.0);
    for (auto& feature : vector) feature.weight *= scale;
    std::sort(vector.begin(), vector.end(), [](const WeightedFeature& x, const WeightedFeature& y) { return x.id < y.id; });
  }
  return vectors;
}

float State::exact_score(const Vectors& a, Script script_a, const Vectors& b, Script script_b) const {
  return pair_score(a.grams, a.anchors, b.grams, b.anchors, spelling_family(script_a) != spelling_family(script_b));
}

std::unordered_map<std::uint16_t, std::vector<Scored>> State::rough_candidates(const Vectors& vectors, Script script, int language_to_skip,
                                                                               int only_language,
                                                                               const std::unordered_set<std::uint32_t>& excluded) const {
  // Per slot, the gram and anchor dot products side by side: one cache line for both.
  thread_local std::vector<std::array<float, 2>> dots;
  thread_local std::vector<std::uint32_t> touched;
  // Zero outside the touched slots between calls: clearing all would cost O(documents).
  if (dots.size() < entries_.size()) dots.resize(entries_.size(), {0.0f, 0.0f});
  touched.clear();
  for (const bool anchors : {false, true})
    for (const auto& feature : anchors ? vectors.anchors : vectors.grams)
      for (std::uint32_t slot : postings_[feature.id]) {
        const std::uint16_t language = slot_language_[slot];
        if (language == dead_slot || language == language_to_skip || (only_language >= 0 && language != only_language)) continue;
        std::array<float, 2>& dot = dots[slot];
        if (dot[0] == 0.0f && dot[1] == 0.0f) touched.push_back(slot);
        dot[anchors ? 1 : 0] += feature.weight;
      }
  std::unordered_map<std::uint16_t, std::vector<Scored>> by_language;
  const int family = spelling_family(script);
  for (std::uint32_t slot : touched) {
    const Entry& entry = entries_[slot];
    std::array<float, 2>& dot = dots[slot];
    const float anchors = entry.anchor_norm > 0.0f ? dot[1] / entry.anchor_norm : 0.0f;
    const float grams = entry.gram_norm > 0.0f ? dot[0] / entry.gram_norm : 0.0f;
    dot = {0.0f, 0.0f};
    if (excluded.count(slot) != 0) continue;
    const float score = spelling_family(entry.script) != family ? anchors : 0.5f * (grams + anchors);
    if (score > 0.0f) by_language[entry.language].push_back({slot, score});
  }
  for (auto& [language, list] : by_language) {
    const std::size_t keep = std::min(list.size(), rescored_per_language);
    std::partial_sort(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(keep), list.end(),
                      [](const Scored& x, const Scored& y) { return x.score > y.score || (x.score == y.score && x.slot < y.slot); });
    list.resize(keep);
  }
  return by_language;
}

std::vector<Match> State::query(const StoredDocument& document, bool translations_too) const {
  std::vector<Match> matches;
  std::unordered_set<std::uint32_t> duplicates;
  for (auto [at, end] = by_exact_hash_.equal_range(document.exact_hash); at != end; ++at) {
    duplicates.insert(at->second);
    matches.push_back({entries_[at->second].id, Relation::exact_duplicate, 1.0});
  }
  std::vector<Match> near;
  if (!document.sketch.empty())
    for (std::uint32_t slot : lsh_.query(widen(spec_.minhash, document.sketch))) {
      const Entry& entry = entries_[slot];
      if (!entry.live || duplicates.count(slot) != 0) continue;
      const double jaccard = estimate_jaccard(document.sketch, entry.sketch);
      if (jaccard < spec_.near_duplicate_threshold) continue;
      duplicates.insert(slot);
      near.push_back({entry.id, Relation::near_duplicate, jaccard});
    }
  std::sort(near.begin(), near.end(), [](const Match& x, const Match& y) { return x.score > y.score || (x.score == y.score && x.id < y.id); });
  matches.insert(matches.end(), near.begin(), near.end());
  if (!translations_too) return matches;

  const QueryDocument query = resolve(document);
  Context context{this, &query, static_cast<double>(live_ + 1), 0};
  context.common_df = std::clamp<std::size_t>(static_cast<std::size_t>(common_feature_share * context.corpus), min_common_df, max_common_df);
  const Vectors query_vector = query_vectors(context);
  const auto script = static_cast<Script>(document.script);
  const int query_language = query.known_language ? query.language : -1;
  const PairModel& model = PairModel::index_translation();

  std::vector<Match> translations;
  for (auto& [language, rough] : rough_candidates(query_vector, script, query_language, -1, {})) {
    std::vector<Scored> exact;
    std::vector<Vectors> vectors;
    for (const Scored& candidate : rough) {
      vectors.push_back(entry_vectors(context, entries_[candidate.slot]));
      exact.push_back({candidate.slot, exact_score(query_vector, script, vectors.back(), entries_[candidate.slot].script)});
    }
    std::size_t best = 0;
    for (std::size_t i = 1; i < exact.size(); ++i)
      if (exact[i].score > exact[best].score || (exact[i].score == exact[best].score && exact[i].slot < exact[best].slot)) best = i;
    const Entry& partner = entries_[exact[best].slot];
    const float raw = exact[best].score;
    if (raw <= 0.0f) continue;

    // The partner's own duplicates are one version with it: neither background nor rivals.
    std::vector<std::uint32_t> version;
    std::vector<float> others;
    for (const Scored& candidate : exact) {
      const Entry& entry = entries_[candidate.slot];
      if (entry.exact_hash == partner.exact_hash || estimate_jaccard(entry.sketch, partner.sketch) >= spec_.near_duplicate_threshold)
        version.push_back(candidate.slot);
      else
        others.push_back(candidate.score);
    }
    std::sort(others.begin(), others.end(), std::greater<>());
    if (others.size() > background_size) others.resize(background_size);

    // The way back: the partner's best matches in the query's language, the query's own
    // duplicates left out (they are the query's version).
    std::vector<float> back;
    if (query.known_language) {
      for (const auto& [back_language, back_rough] :
           rough_candidates(vectors[best], partner.script, -1, query.language, duplicates))
        for (const Scored& candidate : back_rough)
          back.push_back(exact_score(vectors[best], partner.script, entry_vectors(context, entries_[candidate.slot]), entries_[candidate.slot].script));
      std::sort(back.begin(), back.end(), std::greater<>());
      if (back.size() > background_size) back.resize(background_size);
    }

    PairSignals signals;
    signals.raw = raw;
    signals.anchors_only = spelling_family(script) != spelling_family(partner.script);
    const auto mean = [](const std::vector<float>& scores) {
      double sum = 0.0;
      for (float score : scores) sum += score;
      return scores.empty() ? 0.0 : sum / static_cast<double>(scores.size());
    };
    signals.margin = background_margin(signals.raw, mean(others), !others.empty(), mean(back), !back.empty());
    signals.mutual_best = back.empty() || raw >= back.front();
    const double probability = PairModel::probability(model.direct_log_odds(signals));
    if (probability < detail::translation_probability) continue;
    for (std::uint32_t slot : version) translations.push_back({entries_[slot].id, Relation::translation, probability});
  }
  std::sort(translations.begin(), translations.end(),
            [](const Match& x, const Match& y) { return x.score > y.score || (x.score == y.score && x.id < y.id); });
  matches.insert(matches.end(), translations.begin(), translations.end());
  return matches;
}

}  // namespace neardup::detail
