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
// pair of their members, each with its own alignment (member_alignment). cited_anchors are the
// link's shared anchors, rarest first, spelled as the pair's member of the link's a group writes
// them (spellings: that member's); sentences are the pair's aligned spans, that member first,
// and coverage_a, coverage_b its alignment's. reversed: the pair is reported as (b, a), since
// pairs are reported with a < b, and its sentences are turned to match.
PairEvidence translation_evidence(const PairSignals& signals, double coverage_a, double coverage_b,
                                  std::span<const std::uint64_t> cited_anchors,
                                  const std::unordered_map<std::uint64_t, std::string>& spellings,
                                  std::span<const AlignedSentence> sentences, bool reversed);

// The sentence alignment of members a and b of two linked groups: the link's own where both have
// their representative's sentences (an exact copy, or the representative itself), else their
// own, so that a reader sees the sentences of the two texts the pair names.
SentenceAlignment member_alignment(const StoryScorer& scorer, const CandidatePair& link,
                                   const PreparedDocument& representative_a, const PreparedDocument& representative_b,
                                   const PreparedDocument& a, const PreparedDocument& b);

// The alignment's beads as byte offsets into the two documents' text: a bead of two sentences
// spans both.
std::vector<AlignedSentence> aligned_sentences(const SentenceAlignment& alignment, const PreparedDocument& a,
                                               const PreparedDocument& b);

}  // namespace neardup::detail
