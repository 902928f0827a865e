#include "batch/translation_evidence.hpp"

#include <algorithm>
#include <utility>

namespace neardup::detail {
namespace {

// Anchors shown for a pair: the link lists them rarest first, so these are the most telling.
constexpr std::size_t evidence_anchor_count = 12;

bool same_sentences(const PreparedDocument& x, const PreparedDocument& y) {
  return std::ranges::equal(x.sentences, y.sentences, [](const SentenceFeatures& s, const SentenceFeatures& t) {
    return s.span.begin == t.span.begin && s.span.end == t.span.end && s.grams == t.grams && s.anchors == t.anchors;
  });
}

}  // namespace

PairEvidence translation_evidence(const PairSignals& signals, double coverage_a, double coverage_b,
                                  std::span<const std::uint64_t> cited_anchors,
                                  const std::unordered_map<std::uint64_t, std::string>& spellings,
                                  std::span<const AlignedSentence> sentences, bool reversed) {
  PairEvidence evidence;
  evidence.raw_score = signals.raw;
  evidence.calibrated_score = signals.margin;
  evidence.coverage_a = coverage_a;
  evidence.coverage_b = coverage_b;
  for (std::uint64_t anchor : cited_anchors) {
    if (evidence.anchors.size() == evidence_anchor_count) break;
    if (auto it = spellings.find(anchor); it != spellings.end()) evidence.anchors.push_back(it->second);
  }
  evidence.sentences.assign(sentences.begin(), sentences.end());
  if (reversed) {
    for (auto& sentence : evidence.sentences) std::swap(sentence.a, sentence.b);
    std::swap(evidence.coverage_a, evidence.coverage_b);
  }
  return evidence;
}

SentenceAlignment member_alignment(const StoryScorer& scorer, const CandidatePair& link,
                                   const PreparedDocument& representative_a, const PreparedDocument& representative_b,
                                   const PreparedDocument& a, const PreparedDocument& b) {
  if ((&a == &representative_a || same_sentences(a, representative_a)) &&
      (&b == &representative_b || same_sentences(b, representative_b)))
    return link.alignment;
  return scorer.align(a, b);
}

std::vector<AlignedSentence> aligned_sentences(const SentenceAlignment& alignment, const PreparedDocument& a,
                                               const PreparedDocument& b) {
  std::vector<AlignedSentence> aligned;
  for (const auto& match : alignment.matches)
    aligned.push_back({{a.sentences[match.a_begin].span.begin, a.sentences[match.a_end - 1].span.end},
                       {b.sentences[match.b_begin].span.begin, b.sentences[match.b_end - 1].span.end},
                       match.similarity});
  return aligned;
}

}  // namespace neardup::detail
