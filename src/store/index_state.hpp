// The persistent index's state in memory: the documents as what matching needs (no text), the
// postings of their features, the LSH tables of their sketches, and the queries over them.
// Readers share it; one writer at a time changes it (the locking is PersistentIndex's).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/flat_map.hpp"
#include "index/lsh.hpp"
#include "neardup/persistent_index.hpp"
#include "score/similarity.hpp"
#include "store/index_file.hpp"
#include "text/script.hpp"

namespace neardup::detail {

// A document as the index keeps it, prepared with the spec's parameters. Throws Error(bad_input)
// naming the id for an empty id, invalid UTF-8 or a blank text.
StoredDocument extract(const IndexSpec& spec, std::string_view id, std::string_view text, const std::string& lang);

// The pivot transliteration of a few words in each script, stored in a new index (fresh) and
// made again when it opens (current): a changed ICU transliterates them differently, and the
// stored features no longer match what queries are prepared into.
std::vector<SelfTestSample> fresh_samples();
std::vector<SelfTestSample> current_samples(const std::vector<SelfTestSample>& stored);

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
  explicit State(const IndexSpec& spec);

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

}  // namespace neardup::detail
