// The evidence reported for a translation pair. analyse() and the Python module's assemble()
// (which rebuilds analyse()'s pairs from the arrays of a distributed run) both build it here, so
// that the command and a distributed run write the same bytes.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>

#include "neardup/pipeline.hpp"
#include "score/translation.hpp"

namespace neardup::detail {

// A link is found between the representatives of two duplicate groups and reported for every
// pair of their members. The anchors and sentences quote the representatives' text, so only
// their own pair (between_representatives) shows them; the other pairs get the link's scores.
// cited_anchors are the link's shared anchors, rarest first, spelled as the link's a writes
// them; sentences are the aligned spans, the link's a first. reversed: the pair is reported as
// (b, a), since pairs are reported with a < b, and its sentences are turned to match.
PairEvidence translation_evidence(const PairSignals& signals, std::span<const std::uint64_t> cited_anchors,
                                  const std::unordered_map<std::uint64_t, std::string>& spellings,
                                  std::span<const AlignedSentence> sentences, bool between_representatives, bool reversed);

}  // namespace neardup::detail
