// Same-text duplicates: identical normalised text, or word shingles whose measure (Jaccard or
// containment) reaches a threshold (LSH candidates, verified exactly).
// Batch (find_duplicates) and streaming dedup (stream/stream_dedup.cpp) find candidates with the
// same parameters and decide them with the same function, near_duplicate_score.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "index/candidate_index.hpp"
#include "index/lsh.hpp"
#include "neardup/relation.hpp"
#include "neardup/sketch.hpp"
#include "shingle/features.hpp"

namespace neardup::detail {

// What this stage is told of a run: the duplicate half of PipelineOptions, whose defaults are
// the only ones (batch/corpus.hpp's duplicate_options() makes one).
struct DuplicateOptions {
  double threshold{};  // of the measure, in (0, 1]
  DuplicateMeasure measure{};
  SketchKind sketch{};
  MinHashParams minhash{};
  std::uint64_t simhash_seed{};
  bool all_pairs{};  // exact copies as every couple, not as a star (for_each_group_pair)
  unsigned threads{};
};

struct DuplicatePair {
  std::uint32_t a = 0;  // a < b
  std::uint32_t b = 0;
  Relation relation = Relation::near_duplicate;
  double jaccard = 0.0;  // the score: 1 for exact duplicates, else the measure's value
};

// Containment candidates are tuned for pairs whose longer document has up to this many times the
// shingles of the shorter: a copy cut to half its source, or an article that holds a text and as
// much again. Such a pair at containment t has Jaccard t / (1 + 2 - t) (0.2 at t = 0.5), which the
// LSH bands are tuned to (28 bands of 2 rows at k = 128, against 25 of 5 for Jaccard 0.5). A
// candidate's chance at containment 0.5: 0.68 at sizes 1:2, 0.29 at 1:4; at containment 0.7,
// 0.93 and 0.53; pairs further apart in size are verified alike when found, but found less often.
// A bound on the size ratio is what keeps the Jaccard, and so the candidates, away from zero; 4
// found one more wholly derived article of 64 on counter-dev with twice the bands and candidates.
inline constexpr double containment_size_ratio = 2.0;

// Exact Jaccard |A∩B| / |A∪B| of two sorted, unique shingle lists; 0 for two empty lists.
double jaccard(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b);
// Exact containment |A∩B| / min(|A|, |B|) of two sorted, unique shingle lists: the shorter list's
// share inside the longer; 0 when either is empty. Never below jaccard(a, b).
double containment(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b);

// The share of the sentences of `a` that are found in `b`: those with at least
// sentence_found_share (a fifth) of their shingles in b. 0 when a has no shingles.
inline constexpr double sentence_found_share = 0.2;
double sentences_found(const WordShingles& a, const WordShingles& b);

// The one near-duplicate decision: the value of options.measure for the two documents' shingles
// when it reaches options.threshold and the shared text is spread over as large a
// share of the shorter document's sentences (sentences_found; the larger of the two when they
// are as long); nothing otherwise. Symmetric in a and b.
// The spread is what tells a copy from two texts that share a passage: a rewritten copy keeps
// some of every sentence it keeps (counter-dev's wholly derived articles: half their shingles,
// most of their sentences), while unrelated stories that quote the same two sentences of four
// share half the shingles of the shorter and nothing of its other sentences.
std::optional<double> near_duplicate_score(const WordShingles& a, const WordShingles& b, const DuplicateOptions& options);

// The lowest Jaccard of a pair that candidate generation must find: the threshold for jaccard;
// for containment, that of a pair at the threshold whose sizes differ by containment_size_ratio.
double candidate_jaccard(const DuplicateOptions& options);
// MinHash LSH banding for candidate_jaccard (choose_banding; milliseconds).
BandingParams candidate_banding(const DuplicateOptions& options);
// The SimHash Hamming distance within which candidates are sought under the options' measure.
int candidate_simhash_distance(const DuplicateOptions& options);

// The bands (MinHash) or the distance (SimHash) for the options' measure and threshold, for an
// index that grows a document at a time (streaming dedup).
CandidateSearch candidate_search(const DuplicateOptions& options);

// The SimHash Hamming distance that stands for a word-shingle Jaccard threshold.
int simhash_distance_for(double jaccard_threshold);

// The pairs that report a group of exact copies (members ascending, distinct): each member with
// the first, so that 100,000 copies of one text cost 99,999 lines, not five billion; with
// all_pairs (DuplicateOptions::all_pairs), every couple. Copies are copies of each other, so the
// star says all that the clique does (the evaluate command reads it back as the clique).
template <typename Visit>
void for_each_group_pair(const std::vector<std::uint32_t>& members, bool all_pairs, Visit&& visit) {
  for (std::size_t x = 0; x < members.size(); ++x)
    for (std::size_t y = x + 1; y < (all_pairs || x == 0 ? members.size() : x + 1); ++y) visit(members[x], members[y]);
}

// Exact duplicates as stars (for_each_group_pair), near-duplicates as verified candidates.
std::vector<DuplicatePair> find_duplicates(const std::vector<PreparedDocument>& documents, const DuplicateOptions& options);

}  // namespace neardup::detail
