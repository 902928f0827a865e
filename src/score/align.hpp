// Sentence alignment: which sentences of two documents translate each other, as evidence that
// the documents do. Sentences are rarity-weighted feature vectors; their similarity matrix is
// accumulated by one merge of the two documents' feature lists (Eigen holds it), and a pair of
// sentences is aligned when each is the other's best.
#pragma once

#include <cstdint>
#include <vector>

namespace neardup::detail {

struct WeightedFeature {
  std::uint32_t id = 0;
  float weight = 0.0f;
};
using SparseVector = std::vector<WeightedFeature>;  // sorted by id, L2-normalised

// The sentences of one document as one list of (feature, sentence, weight), sorted by feature:
// built once per document, merged with another's in linear time.
class SentenceIndex {
 public:
  explicit SentenceIndex(const std::vector<SparseVector>& sentences);
  SentenceIndex() = default;
  struct Entry {
    std::uint32_t id;
    std::uint32_t sentence;
    float weight;
  };
  const std::vector<Entry>& entries() const { return entries_; }
  std::uint32_t sentence_count() const { return sentence_count_; }
  std::uint32_t non_empty_count() const { return non_empty_count_; }

 private:
  std::vector<Entry> entries_;
  std::uint32_t sentence_count_ = 0;
  std::uint32_t non_empty_count_ = 0;
};

struct SentenceMatch {
  std::uint32_t a = 0;  // sentence index in the first document
  std::uint32_t b = 0;
  float similarity = 0.0f;
};

struct SentenceAlignment {
  std::vector<SentenceMatch> matches;  // mutual best matches, by a
  double share = 0.0;  // matches / sentences of the shorter side (sentences with features)
  double order = 0.0;  // longest run of matches in the same order on both sides / matches
};

// min_similarity keeps two sentences that share only a stray feature from counting as a match.
SentenceAlignment align_sentences(const SentenceIndex& a, const SentenceIndex& b, float min_similarity);

}  // namespace neardup::detail
