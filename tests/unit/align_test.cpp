// The sentence aligner: a document aligns with itself sentence by sentence, a sentence split in
// two is found as one 1-2 bead, a shared passage covers only its own share, and long documents
// (aligned through the coarsened copy) still recover the diagonal. Around beads that share
// features, sentences of consistent lengths are aligned on length alone, but do not count as
// covered.
#include <gtest/gtest.h>

#include <cmath>

#include "score/align.hpp"

namespace neardup::detail {
namespace {

// Sentence s has features s*4 .. s*4+3, equally weighted: disjoint from every other sentence.
SparseVector sentence(std::uint32_t s) {
  SparseVector vector;
  for (std::uint32_t k = 0; k < 4; ++k) vector.push_back({s * 4 + k, 0.5f});
  return vector;
}

SentenceIndex document(const std::vector<SparseVector>& sentences) {
  return SentenceIndex(sentences, std::vector<float>(sentences.size(), 100.0f));
}

TEST(Align, ADocumentAlignsWithItselfOneToOne) {
  std::vector<SparseVector> sentences;
  for (std::uint32_t s = 0; s < 12; ++s) sentences.push_back(sentence(s));
  const auto alignment = align_sentences(document(sentences), document(sentences), 0.03f);
  ASSERT_EQ(alignment.matches.size(), 12u);
  for (std::uint32_t s = 0; s < 12; ++s) {
    EXPECT_EQ(alignment.matches[s].a_begin, s);
    EXPECT_EQ(alignment.matches[s].b_begin, s);
    EXPECT_NEAR(alignment.matches[s].similarity, 1.0f, 1e-5f);
  }
  EXPECT_DOUBLE_EQ(alignment.coverage_a, 1.0);
  EXPECT_DOUBLE_EQ(alignment.coverage_b, 1.0);
}

TEST(Align, ASentenceTranslatedAsTwoIsOneBead) {
  // b splits a's sentence 1 into its two halves.
  const std::vector<SparseVector> a = {sentence(0), sentence(1), sentence(2)};
  const std::vector<SparseVector> b = {sentence(0), {{4, 0.7071f}, {5, 0.7071f}}, {{6, 0.7071f}, {7, 0.7071f}}, sentence(2)};
  const SentenceIndex index_a(a, {100, 100, 100}), index_b(b, {100, 50, 50, 100});
  const auto alignment = align_sentences(index_a, index_b, 0.03f);
  ASSERT_EQ(alignment.matches.size(), 3u);
  EXPECT_EQ(alignment.matches[1].a_begin, 1u);
  EXPECT_EQ(alignment.matches[1].a_end, 2u);
  EXPECT_EQ(alignment.matches[1].b_begin, 1u);
  EXPECT_EQ(alignment.matches[1].b_end, 3u);
  EXPECT_DOUBLE_EQ(alignment.coverage_b, 1.0);
}

TEST(Align, ASharedPassageCoversOnlyItsShare) {
  std::vector<SparseVector> a, b;
  for (std::uint32_t s = 0; s < 6; ++s) a.push_back(sentence(s));
  for (std::uint32_t s = 0; s < 6; ++s) b.push_back(sentence(s == 3 ? 3 : 100 + s));
  const auto alignment = align_sentences(document(a), document(b), 0.03f);
  ASSERT_EQ(alignment.matches.size(), 1u);
  EXPECT_NEAR(alignment.coverage_a, 1.0 / 6.0, 1e-9);
  EXPECT_NEAR(alignment.coverage_b, 1.0 / 6.0, 1e-9);
}

TEST(Align, SentencesWithoutSharedFeaturesBetweenBeadsAlignOnLengthButCoverNothing) {
  // Sentences 1 and 2 of b share nothing with a's (another script, no names), but have a's lengths
  // in the documents' ratio; so has the first sentence.
  const std::vector<SparseVector> a = {sentence(50), sentence(0), sentence(1), sentence(2), sentence(3)};
  const std::vector<SparseVector> b = {sentence(60), sentence(0), sentence(101), sentence(102), sentence(3)};
  const SentenceIndex index_a(a, {80, 100, 60, 140, 100}), index_b(b, {300, 200, 120, 280, 200});
  const auto alignment = align_sentences(index_a, index_b, 0.03f);
  ASSERT_EQ(alignment.matches.size(), 5u);
  for (std::uint32_t k = 0; k < 5; ++k) {
    EXPECT_EQ(alignment.matches[k].a_begin, k);
    EXPECT_EQ(alignment.matches[k].b_begin, k);
    EXPECT_EQ(alignment.matches[k].b_end, k + 1);
  }
  EXPECT_FLOAT_EQ(alignment.matches[0].similarity, 0.0f);
  EXPECT_FLOAT_EQ(alignment.matches[2].similarity, 0.0f);
  EXPECT_NEAR(alignment.coverage_a, 200.0 / 480.0, 1e-9);
}

TEST(Align, LongDocumentsAlignThroughTheCoarsenedCopy) {
  // 400 sentences against the same 400 with ten extra ones inserted at the start of b: more
  // positions than the full search takes, so the band around the coarse path must hold the path.
  std::vector<SparseVector> a, b;
  for (std::uint32_t s = 0; s < 10; ++s) b.push_back(sentence(10000 + s));
  for (std::uint32_t s = 0; s < 400; ++s) a.push_back(sentence(s)), b.push_back(sentence(s));
  const auto alignment = align_sentences(document(a), document(b), 0.03f);
  ASSERT_EQ(alignment.matches.size(), 400u);
  for (std::uint32_t s = 0; s < 400; ++s) EXPECT_EQ(alignment.matches[s].b_begin, s + 10) << s;
  EXPECT_DOUBLE_EQ(alignment.coverage_a, 1.0);
}

}  // namespace
}  // namespace neardup::detail
