// The evidence reported for a translation pair. analyse() and the Python module's assemble()
// (which rebuilds analyse()'s pairs from the arrays of a distributed run) both build it here, so
// that the command and a distributed run write the same bytes.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "neardup/pipeline.hpp"
#include "score/translation.hpp"

namespace neardup::detail {

// A link is found between the representatives of two duplicate groups and reported for every
// pair of their members. The anchors and sentences quote the representatives' text, so only
// their own pair (between_representatives) shows them; the other pairs get the link's scores.
// cited_anchors are the link's shared anchors, rarest first, spelled as the link's a writes
// them; sentences are the aligned spans, the link's a first. reversed: the pair is reported as
// (b, a), since pairs are reported with a < b, and its sentences are turned to match.
// coverage_a and coverage_b are the alignment's, the link's a first.
PairEvidence translation_evidence(const PairSignals& signals, double coverage_a, double coverage_b,
                                  std::span<const std::uint64_t> cited_anchors,
                                  const std::unordered_map<std::uint64_t, std::string>& spellings,
                                  std::span<const AlignedSentence> sentences, bool between_representatives, bool reversed);

// The alignment's beads as byte offsets into the two documents' text: a bead of two sentences
// spans both.
std::vector<AlignedSentence> aligned_sentences(const SentenceAlignment& alignment, const PreparedDocument& a,
                                               const PreparedDocument& b);

}  // namespace neardup::detail
