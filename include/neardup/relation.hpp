// neardup/relation.hpp: what two documents are to each other, and how copies are measured.
// The vocabulary of every output and of the stages that decide it (pipeline.hpp, the index).
#pragma once

#include <cstdint>
#include <string_view>

namespace neardup {

// same_story: two documents of one language (or of languages told apart uncertainly) that report
// one story without being near-copies: a rewrite, a partial reuse, a second translation.
enum class Relation : std::uint8_t { exact_duplicate, near_duplicate, translation, same_story };
// "exact-duplicate", "near-duplicate", "translation", "same-story"
std::string_view relation_name(Relation relation);
// Exact and near-duplicates: copies, which dedup removes (it keeps translations and rewrites).
inline bool is_copy(Relation relation) { return relation == Relation::exact_duplicate || relation == Relation::near_duplicate; }

// What near_duplicate_threshold bounds, on the word shingles A and B of two documents:
//   containment  |A∩B| / min(|A|, |B|): the shorter document's share inside the longer. Finds a
//                copy cut to part of its source, and an article that keeps most of a shorter
//                text (an agency story) inside it.
//   jaccard      |A∩B| / |A∪B|: two versions of one text of about the same length; a copy cut to
//                half its source scores under 0.5.
// containment >= jaccard for every pair, so one threshold admits more pairs under containment.
enum class DuplicateMeasure : std::uint8_t { jaccard, containment };

}  // namespace neardup
