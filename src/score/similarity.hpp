// What batch translation scoring (score/translation.cpp) and the incremental index
// (store/index_state.cpp) share, so that both score a pair alike: the rare-feature cosine
// on the pivot script and the constants of its background.
#pragma once

#include <cstddef>

#include "score/align.hpp"
#include "text/script.hpp"

namespace neardup::detail {

// How many of a document's best matches in a language make its background there.
inline constexpr std::size_t background_size = 4;
// The margin of a pair whose sides have no background at all is capped here: a ratio above it
// says nothing more.
inline constexpr double max_margin = 10.0;
// Features in more than this share of documents are common words: their postings are not
// walked (their weight is small, and walking them would be quadratic).
inline constexpr double common_feature_share = 0.1;
inline constexpr std::size_t min_common_df = 8;
inline constexpr std::size_t max_common_df = 2000;

// A pair's score over its background: the mean, over the sides that have one, of each side's
// background (the mean of its best background_size other matches in the other's language),
// capped at max_margin.
inline double background_margin(double raw, double background_a, bool found_a, double background_b, bool found_b) {
  const int sides = (found_a ? 1 : 0) + (found_b ? 1 : 0);
  const double mean_background = sides == 0 ? 0.0 : ((found_a ? background_a : 0.0) + (found_b ? background_b : 0.0)) / sides;
  return mean_background > raw / max_margin ? raw / mean_background : max_margin;
}

// Scripts whose pivot spellings compare letter by letter. Across families only anchors do.
inline int spelling_family(Script script) {
  if (is_brahmic_aligned(script) || script == Script::devanagari || script == Script::sinhala || script == Script::arabic)
    return 1;
  if (script == Script::latin || script == Script::cyrillic || script == Script::greek) return 2;
  return 3 + static_cast<int>(script);
}

inline float dot(const SparseVector& a, const SparseVector& b) {
  float sum = 0.0f;
  for (std::size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i].id == b[j].id) sum += a[i++].weight * b[j++].weight;
    else if (a[i].id < b[j].id) ++i;
    else ++j;
  }
  return sum;
}

inline float pair_score(const SparseVector& grams_a, const SparseVector& anchors_a, const SparseVector& grams_b,
                        const SparseVector& anchors_b, bool anchors_only) {
  const float anchors = dot(anchors_a, anchors_b);
  return anchors_only ? anchors : 0.5f * (dot(grams_a, grams_b) + anchors);
}

}  // namespace neardup::detail
