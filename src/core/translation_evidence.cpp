#include "core/translation_evidence.hpp"

#include <utility>

namespace neardup::detail {
namespace {

// Anchors shown for a pair: the link lists them rarest first, so these are the most telling.
constexpr std::size_t evidence_anchor_count = 12;

}  // namespace

PairEvidence translation_evidence(const PairSignals& signals, std::span<const std::uint64_t> cited_anchors,
                                  const std::unordered_map<std::uint64_t, std::string>& spellings,
                                  std::span<const AlignedSentence> sentences, bool between_representatives, bool reversed) {
  PairEvidence evidence;
  evidence.raw_score = signals.raw;
  evidence.calibrated_score = signals.margin;
  evidence.alignment_share = signals.share;
  evidence.alignment_order = signals.order;
  if (!between_representatives) return evidence;
  for (std::uint64_t anchor : cited_anchors) {
    if (evidence.anchors.size() == evidence_anchor_count) break;
    if (auto it = spellings.find(anchor); it != spellings.end()) evidence.anchors.push_back(it->second);
  }
  evidence.sentences.assign(sentences.begin(), sentences.end());
  if (reversed)
    for (auto& sentence : evidence.sentences) std::swap(sentence.a, sentence.b);
  return evidence;
}

}  // namespace neardup::detail
