#include "core/translation_evidence.hpp"

#include <utility>

namespace neardup::detail {
namespace {

// Anchors shown for a pair: the link lists them rarest first, so these are the most telling.
constexpr std::size_t evidence_anchor_count = 12;

}  // namespace

PairEvidence translation_evidence(const PairSignals& signals, double coverage_a, double coverage_b,
                                  std::span<const std::uint64_t> cited_anchors,
                                  const std::unordered_map<std::uint64_t, std::string>& spellings,
                                  std::span<const AlignedSentence> sentences, bool between_representatives, bool reversed) {
  PairEvidence evidence;
  evidence.raw_score = signals.raw;
  evidence.calibrated_score = signals.margin;
  evidence.coverage_a = coverage_a;
  evidence.coverage_b = coverage_b;
  if (!between_representatives) return evidence;
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
