// The incremental index: documents kept as what matching needs (no text), in memory for
// queries and in a snapshot + append-only log for restarts (format in index/index_file.hpp).
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
#include "neardup/persistent_index.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unicode/uversion.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstring>
#include <exception>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "core/parallel.hpp"
#include "index/flat_map.hpp"
#include "index/index_file.hpp"
#include "index/lsh.hpp"
#include "ingest/utf8.hpp"
#include "score/similarity.hpp"
#include "score/translation.hpp"
#include "shingle/features.hpp"
#include "text/normalise.hpp"
#include "text/transliterate.hpp"

namespace neardup {
namespace fs = std::filesystem;

namespace {

constexpr std::uint32_t max_minhash_k = 4096;
constexpr std::uint32_t max_word_shingle = 64;

std::string format_double(double value) {
  std::array<char, 32> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return std::string(buffer.data(), result.ptr);
}

void validate(const IndexSpec& spec) {
  if (spec.format_version != detail::index_format_version)
    throw Error(ErrorCode::usage, "index spec: format " + std::to_string(spec.format_version) + " cannot be written; this neardup writes format " +
                                      std::to_string(detail::index_format_version));
  if (spec.word_shingle < 1 || spec.word_shingle > max_word_shingle)
    throw Error(ErrorCode::usage, "index spec: word_shingle must be in 1.." + std::to_string(max_word_shingle));
  if (!(spec.near_duplicate_threshold > 0.0 && spec.near_duplicate_threshold <= 1.0))
    throw Error(ErrorCode::usage, "index spec: threshold must be in (0, 1]");
  if (spec.minhash.k < 1 || spec.minhash.k > max_minhash_k)
    throw Error(ErrorCode::usage, "index spec: minhash_k must be in 1.." + std::to_string(max_minhash_k));
  if (spec.key_ngram != detail::key_ngram)
    throw Error(ErrorCode::usage, "index spec: key_ngram " + std::to_string(spec.key_ngram) + " is not supported; this neardup computes " +
                                      std::to_string(detail::key_ngram) + "-grams");
}

template <typename Integer>
Integer parse_integer(std::string_view key, std::string_view value) {
  Integer result{};
  int base = 10;
  if (value.size() > 2 && value[0] == '0' && (value[1] == 'x' || value[1] == 'X')) {
    value.remove_prefix(2);
    base = 16;
  }
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), result, base);
  if (error != std::errc() || end != value.data() + value.size())
    throw Error(ErrorCode::usage, "index spec: " + std::string(key) + "=" + std::string(value) + " is not a whole number in range");
  return result;
}

}  // namespace

std::string IndexSpec::to_string() const {
  char seed[24];
  std::snprintf(seed, sizeof seed, "0x%llx", static_cast<unsigned long long>(minhash.seed));
  return "format=" + std::to_string(format_version) + ",word_shingle=" + std::to_string(word_shingle) +
         ",threshold=" + format_double(near_duplicate_threshold) + ",minhash_k=" + std::to_string(minhash.k) + ",minhash_seed=" + seed +
         ",minhash_scheme=" + (minhash.scheme == MinHashScheme::classic ? "classic" : "oph") + ",key_ngram=" + std::to_string(key_ngram);
}

IndexSpec IndexSpec::parse(std::string_view text) {
  IndexSpec spec;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    const std::size_t equals = item.find('=');
    if (equals == std::string_view::npos) throw Error(ErrorCode::usage, "index spec: '" + std::string(item) + "' is not key=value");
    const std::string_view key = item.substr(0, equals), value = item.substr(equals + 1);
    if (key == "format") {
      spec.format_version = parse_integer<std::uint32_t>(key, value);
    } else if (key == "word_shingle") {
      spec.word_shingle = parse_integer<std::uint32_t>(key, value);
    } else if (key == "threshold") {
      const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), spec.near_duplicate_threshold);
      if (error != std::errc() || end != value.data() + value.size())
        throw Error(ErrorCode::usage, "index spec: threshold=" + std::string(value) + " is not a number");
    } else if (key == "minhash_k") {
      spec.minhash.k = parse_integer<std::uint32_t>(key, value);
    } else if (key == "minhash_seed") {
      spec.minhash.seed = parse_integer<std::uint64_t>(key, value);
    } else if (key == "minhash_scheme") {
      if (value == "oph") spec.minhash.scheme = MinHashScheme::one_permutation;
      else if (value == "classic") spec.minhash.scheme = MinHashScheme::classic;
      else throw Error(ErrorCode::usage, "index spec: minhash_scheme must be oph or classic, not '" + std::string(value) + "'");
    } else if (key == "key_ngram") {
      spec.key_ngram = parse_integer<std::uint32_t>(key, value);
    } else {
      throw Error(ErrorCode::usage, "index spec: unknown key '" + std::string(key) +
                                        "' (known: format, word_shingle, threshold, minhash_k, minhash_seed, minhash_scheme, key_ngram)");
    }
  }
  return spec;
}

namespace detail {
namespace {

// The bottom of each document's distinct hashes by value: a few hundred features bound memory.
constexpr std::size_t max_grams = 256;
constexpr std::size_t max_anchors = 128;
// How many features ahead State::add fetches the memory it will touch.
constexpr std::size_t prefetch_distance = 16;
// Candidates per language scored exactly after the rough ranking through the postings.
constexpr std::size_t rescored_per_language = 8;
constexpr double translation_probability = 0.5;

// One short word in each script whose transliteration the pivot depends on most.
constexpr std::array<std::string_view, 6> self_test_texts = {
    "નમસ્તે",   // Gujarati
    "வணக்கம்",  // Tamil
    "ਪੰਜਾਬ",    // Gurmukhi
    "বাংলা",    // Bengali
    "پاکستان",  // Urdu
    "ලංකාව",   // Sinhala
};

std::vector<SelfTestSample> current_samples(const std::vector<SelfTestSample>& stored) {
  std::vector<SelfTestSample> samples;
  for (const auto& sample : stored) samples.push_back({sample.text, to_pivot(normalise(sample.text))});
  return samples;
}

std::vector<SelfTestSample> fresh_samples() {
  std::vector<SelfTestSample> samples;
  for (std::string_view text : self_test_texts) samples.push_back({std::string(text), to_pivot(normalise(text))});
  return samples;
}

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

struct Entry {
  std::string id;
  std::uint64_t exact_hash = 0;
  std::vector<std::uint32_t> sketch;
  std::vector<std::uint32_t> features;  // vocabulary ids: gram_count grams, then anchors
  std::vector<std::uint8_t> counts;
  std::uint32_t gram_count = 0;
  std::uint16_t language = 0;
  Script script = Script::unknown;
  bool live = true;
  // At the time the document was indexed (or the index loaded): for rough ranking only.
  float gram_norm = 0.0f;
  float anchor_norm = 0.0f;
};

// A query's features as the index knows them.
struct QueryDocument {
  StoredDocument stored;
  std::uint16_t language = 0;
  bool known_language = false;
  std::vector<std::uint32_t> ids;  // vocabulary ids of its features, sorted (unknown ones left out)
};

struct Scored {
  std::uint32_t slot;
  float score;
};

// Everything in memory. Readers share it; one writer at a time changes it.
class State {
 public:
  explicit State(const IndexSpec& spec)
      : spec_(spec), banding_(banding_for(spec.minhash.k, spec.near_duplicate_threshold)), lsh_(spec.minhash, banding_) {}

  void add(const StoredDocument& document, const std::string& file, std::uint64_t offset);
  bool remove(const std::string& id);
  // A bulk load: room for that many more documents, and postings and LSH tables left empty
  // until end_bulk_load() builds them, postings at their exact sizes (grown one slot at a time,
  // they were reallocated over and over and held up to twice their memory).
  void begin_bulk_load(std::size_t documents);
  void end_bulk_load();
  bool contains(const std::string& id) const { return slots_.count(id) != 0; }
  std::uint64_t documents() const { return live_; }
  std::uint64_t removed() const { return removed_; }
  std::uint64_t bytes_in_memory() const;
  template <typename Visit>
  void for_each_live(Visit&& visit) const {
    for (const Entry& entry : entries_)
      if (entry.live) visit(stored(entry));
  }

  // With translations false, only exact and near duplicates are sought (the cheap part).
  std::vector<Match> query(const StoredDocument& document, bool translations = true) const;

 private:
  StoredDocument stored(const Entry& entry) const;
  std::uint16_t language_id(const std::string& lang);
  QueryDocument resolve(const StoredDocument& document) const;

  // Scoring with the query counted in the corpus, as batch scoring would count it.
  struct Context {
    const State* state;
    const QueryDocument* query;
    double corpus = 0.0;
    std::size_t common_df = 0;
    std::uint32_t df(std::uint32_t id) const {
      return state->df_[id] + (std::binary_search(query->ids.begin(), query->ids.end(), id) ? 1u : 0u);
    }
    float idf(std::uint32_t df_with_query) const { return static_cast<float>(std::log((corpus + 1.0) / df_with_query)); }
    bool informative(std::uint32_t df_with_query) const { return df_with_query >= 2 && df_with_query <= common_df; }
  };
  struct Vectors {
    SparseVector grams, anchors;
  };
  Vectors query_vectors(const Context& context) const;
  Vectors entry_vectors(const Context& context, const Entry& entry) const;
  void refresh_norms(Entry& entry);
  // Rough scores of the live documents sharing informative features with vectors, kept per
  // language (only `only_language` when given), best rescored_per_language first.
  std::unordered_map<std::uint16_t, std::vector<Scored>> rough_candidates(const Vectors& vectors, Script script, int language_to_skip,
                                                                          int only_language,
                                                                          const std::unordered_set<std::uint32_t>& excluded) const;
  float exact_score(const Vectors& a, Script script_a, const Vectors& b, Script script_b) const;

  IndexSpec spec_;
  BandingParams banding_;
  MinHashLshIndex lsh_;  // over all slots ever added; removed ones are skipped
  std::vector<Entry> entries_;
  std::unordered_map<std::string, std::uint32_t> slots_;  // live documents
  std::unordered_multimap<std::uint64_t, std::uint32_t> by_exact_hash_;
  std::vector<std::string> languages_;
  std::unordered_map<std::string, std::uint16_t> language_ids_;
  FlatU64Map feature_ids_;
  std::vector<std::uint64_t> feature_hashes_;
  std::vector<std::uint32_t> df_;                      // live documents keeping the feature
  std::vector<std::vector<std::uint32_t>> postings_;   // slots, removed ones until compaction
  // Per slot, its language id or dead_slot: what the postings walk checks of each slot, packed
  // so that the walk does not touch the entries themselves (a cache miss each).
  static constexpr std::uint16_t dead_slot = 0xFFFF;
  std::vector<std::uint16_t> slot_language_;
  bool bulk_loading_ = false;
  std::uint64_t live_ = 0;
  std::uint64_t removed_ = 0;
};

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
    double background = 0.0;
    int sides = 0;
    for (const auto* side : {&others, &back})
      if (!side->empty()) {
        double sum = 0.0;
        for (float score : *side) sum += score;
        background += sum / static_cast<double>(side->size());
        ++sides;
      }
    const double mean_background = sides == 0 ? 0.0 : background / sides;
    signals.margin = mean_background > signals.raw / max_margin ? signals.raw / mean_background : max_margin;
    signals.mutual_best = back.empty() || raw >= back.front();
    const double probability = PairModel::probability(model.direct_log_odds(signals));
    if (probability < translation_probability) continue;
    for (std::uint32_t slot : version) translations.push_back({entries_[slot].id, Relation::translation, probability});
  }
  std::sort(translations.begin(), translations.end(),
            [](const Match& x, const Match& y) { return x.score > y.score || (x.score == y.score && x.id < y.id); });
  matches.insert(matches.end(), translations.begin(), translations.end());
  return matches;
}

// ---- files ----

[[noreturn]] void throw_io(const std::string& what, const std::string& path) {
  throw Error(ErrorCode::io, path + ": " + what + ": " + std::strerror(errno));
}

class FileDescriptor {
 public:
  FileDescriptor() = default;
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  FileDescriptor& operator=(FileDescriptor&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~FileDescriptor() { reset(); }
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// The index folder's lock: flock on its lock file, for as long as the index is open. flock alone
// cannot tell a second open in this process (a new open file description, which conflicts like
// any other) from one in another process, and the two call for different fixes: the lock files
// held here are also listed process-wide, by device and inode.
class IndexLock {
 public:
  // Exclusive for a writer; shared among read-only opens, which create no lock file: without
  // one, no writer has ever opened the index, and a writer that comes later waits for none.
  static IndexLock acquire(const std::string& folder, bool shared) {
    const std::string path = folder + "/lock";
    FileDescriptor fd(::open(path.c_str(), shared ? O_RDONLY | O_CLOEXEC : O_RDWR | O_CREAT | O_CLOEXEC, 0644));
    if (fd.get() < 0 && shared && errno == ENOENT) return IndexLock();
    if (fd.get() < 0) throw_io("cannot open the lock file", path);
    struct stat status {};
    if (::fstat(fd.get(), &status) != 0) throw_io("cannot stat the lock file", path);
    const FileKey key{status.st_dev, status.st_ino};
    std::lock_guard guard(registry_mutex());
    if (registry().contains(key))
      throw Error(ErrorCode::io, folder + ": the index is already open in this process; use that PersistentIndex "
                                          "(it is safe to share between threads) or close it first");
    if (::flock(fd.get(), (shared ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0) {
      if (errno == EWOULDBLOCK)
        throw Error(ErrorCode::io, folder + (shared ? ": the index is open for writing in another process; read it when that one closes it"
                                                    : ": the index is open in another process; close it there first"));
      throw_io("cannot lock", path);
    }
    registry().insert(key);
    return IndexLock(std::move(fd), key);
  }

  IndexLock() = default;
  IndexLock(IndexLock&& other) noexcept : fd_(std::move(other.fd_)), key_(std::exchange(other.key_, std::nullopt)) {}
  IndexLock& operator=(IndexLock&& other) noexcept {
    if (this != &other) {
      release();
      fd_ = std::move(other.fd_);
      key_ = std::exchange(other.key_, std::nullopt);
    }
    return *this;
  }
  ~IndexLock() { release(); }

 private:
  using FileKey = std::pair<dev_t, ino_t>;
  IndexLock(FileDescriptor fd, FileKey key) : fd_(std::move(fd)), key_(key) {}
  static std::mutex& registry_mutex() {
    static std::mutex mutex;
    return mutex;
  }
  static std::set<FileKey>& registry() {
    static std::set<FileKey> keys;
    return keys;
  }
  // Closing the descriptor drops the flock; the entry goes under the same mutex, after it, so
  // that an open racing with this one never finds the entry gone while the flock is still held.
  void release() {
    if (!key_) return;
    std::lock_guard guard(registry_mutex());
    fd_.reset();
    registry().erase(*key_);
    key_.reset();
  }

  FileDescriptor fd_;
  std::optional<FileKey> key_;
};

void write_all(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      throw_io("write failed", path);
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
}

void sync_folder(const std::string& folder) {
  FileDescriptor fd(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) throw_io("cannot open folder to sync it", folder);
  if (::fsync(fd.get()) != 0) throw_io("fsync of the folder failed", folder);
}

// A checkpoint or a log start killed before its rename leaves its temporary file behind (a whole
// snapshot's size). Only a writer makes them, and the caller holds the writer's lock.
std::vector<std::string> remove_stale_temporaries(const std::string& folder) {
  std::vector<std::string> removed;
  for (const char* name : {"snapshot.tmp", "log.tmp"}) {
    const std::string path = folder + "/" + name;
    if (::unlink(path.c_str()) == 0) removed.emplace_back(name);
    else if (errno != ENOENT) throw_io("cannot remove a stale temporary file", path);
  }
  if (!removed.empty()) sync_folder(folder);
  return removed;
}

// Writes a whole file beside its final name, syncs it, and renames it into place.
class AtomicFile {
 public:
  AtomicFile(std::string path) : path_(std::move(path)), temporary_(path_ + ".tmp") {
    fd_ = FileDescriptor(::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (fd_.get() < 0) throw_io("cannot create", temporary_);
  }
  ~AtomicFile() {
    if (!committed_) {
      fd_.reset();
      ::unlink(temporary_.c_str());
    }
  }
  void append(std::string_view bytes) {
    buffer_.append(bytes);
    if (buffer_.size() >= (1u << 20)) drain();
  }
  std::uint64_t size() const { return written_ + buffer_.size(); }
  void commit() {
    drain();
    if (::fsync(fd_.get()) != 0) throw_io("fsync failed", temporary_);
    fd_.reset();
    if (::rename(temporary_.c_str(), path_.c_str()) != 0) throw_io("cannot rename into place", temporary_);
    committed_ = true;
    sync_folder(fs::path(path_).parent_path().string());
  }

 private:
  void drain() {
    write_all(fd_.get(), buffer_, temporary_);
    written_ += buffer_.size();
    buffer_.clear();
  }
  std::string path_, temporary_;
  FileDescriptor fd_;
  std::string buffer_;
  std::uint64_t written_ = 0;
  bool committed_ = false;
};

}  // namespace
}  // namespace detail

class PersistentIndex::Impl {
 public:
  Impl(std::string folder, IndexSpec spec, IndexOptions options) : folder_(std::move(folder)), spec_(spec), options_(options), state_(spec) {}
  ~Impl() {
    if (!options_.sync_every_add && log_.get() >= 0) ::fdatasync(log_.get());
  }

  static std::unique_ptr<Impl> open(const std::string& path, const IndexSpec* spec, const IndexOptions& options);

  const IndexSpec& spec() const { return spec_; }

  std::vector<Match> query(std::string_view text, const std::string& lang, bool translations_too) const {
    const auto document = detail::extract(spec_, "query", text, lang);
    std::shared_lock lock(state_mutex_);
    return state_.query(document, translations_too);
  }

  void add(const std::string& id, std::string_view text, const std::string& lang) {
    const auto document = detail::extract(spec_, id, text, lang);
    std::lock_guard writer(writer_mutex_);
    append({detail::encode_record(detail::RecordType::add, detail::encode_add(document))}, options_.sync_every_add);
    std::unique_lock lock(state_mutex_);
    state_.add(document, log_path(), 0);
    ++version_;
  }

  AddResult add_if_new(const std::string& id, std::string_view text, const std::string& lang) {
    const auto document = detail::extract(spec_, id, text, lang);
    // The matching runs beside other writers' (under the shared lock) and is kept when no
    // change came in between; only then is it repeated under the writer lock. With matching in
    // the writer lock, writers would take turns for all but the text's preparation.
    AddResult result;
    std::uint64_t matched_at = 0;
    {
      std::shared_lock lock(state_mutex_);
      matched_at = version_;
      result.matches = matches_for_add(id, document);
    }
    std::lock_guard writer(writer_mutex_);
    // Only writers change the state, and this one holds the writer lock: reading it here is
    // safe alongside concurrent queries, and what is read stays true until the add below.
    if (version_ != matched_at) result.matches = matches_for_add(id, document);
    if (state_.contains(id)) {
      const bool unchanged = std::any_of(result.matches.begin(), result.matches.end(), [&](const Match& match) {
        return match.relation == Relation::exact_duplicate && match.id == id;
      });
      // Whether a changed page should replace its entry, or be judged against it, is the caller's
      // to say; returning "not added" would leave the index holding text the page no longer has.
      if (!unchanged)
        throw Error(ErrorCode::id_conflict, "add_if_new: " + printable(id) +
                                                " is indexed with another text; call add() to replace it, or remove() it first");
      return result;
    }
    const bool seen = std::any_of(result.matches.begin(), result.matches.end(), [&](const Match& match) {
      return match.relation != Relation::translation || options_.skip_translations;
    });
    if (seen) return result;
    append({detail::encode_record(detail::RecordType::add, detail::encode_add(document))}, options_.sync_every_add);
    std::unique_lock lock(state_mutex_);
    state_.add(document, log_path(), 0);
    ++version_;
    result.added = true;
    return result;
  }

  bool remove(const std::string& id) {
    std::lock_guard writer(writer_mutex_);
    if (!state_.contains(id)) return false;
    append({detail::encode_record(detail::RecordType::remove, detail::encode_remove(id))}, options_.sync_every_add);
    std::unique_lock lock(state_mutex_);
    state_.remove(id);
    ++version_;
    return true;
  }

  void add_batch(const std::vector<Document>& documents) {
    std::vector<detail::StoredDocument> prepared(documents.size());
    detail::parallel_for(options_.threads, documents.size(), [&](std::size_t i) {
      prepared[i] = detail::extract(spec_, documents[i].id, documents[i].text, documents[i].lang);
    }, 4);
    std::vector<std::string> records;
    for (const auto& document : prepared) records.push_back(detail::encode_record(detail::RecordType::add, detail::encode_add(document)));
    std::lock_guard writer(writer_mutex_);
    append(records, true);
    std::unique_lock lock(state_mutex_);
    for (const auto& document : prepared) state_.add(document, log_path(), 0);
    ++version_;
  }

  std::vector<std::vector<Match>> query_batch(const std::vector<Document>& documents) const {
    std::vector<std::vector<Match>> results(documents.size());
    detail::parallel_for(options_.threads, documents.size(), [&](std::size_t i) { results[i] = query(documents[i].text, documents[i].lang, true); }, 4);
    return results;
  }

  bool contains(const std::string& id) const {
    std::shared_lock lock(state_mutex_);
    return state_.contains(id);
  }

  IndexStats stats() const {
    IndexStats stats;
    {
      std::shared_lock lock(state_mutex_);
      stats.documents = state_.documents();
      stats.bytes_in_memory = state_.bytes_in_memory();
    }
    stats.bytes_on_disk = snapshot_bytes_.load() + log_bytes_.load();
    stats.log_records = log_records_.load();
    stats.recovery = recovery_;
    return stats;
  }

  void flush() {
    std::lock_guard writer(writer_mutex_);
    check_usable();
    if (::fdatasync(log_.get()) != 0) detail::throw_io("fdatasync failed", log_path());
  }

  void checkpoint();

 private:
  std::string snapshot_path() const { return folder_ + "/snapshot"; }
  std::string log_path() const { return folder_ + "/log"; }
  detail::FileHeader header(detail::FileKind kind) const {
    return {kind, generation_, spec_.to_string(), U_ICU_VERSION, samples_};
  }
  void check_usable() const {
    if (options_.read_only)
      throw Error(ErrorCode::usage, folder_ + ": the index was opened read-only; open it without read_only to change it");
    if (broken_)
      throw Error(ErrorCode::io, log_path() + ": an earlier write failed and could not be undone; reopen the index (what was acknowledged is safe)");
  }
  // Appends records to the log, then syncs when asked. On failure the log is cut back to where
  // it was, so that no later record follows a partial one.
  void append(const std::vector<std::string>& records, bool sync) {
    check_usable();
    std::string bytes;
    for (const auto& record : records) bytes += record;
    const std::uint64_t before = log_bytes_.load();
    if (torn_tail_) {
      // Cut away the torn end found on open only now: opening changes nothing on disk.
      if (::ftruncate(log_.get(), static_cast<off_t>(before)) != 0 || ::fsync(log_.get()) != 0)
        detail::throw_io("cannot cut away the torn end of the log", log_path());
      torn_tail_ = false;
    }
    try {
      detail::write_all(log_.get(), bytes, log_path());
      if (sync && ::fdatasync(log_.get()) != 0) detail::throw_io("fdatasync failed", log_path());
    } catch (...) {
      if (::ftruncate(log_.get(), static_cast<off_t>(before)) != 0 || ::lseek(log_.get(), 0, SEEK_END) < 0) broken_ = true;
      throw;
    }
    log_bytes_ += bytes.size();
    log_records_ += records.size();
  }
  // A duplicate decides alone, and most pages a crawler meets again are duplicates: the
  // translation search (several postings walks) is spent only on pages that may be new.
  std::vector<Match> matches_for_add(const std::string& id, const detail::StoredDocument& document) const {
    std::vector<Match> matches = state_.query(document, false);
    if (matches.empty() && !state_.contains(id)) matches = state_.query(document);
    return matches;
  }
  void start_log(std::uint64_t generation);
  void replay(const std::string& file, const detail::Record* records, std::size_t count, bool snapshot);

  std::string folder_;
  IndexSpec spec_;
  IndexOptions options_;
  std::vector<detail::SelfTestSample> samples_;
  std::uint64_t generation_ = 0;
  detail::IndexLock lock_;
  detail::FileDescriptor log_;
  bool broken_ = false;
  bool torn_tail_ = false;  // the log ends in a torn record, past log_bytes_
  Recovery recovery_;
  std::atomic<std::uint64_t> snapshot_bytes_{0}, log_bytes_{0}, log_records_{0};

  mutable std::mutex writer_mutex_;
  mutable std::shared_mutex state_mutex_;
  detail::State state_;
  std::uint64_t version_ = 0;  // changes of state_; changed under both locks
};

void PersistentIndex::Impl::replay(const std::string& file, const detail::Record* records, std::size_t count, bool snapshot) {
  // Add records are decoded in parallel a chunk at a time (bounding the decoded copies held at
  // once) and applied in file order; a decoding error is raised when its record's turn comes,
  // so that the first damage in the file is the one reported, as in a sequential replay.
  constexpr std::size_t chunk = 1u << 14;
  std::vector<detail::StoredDocument> decoded;
  std::vector<std::exception_ptr> errors;
  for (std::size_t first = 0; first < count; first += chunk) {
    const std::size_t size = std::min(chunk, count - first);
    decoded.assign(size, {});
    errors.assign(size, nullptr);
    detail::parallel_for(options_.threads, size, [&](std::size_t i) {
      const detail::Record& record = records[first + i];
      if (record.type != detail::RecordType::add) return;
      try {
        decoded[i] = detail::decode_add(record, file);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }, 256);
    for (std::size_t i = 0; i < size; ++i) {
      const detail::Record& record = records[first + i];
      if (snapshot && record.type != detail::RecordType::add) detail::throw_corrupt(file, record.offset, "a snapshot may hold add records only");
      if (errors[i]) std::rethrow_exception(errors[i]);
      if (record.type == detail::RecordType::add) state_.add(decoded[i], file, record.offset);
      else if (record.type == detail::RecordType::remove) state_.remove(detail::decode_remove(record, file));
      else detail::throw_corrupt(file, record.offset, "an end record in a log");
    }
  }
}

void PersistentIndex::Impl::start_log(std::uint64_t generation) {
  detail::FileHeader log_header = header(detail::FileKind::log);
  log_header.generation = generation;
  const std::string bytes = detail::encode_header(log_header);
  detail::AtomicFile file(log_path());
  file.append(bytes);
  file.commit();
  detail::FileDescriptor fd(::open(log_path().c_str(), O_WRONLY | O_APPEND | O_CLOEXEC));
  if (fd.get() < 0) detail::throw_io("cannot open for appending", log_path());
  log_ = std::move(fd);
  log_bytes_ = bytes.size();
  log_records_ = 0;
}

std::unique_ptr<PersistentIndex::Impl> PersistentIndex::Impl::open(const std::string& path, const IndexSpec* spec, const IndexOptions& options) {
  if (spec != nullptr) validate(*spec);
  const std::string folder = fs::path(path).lexically_normal().string();
  std::error_code error;
  const bool exists = fs::exists(folder, error);
  if (error) throw Error(ErrorCode::io, folder + ": " + error.message());
  if (exists && !fs::is_directory(folder, error))
    throw Error(ErrorCode::usage, folder + ": exists and is not an index folder; choose another path");
  const bool has_snapshot = exists && PersistentIndex::exists(folder);
  if (!has_snapshot) {
    if (spec == nullptr || options.read_only) throw Error(ErrorCode::io, folder + ": no index here (no snapshot file); create one first");
    if (exists)
      for (const auto& item : fs::directory_iterator(folder)) {
        const std::string name = item.path().filename().string();
        if (name != "lock" && name != "log" && name != "snapshot.tmp" && name != "log.tmp")
          throw Error(ErrorCode::usage, folder + ": holds files that are not an index (" + name + "); choose an empty or new folder");
      }
    fs::create_directories(folder, error);
    if (error) throw Error(ErrorCode::io, folder + ": cannot create the index folder: " + error.message());
    const std::string parent = fs::absolute(folder).parent_path().string();
    detail::sync_folder(parent);
  }

  detail::IndexLock lock = detail::IndexLock::acquire(folder, options.read_only);
  // Only a successful open repairs: a failed one changes nothing on disk.
  const auto opened = [&](std::unique_ptr<Impl> impl) {
    if (!options.read_only) impl->recovery_.removed_files = detail::remove_stale_temporaries(folder);
    impl->lock_ = std::move(lock);
    return impl;
  };

  IndexSpec effective = spec != nullptr ? *spec : IndexSpec{};
  if (!has_snapshot) {
    // A new index: an empty snapshot of generation 0 (the log follows below).
    auto impl = std::make_unique<Impl>(folder, effective, options);
    impl->samples_ = detail::fresh_samples();
    detail::AtomicFile snapshot(impl->snapshot_path());
    snapshot.append(detail::encode_header(impl->header(detail::FileKind::snapshot)));
    detail::ByteWriter end;
    end.u64(0);
    snapshot.append(detail::encode_record(detail::RecordType::end, end.data()));
    impl->snapshot_bytes_ = snapshot.size();
    snapshot.commit();
    impl->start_log(0);
    return opened(std::move(impl));
  }

  const std::string snapshot_file = folder + "/snapshot";
  const detail::MappedFile snapshot_map(snapshot_file);
  const std::string_view snapshot_data = snapshot_map.data();
  detail::FileHeader snapshot_header;
  const std::size_t snapshot_start = detail::decode_header(snapshot_data, snapshot_file, snapshot_header);
  if (snapshot_header.kind != detail::FileKind::snapshot) detail::throw_corrupt(snapshot_file, 12, "a log where the snapshot should be");
  const IndexSpec stored = IndexSpec::parse(snapshot_header.spec);
  if (spec != nullptr && !(stored == *spec))
    throw Error(ErrorCode::incompatible_index, folder + ": the index was built with spec " + snapshot_header.spec + " and opened with " +
                                                   spec->to_string() + "; open it with its own spec or build a new index");
  effective = stored;
  validate(effective);
  const auto recomputed = detail::current_samples(snapshot_header.samples);
  for (std::size_t i = 0; i < recomputed.size(); ++i)
    if (recomputed[i].pivot != snapshot_header.samples[i].pivot)
      throw Error(ErrorCode::incompatible_index,
                  folder + ": transliteration changed: ICU " + snapshot_header.icu_version + " vs " + U_ICU_VERSION + " ('" +
                      recomputed[i].text + "' was '" + snapshot_header.samples[i].pivot + "', is '" + recomputed[i].pivot +
                      "'); rebuild the index from the documents");

  auto impl = std::make_unique<Impl>(folder, effective, options);
  impl->samples_ = snapshot_header.samples;
  impl->generation_ = snapshot_header.generation;
  const auto snapshot_records = detail::scan_records(snapshot_data, snapshot_start, snapshot_file, false);
  if (snapshot_records.records.empty() || snapshot_records.records.back().type != detail::RecordType::end)
    detail::throw_corrupt(snapshot_file, snapshot_data.size(), "the snapshot ends without its end record (cut short?)");
  const std::uint64_t adds = snapshot_records.records.size() - 1;
  impl->state_.begin_bulk_load(adds);
  impl->replay(snapshot_file, snapshot_records.records.data(), adds, true);
  {
    const auto& end = snapshot_records.records.back();
    detail::ByteReader reader(end.payload, snapshot_file, end.offset + detail::record_header_bytes);
    const std::uint64_t expected = reader.u64();
    if (expected != adds || !reader.at_end())
      detail::throw_corrupt(snapshot_file, end.offset, "the snapshot's end record counts " + std::to_string(expected) + " documents, " +
                                                           std::to_string(adds) + " were read");
  }
  impl->snapshot_bytes_ = snapshot_data.size();

  const std::string log_file = folder + "/log";
  if (!fs::exists(log_file, error)) {
    impl->state_.end_bulk_load();
    if (!options.read_only) impl->start_log(impl->generation_);
    return opened(std::move(impl));
  }
  const detail::MappedFile log_map(log_file);
  const std::string_view log_data = log_map.data();
  detail::FileHeader log_header;
  const std::size_t log_start = detail::decode_header(log_data, log_file, log_header);
  if (log_header.kind != detail::FileKind::log) detail::throw_corrupt(log_file, 12, "a snapshot where the log should be");
  if (log_header.spec != snapshot_header.spec)
    throw Error(ErrorCode::incompatible_index, log_file + ": the log was written with spec " + log_header.spec + ", the snapshot with " +
                                                   snapshot_header.spec + "; the folder mixes two indexes");
  if (log_header.generation > impl->generation_)
    detail::throw_corrupt(log_file, 16, "the log continues generation " + std::to_string(log_header.generation) +
                                            " but the snapshot is generation " + std::to_string(impl->generation_) + " (snapshot replaced by an older one?)");
  if (log_header.generation < impl->generation_) {
    // A checkpoint stopped between its two renames: the snapshot already holds this log.
    impl->state_.end_bulk_load();
    impl->recovery_.stale_log = true;
    if (!options.read_only) impl->start_log(impl->generation_);
    return opened(std::move(impl));
  }
  const auto scanned = detail::scan_records(log_data, log_start, log_file, true);
  impl->replay(log_file, scanned.records.data(), scanned.records.size(), false);
  impl->state_.end_bulk_load();

  if (!options.read_only) {
    detail::FileDescriptor fd(::open(log_file.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC));
    if (fd.get() < 0) detail::throw_io("cannot open for appending", log_file);
    impl->log_ = std::move(fd);
  }
  // A torn end is an append that a crash cut short, never acknowledged; the next append cuts it.
  impl->torn_tail_ = scanned.torn;
  if (scanned.torn) {
    impl->recovery_.torn_offset = scanned.valid_end;
    impl->recovery_.torn_bytes = log_data.size() - scanned.valid_end;
  }
  impl->log_bytes_ = scanned.valid_end;
  impl->log_records_ = scanned.records.size();
  return opened(std::move(impl));
}

void PersistentIndex::Impl::checkpoint() {
  std::lock_guard writer(writer_mutex_);
  check_usable();
  const std::uint64_t next = generation_ + 1;
  {
    detail::FileHeader snapshot_header = header(detail::FileKind::snapshot);
    snapshot_header.generation = next;
    detail::AtomicFile snapshot(snapshot_path());
    snapshot.append(detail::encode_header(snapshot_header));
    std::uint64_t count = 0;
    // Only this writer changes the state, so it is read here without the state lock.
    state_.for_each_live([&](const detail::StoredDocument& document) {
      snapshot.append(detail::encode_record(detail::RecordType::add, detail::encode_add(document)));
      ++count;
    });
    detail::ByteWriter end;
    end.u64(count);
    snapshot.append(detail::encode_record(detail::RecordType::end, end.data()));
    snapshot_bytes_ = snapshot.size();
    snapshot.commit();
  }
  generation_ = next;
  start_log(next);
  if (state_.removed() > 0) {
    detail::State compacted(spec_);
    compacted.begin_bulk_load(state_.documents());
    state_.for_each_live([&](const detail::StoredDocument& document) { compacted.add(document, snapshot_path(), 0); });
    compacted.end_bulk_load();
    std::unique_lock lock(state_mutex_);
    state_ = std::move(compacted);
    ++version_;
  }
}

std::string Recovery::describe() const {
  std::string text;
  const auto sentence = [&](const std::string& part) { text += (text.empty() ? "" : " ") + part; };
  if (torn_bytes > 0)
    sentence("the log's last " + std::to_string(torn_bytes) + " bytes, from offset " + std::to_string(torn_offset) +
             ", are the torn end of an append a crash cut short (never acknowledged): ignored, and cut away at the next write.");
  if (stale_log) sentence("the log was already in the snapshot (a checkpoint stopped before starting its new log): not read.");
  for (const auto& name : removed_files) sentence("removed " + name + ", left by a killed checkpoint.");
  return text;
}

PersistentIndex::PersistentIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PersistentIndex::PersistentIndex(PersistentIndex&&) noexcept = default;
PersistentIndex& PersistentIndex::operator=(PersistentIndex&&) noexcept = default;
PersistentIndex::~PersistentIndex() = default;

PersistentIndex PersistentIndex::open(const std::string& path, const IndexSpec& spec, const IndexOptions& options) {
  return PersistentIndex(Impl::open(path, &spec, options));
}

PersistentIndex PersistentIndex::open_existing(const std::string& path, const IndexOptions& options) {
  return PersistentIndex(Impl::open(path, nullptr, options));
}

bool PersistentIndex::exists(const std::string& path) {
  std::error_code error;
  return fs::is_regular_file(fs::path(path).lexically_normal() / "snapshot", error);
}

const IndexSpec& PersistentIndex::spec() const noexcept { return impl_->spec(); }
void PersistentIndex::add(const std::string& id, std::string_view text, const std::string& lang) { impl_->add(id, text, lang); }
std::vector<Match> PersistentIndex::query(std::string_view text, const std::string& lang) const { return impl_->query(text, lang, true); }
std::vector<Match> PersistentIndex::copies(std::string_view text, const std::string& lang) const { return impl_->query(text, lang, false); }
AddResult PersistentIndex::add_if_new(const std::string& id, std::string_view text, const std::string& lang) {
  return impl_->add_if_new(id, text, lang);
}
bool PersistentIndex::remove(const std::string& id) { return impl_->remove(id); }
void PersistentIndex::add_batch(const std::vector<Document>& documents) { impl_->add_batch(documents); }
std::vector<std::vector<Match>> PersistentIndex::query_batch(const std::vector<Document>& documents) const {
  return impl_->query_batch(documents);
}
bool PersistentIndex::contains(const std::string& id) const { return impl_->contains(id); }
IndexStats PersistentIndex::stats() const { return impl_->stats(); }
void PersistentIndex::flush() { impl_->flush(); }
void PersistentIndex::checkpoint() { impl_->checkpoint(); }

}  // namespace neardup
