// neardup/persistent_index.hpp: an incremental index of documents that survives restarts and
// crashes, for a crawler that asks before storing a page: have I seen this, a near-copy of it,
// or a translation of it?
//
//   auto index = neardup::PersistentIndex::open("pages.ndx", {});   // creates it when absent
//   neardup::AddResult result = index.add_if_new(url, page_text);   // lang detected when ""
//   if (!result.added)
//     for (const neardup::Match& match : result.matches)
//       std::cout << url << " is a " << neardup::relation_name(match.relation) << " of " << match.id << "\n";
//   index.checkpoint();   // now and then: folds the log into a fresh snapshot
//
// What is found, as `neardup pairs` finds it in batch:
//   - exact-duplicate: the same normalised text (score 1);
//   - near-duplicate: word-shingle Jaccard >= spec.near_duplicate_threshold, estimated from the
//     MinHash sketches of both (LSH banding finds the candidates; no exact verification, as the
//     text is not stored: the estimate's standard error is sqrt(J(1-J)/k), 0.044 at J=0.5, k=128);
//   - translation: a document in another language whose rarity-weighted phonetic n-grams and
//     anchors (names, numbers) on the pivot script compare like a translation's, decided by the
//     fitted translation model of the batch pipeline. Differences from batch, by design: no
//     sentence alignment and no story support (those signals are 0), document frequencies are
//     those of the index at the time of the query, each document keeps a sample of at most a few
//     hundred features, and one translation (with its duplicates) is reported per language.
//
// Storage: the index is a folder holding `snapshot` (all documents at the last checkpoint),
// `log` (every add and remove since, appended and synced before add/remove returns) and `lock`.
// The text of a document is not stored: per document about 3.5 KB on disk and 5 KB in memory
// (its id, language, script, exact hash, MinHash sketch and feature sample; measured on 100k and
// 1M generated news pages by bench/index_bench.cpp). Each file starts with the magic "NDUPIDX1", the format version, the spec, transliteration self-test samples and the ICU
// version; every record carries its length, type and CRC32, little-endian. On open, whatever
// follows the log's last whole record (a crash during an append, never acknowledged) is ignored
// and reported in stats().recovery, and cut away by the next write; any other damage is an
// Error(corrupt_index) naming file and offset, and nothing is changed on disk.
//
// Threads: every member may be called from many threads at once. Queries run concurrently with
// each other and with the slow part of writes (feature extraction, add_if_new's matching and the
// log's fdatasync); writers apply their changes one at a time, and add_if_new repeats its
// matching under the writer lock only when another write came in between. One process at a
// time may open an index for writing; read-only opens (IndexOptions::read_only) share it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "neardup/document.hpp"
#include "neardup/error.hpp"
#include "neardup/pipeline.hpp"
#include "neardup/sketch.hpp"

namespace neardup {

// How documents are prepared and compared. Stored in the index and checked on every open:
// an index answers only for the spec it was built with.
struct IndexSpec {
  std::uint32_t format_version = 1;  // of the files; this build writes and reads 1
  std::uint32_t word_shingle = 3;    // words per shingle for near-duplicates
  double near_duplicate_threshold = 0.5;  // word-shingle Jaccard, in (0, 1]
  MinHashParams minhash{};           // k slots (1..4096), seed, scheme
  std::uint32_t key_ngram = 4;       // phonetic n-gram size; fixed by this build (must be 4)
  bool operator==(const IndexSpec&) const = default;

  // "format=1,word_shingle=3,threshold=0.5,minhash_k=128,minhash_seed=0x6e656172647570,
  //  minhash_scheme=oph,key_ngram=4" (one line); parse(to_string()) == *this.
  std::string to_string() const;
  // Keys may come in any order; missing keys keep their defaults. Throws Error(usage) naming
  // the offending key or value, or a value out of range.
  static IndexSpec parse(std::string_view text);
};

struct IndexOptions {
  // add/add_if_new/remove return only after their log record is on disk (fdatasync); batch forms
  // sync once per batch. false: records reach the disk at flush(), checkpoint() or close, and a
  // crash may lose the latest (never half of one: they are dropped whole on open).
  bool sync_every_add = true;
  // add_if_new: whether a translation of an indexed document counts as seen (not added).
  bool skip_translations = false;
  // Threads for add_batch, query_batch and opening; 0: one per core.
  unsigned threads = 0;
  // For callers that only look (query, stats): nothing on disk is written, not even to repair
  // (a torn log end is ignored, not cut; stale files stay), any number of read-only opens may
  // run at once, and add, remove, flush and checkpoint throw Error(usage). Error(io) while a
  // writer has the index open, and when there is no index at the path.
  bool read_only = false;
};

struct AddResult {
  bool added = false;
  std::vector<Match> matches;  // as query() returns them
};

// What open found to repair. A crash mid-append leaves the log's last record cut short, or
// damaged where the disk had not written it whole: whatever follows the last whole,
// checksummed record is that torn write (never acknowledged), ignored on open and cut away by
// the next write. Damage with a whole record after it is Error(corrupt_index) instead.
struct Recovery {
  std::uint64_t torn_offset = 0;  // where the ignored end of the log starts
  std::uint64_t torn_bytes = 0;   // its length; 0 when the log ends with a whole record
  // The log was already in the snapshot (a checkpoint stopped between writing the snapshot and
  // starting the new log): a fresh log replaces it, or, read-only, it is not read.
  bool stale_log = false;
  std::vector<std::string> removed_files;  // temporary files a killed checkpoint left, removed

  bool empty() const noexcept { return torn_bytes == 0 && !stale_log && removed_files.empty(); }
  // One sentence per finding, for messages; "" when empty().
  std::string describe() const;
};

struct IndexStats {
  std::uint64_t documents = 0;        // live documents
  std::uint64_t bytes_on_disk = 0;    // snapshot + log
  std::uint64_t bytes_in_memory = 0;  // estimate of the index's own structures (capacity-based)
  std::uint64_t log_records = 0;      // records since the last checkpoint
  Recovery recovery;                  // what the open found to repair
};

class PersistentIndex {
 public:
  // Opens the index folder at path, creating it (and its parent folder's entry) when absent.
  // Replays snapshot + log: O(documents + log records); 4.3 s for 100k documents and 77 s for 1M
  // on a busy 2-core machine (docs/performance.md). Errors: Error(incompatible_index) when
  // the stored spec differs from spec (both named) or when this build's transliteration (ICU)
  // turns the stored self-test samples into other text; Error(newer_format) for files of a newer
  // version; Error(corrupt_index) for damaged files (file and byte offset named); Error(io) when
  // the folder cannot be read or written or the index is open, in another process or in this one
  // (share that PersistentIndex between threads instead); Error(usage) for
  // a spec out of range or a path that exists and is not an index. Nothing on disk is changed
  // by a failed open.
  static PersistentIndex open(const std::string& path, const IndexSpec& spec, const IndexOptions& options = {});
  // Opens an existing index with the spec stored in it; Error(io) when there is none at path.
  static PersistentIndex open_existing(const std::string& path, const IndexOptions& options = {});
  // Whether path holds an index (its snapshot file): open_existing would find one. For callers
  // that open one when present and create one with default settings otherwise.
  static bool exists(const std::string& path);

  PersistentIndex(PersistentIndex&&) noexcept;
  PersistentIndex& operator=(PersistentIndex&&) noexcept;
  ~PersistentIndex();  // syncs the log when sync_every_add is off; never throws

  const IndexSpec& spec() const noexcept;

  // Adds (or replaces: same id) one document. text must be valid, non-blank UTF-8 and id
  // non-empty (at most 64 KiB), else Error(bad_input); lang "" = detect. Cost: preparing the
  // text (linear in its length) + O(features + bands) to index it + one fdatasync.
  // Error(io) when the log cannot be written (the index is then unchanged).
  void add(const std::string& id, std::string_view text, const std::string& lang = "");

  // Indexed documents related to text, exact duplicates first, then near-duplicates and
  // translations, each by descending score. Cost: preparing the text + LSH lookups + walking the
  // postings of its rare features (those in at most max(8, 10%) of documents, at most 2000), and
  // the same once for the best candidate of each other language (to check that the text is its
  // best match too). Errors as add.
  std::vector<Match> query(std::string_view text, const std::string& lang = "") const;
  // Only the exact and near duplicates of query(), in its order, without the search for
  // translations that is most of its cost: for callers that keep translations anyway (dedup).
  std::vector<Match> copies(std::string_view text, const std::string& lang = "") const;

  // Atomically: the matches of text, and adds it only when none of them is an exact or near
  // duplicate (nor a translation, with options.skip_translations) and id is not yet indexed.
  // When duplicates are found, they alone are returned (translations are not sought: the
  // page is not added either way, and that search is most of a query's cost).
  // An id already indexed with the same text is not added again (its exact-duplicate match
  // names it); with another text, Error(id_conflict): add() replaces it, remove() forgets it.
  AddResult add_if_new(const std::string& id, std::string_view text, const std::string& lang = "");

  // Removes a document; returns false when id is not indexed (nothing is written then).
  bool remove(const std::string& id);

  // Many documents (Document::id, text, lang; other fields ignored), prepared in parallel and
  // written with one fdatasync. All are checked before any is written; a crash during the write
  // may keep a prefix of the batch.
  void add_batch(const std::vector<Document>& documents);
  std::vector<std::vector<Match>> query_batch(const std::vector<Document>& documents) const;

  bool contains(const std::string& id) const;
  IndexStats stats() const;

  // flush: the log's pending records to disk (fdatasync). checkpoint: writes all documents to a
  // new snapshot (temporary file, fsync, rename, folder fsync), then starts an empty log, and
  // compacts memory after removals. O(documents). Error(io) on failure (the index stays usable
  // and its files valid).
  void flush();
  void checkpoint();

 private:
  class Impl;
  explicit PersistentIndex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace neardup
