// neardup/pipeline.hpp: finding duplicates and translations in a corpus, in batch.
//
//   neardup::ReadResult read = neardup::read_inputs({"corpus.jsonl"}, {});
//   neardup::Analysis analysis = neardup::analyse(std::move(read.documents), {});
//   for (const neardup::Pair& pair : analysis.pairs)
//     std::cout << analysis.documents[pair.a].id << " ~ " << analysis.documents[pair.b].id
//               << " " << neardup::relation_name(pair.relation) << "\n";
//   auto clusters = neardup::cluster_stories(analysis);
//   auto dedup = neardup::deduplicate(analysis, neardup::KeepPolicy::first);
//
// Cost: near-linear in the corpus for candidate generation (LSH bands for duplicates, rare
// features for translations), then verification of candidates only. Memory holds the
// documents and their features.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "neardup/document.hpp"
#include "neardup/ingest.hpp"
#include "neardup/relation.hpp"
#include "neardup/sketch.hpp"

namespace neardup {

// How far a long run is, for a caller that shows it (the library never prints).
struct Progress {
  std::string_view stage;       // "preparing", "finding duplicates", "reading", "deduplicating", ...
  std::uint64_t documents = 0;  // done in this stage
  std::uint64_t bytes = 0;      // of document text done in this stage
  double fraction = -1.0;       // of the stage done, in [0, 1]; negative when unknown
};
// Called from the calling thread, at the start of each stage and between chunks of documents.
using ProgressCallback = std::function<void(const Progress&)>;

struct PipelineOptions {
  // Same-language near-duplicates: the measure of their word shingles at least the threshold.
  std::uint32_t word_shingle = 3;
  double near_duplicate_threshold = 0.5;
  // Containment by default: copies are cut and extended (a newspaper prints half of an agency
  // story, or the story and more), and Jaccard misses most such copies. Jaccard for a stricter
  // near-duplicate: the same text in about the same length.
  DuplicateMeasure measure = DuplicateMeasure::containment;
  // A group of exact copies is reported as each member paired with its first (a star); true:
  // every couple (a group of n copies then costs n(n-1)/2 pairs).
  bool all_pairs = false;
  SketchKind sketch = SketchKind::minhash;
  MinHashParams minhash{};
  std::uint64_t simhash_seed = 0x73696d68617368ULL;
  // Translations and same-story pairs are sought at all (dedup, which keeps both, does without).
  bool find_translations = true;
  // Same-story pairs are sought (false: translations only, as the distributed run does so far).
  bool find_same_story = true;
  // Translations: one partner per group of versions and language. Versions of one language that
  // are duplicates or same-story pairs form one group, which is linked as one document, so a
  // corpus holding several versions of a language keeps every version's translations; false
  // lets a group pair with several groups of one language.
  bool one_to_one = true;
  // Minimum calibrated score (margin over the document's own background for that language pair).
  double translation_threshold = 0.0;  // 0 = the fitted models' decision, even odds
  ProgressCallback progress;  // none by default
  // Threads for the parallel stages; 0: one per core. Outputs do not depend on it.
  unsigned threads = 0;
};

struct Offsets {
  std::uint32_t begin = 0;  // byte offsets into Document::text
  std::uint32_t end = 0;
};

struct AlignedSentence {
  Offsets a;
  Offsets b;
  double similarity = 0.0;
};

struct PairEvidence {
  double raw_score = 0.0;         // similarity before calibration
  double calibrated_score = 0.0;  // margin over each side's background for the language pair
  double coverage_a = 0.0;        // share of a's text in aligned sentences
  double coverage_b = 0.0;        // and of b's
  std::vector<std::string> anchors;           // shared names and numbers, as written in a
  std::vector<AlignedSentence> sentences;     // aligned sentence pairs
};

struct Pair {
  std::uint32_t a = 0;  // index into Analysis::documents; a < b
  std::uint32_t b = 0;
  Relation relation = Relation::near_duplicate;
  // 1 for exact duplicates, the measure's value (PipelineOptions::measure) for near-duplicates,
  // the model's probability for translations and same-story pairs.
  double score = 0.0;
  PairEvidence evidence;
};

struct DocumentInfo {
  std::string lang;       // given in the input, or detected ("hin_Deva", ...)
  std::string script;     // dominant script, ISO 15924 ("Deva")
  double script_share = 0.0;
  std::uint32_t boilerplate_lines = 0;  // lines discounted as recurring site furniture
  std::string title;                    // the first line that is not boilerplate, clipped
  std::string headline;                 // the first phrase, boilerplate or not, clipped: the
                                        // cluster's title when it recurs only within the cluster
};

struct Analysis {
  std::vector<Document> documents;
  std::vector<DocumentInfo> info;  // parallel to documents
  std::vector<Pair> pairs;         // sorted by (a, b)
};

// Throws Error(out_of_memory), naming the stage, when the corpus does not fit in memory.
Analysis analyse(std::vector<Document> documents, const PipelineOptions& options = {});

struct Cluster {
  std::vector<std::uint32_t> members;  // ascending
  std::uint32_t representative = 0;    // the member whose first line titles the cluster
  std::string title;                   // its headline, unless another story's documents share
                                       // it (site furniture), then its title
  std::vector<std::string> langs;      // sorted, unique
};

// Stories: documents joined by duplicate, same-story and translation pairs, guarded against
// chaining.
// Every document is in exactly one cluster; clusters are ordered by their first member.
std::vector<Cluster> cluster_stories(const Analysis& analysis);

// A document outside the corpus at hand (in a PersistentIndex, say) that a document relates to.
struct Match {
  std::string id;
  Relation relation = Relation::near_duplicate;
  double score = 0.0;  // 1 for exact; estimated Jaccard for near; the model's probability for translation
};

// The original of a document among those deduplicated before this run (the documents of a
// PersistentIndex, for `dedup --index`): an exact or near duplicate of it, or nullopt. Asked only
// of documents without an original among the inputs kept before them, and from several threads
// at once. A document it answers for is removed as a duplicate of that one, and is not an
// original for later inputs: every removal names a kept input or a prior document, never a
// removed one.
using PriorOriginal = std::function<std::optional<Match>(const Document& document)>;

enum class KeepPolicy { first, longest };

struct Removal {
  std::uint32_t removed = 0;
  std::uint32_t duplicate_of = 0;  // a kept document, verified directly against the removed one
  Relation relation = Relation::near_duplicate;
  double score = 0.0;
  std::string prior_original;      // when the original is a prior document (PriorOriginal), its id; duplicate_of is then unused
};

struct DedupResult {
  std::vector<std::uint32_t> kept;  // in input order
  std::vector<Removal> removed;     // in input order of the removed documents
};

// Keeps one document per group of exact and near-duplicates (translations are kept), and none of
// those that prior_original names an original for.
DedupResult deduplicate(const Analysis& analysis, KeepPolicy policy, const PriorOriginal& prior_original = {});

// ---------------------------------------------------------------------------------------------
// Deduplication of inputs too large to hold, with the results of
// deduplicate(analyse(read_inputs(paths), options), KeepPolicy::first):
//
//   neardup::DedupSinks sinks;
//   sinks.kept = [&](const neardup::Document& document) { write_kept_line(kept_file, document); };
//   sinks.removed = [&](const neardup::Document& document, std::string_view duplicate_of,
//                       neardup::Relation relation, double score) { ... };
//   neardup::StreamedDedup counts = neardup::deduplicate_inputs({"corpus.jsonl"}, {}, {}, sinks);
//   // counts.kept + counts.removed + counts.rejected.size() documents were read
//
// Two passes over the inputs, in chunks prepared on all cores: the first counts short lines (the
// boilerplate is corpus-wide), the second decides each document against the documents kept
// before it, in input order, and calls a sink at once. Memory holds, per document, where it was
// read, its id, its exact-text hash and its slots in the LSH band tables (about 250 bytes in
// all), and a fixed 32 MiB of shingles of recently kept documents; not the text. A candidate
// kept earlier and no longer cached is read again and verified exactly, as in batch.
// Standard input and compressed files are read as streams and their documents copied, zstd-
// compressed, to an unnamed temporary file in $TMPDIR for the second pass (standard input
// cannot be read twice, nor a compressed file at an offset). options.progress hears of both
// passes ("reading", "deduplicating").

struct DedupSinks {
  std::function<void(const Document& document)> kept;
  std::function<void(const Document& removed, std::string_view duplicate_of, Relation relation, double score)> removed;
  PriorOriginal prior_original;  // optional
};

// Documents and bytes of text, kept and removed, of one language.
struct LanguageTally {
  std::uint64_t kept = 0;
  std::uint64_t removed = 0;
  std::uint64_t kept_bytes = 0;
  std::uint64_t removed_bytes = 0;
};

struct StreamedDedup {
  std::uint64_t kept = 0;
  std::uint64_t removed = 0;
  std::vector<Rejected> rejected;
  std::vector<Warning> warnings;
  // By language as given, or detected on the first KiB of the text when none was (languages are
  // not otherwise used here).
  std::map<std::string, LanguageTally> languages;
};

StreamedDedup deduplicate_inputs(const std::vector<std::string>& paths, const ReadOptions& read_options,
                                 const PipelineOptions& options, const DedupSinks& sinks);

}  // namespace neardup
