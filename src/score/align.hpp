// Sentence alignment: which sentences of two documents translate each other, as evidence that
// the documents do and as the share of each document that the other covers.
//
// Sentences are rarity-weighted feature vectors. The alignment is the best monotone path through
// their similarity matrix by dynamic programming, with 1-1, 1-2 and 2-1 beads, skips, and a
// length prior (Gale and Church: a bead's lengths keep the documents' overall ratio). Long
// documents are aligned as Vecalign does: pairs of sentences merged into blocks, the blocks
// aligned recursively, and the path searched again at full resolution only in a window around
// the coarse one, so that cost stays linear in sentences.
#pragma once

#include <cstdint>
#include <vector>

namespace neardup::detail {

struct WeightedFeature {
  std::uint32_t id = 0;
  float weight = 0.0f;
};
using SparseVector = std::vector<WeightedFeature>;  // sorted by id, L2-normalised

// The sentences of one document as one list of (feature, sentence, weight), sorted by feature,
// with each sentence's length: built once per document, merged with another's.
class SentenceIndex {
 public:
  SentenceIndex(const std::vector<SparseVector>& sentences, std::vector<float> lengths);
  SentenceIndex() = default;
  struct Entry {
    std::uint32_t id;
    std::uint32_t sentence;
    float weight;
  };
  const std::vector<Entry>& entries() const { return entries_; }
  std::uint32_t sentence_count() const { return static_cast<std::uint32_t>(lengths_.size()); }
  float length(std::uint32_t sentence) const { return lengths_[sentence]; }
  // Length of a sentence if it has features, else 0: only these can be covered.
  float featured_length(std::uint32_t sentence) const { return featured_lengths_[sentence]; }
  double total_length() const { return total_length_; }
  double total_featured_length() const { return total_featured_length_; }
  // Sentences 2k and 2k+1 as one block k, renormalised.
  SentenceIndex coarsened() const;

 private:
  std::vector<Entry> entries_;
  std::vector<float> lengths_;
  std::vector<float> featured_lengths_;
  double total_length_ = 0.0;
  double total_featured_length_ = 0.0;
};

// Sentences [a_begin, a_end) of the first document translate [b_begin, b_end) of the second.
struct SentenceMatch {
  std::uint32_t a_begin = 0;
  std::uint32_t a_end = 0;
  std::uint32_t b_begin = 0;
  std::uint32_t b_end = 0;
  float similarity = 0.0f;
};

struct SentenceAlignment {
  // In order on both sides. Where two or more beads share features, the sentences around them
  // are aligned on length alone (similarity below the minimum) where their lengths agree.
  std::vector<SentenceMatch> matches;
  // Share of the first document's featured sentence length that shared features align.
  double coverage_a = 0.0;
  double coverage_b = 0.0;
};

// A bead is evidence only where its similarity exceeds min_similarity: two sentences that share
// a stray feature are no better than two of consistent lengths.
SentenceAlignment align_sentences(const SentenceIndex& a, const SentenceIndex& b, float min_similarity);

}  // namespace neardup::detail
