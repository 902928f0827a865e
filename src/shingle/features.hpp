// The features of one document that every later stage compares: word shingles for
// same-language duplicates, phonetic character n-grams and anchors on the pivot script for
// comparison across languages, by sentence so that sentences can be aligned.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "neardup/document.hpp"
#include "text/script.hpp"
#include "text/segment.hpp"

namespace neardup::detail {

// The n of the character n-grams taken inside each word's phonetic key.
inline constexpr std::size_t key_ngram = 4;

struct SentenceFeatures {
  Span span;                          // in the original text
  std::vector<std::uint64_t> grams;   // phonetic n-grams of its words (may repeat)
  std::vector<std::uint64_t> anchors; // numbers, names and other word keys (may repeat)
};

struct PreparedDocument {
  std::string lang;
  Script script = Script::unknown;
  double script_share = 0.0;
  // Both of the normalised text folded to one script where its language has two (text/fold.hpp):
  // Serbian Cyrillic and Latin, Traditional and Simplified Chinese compare as one text.
  std::uint64_t exact_hash = 0;              // of the whole folded text
  std::vector<std::uint64_t> word_shingles;  // of its words; sorted, unique
  std::vector<SentenceFeatures> sentences;   // content sentences only (boilerplate left out)
  std::uint32_t boilerplate_lines = 0;
  std::uint32_t content_words = 0;
  Span title;  // the first line that is not boilerplate
};

// A line of a document, normalised, as the boilerplate detector counts it.
struct NormalisedLine {
  Span span;  // in the original text
  std::string text;        // normalised, as written
  std::uint64_t hash = 0;  // of the text folded to one script (text/fold.hpp)
  std::uint32_t words = 0;
};

std::vector<NormalisedLine> normalised_lines(std::string_view text);

// Lines that recur, normalised, in two documents or twice in one and are short enough to be
// site furniture (menus, "Related Articles", image placeholders, "also read" headers) rather
// than text copied with the story.
std::unordered_set<std::uint64_t> find_boilerplate(const std::vector<std::vector<NormalisedLine>>& corpus_lines);

// Everything above. Without `translation_features` the sentences are left empty, which spares
// the transliteration and phonetic keys (about a third of the time) to callers that compare
// documents only within a language.
PreparedDocument prepare(const Document& document, const std::vector<NormalisedLine>& lines,
                         const std::unordered_set<std::uint64_t>& boilerplate, std::uint32_t word_shingle,
                         bool translation_features = true);

// What prepare() makes without knowing the script and language, which none of it depends on:
// exact_hash, word_shingles, title, boilerplate_lines and content_words, the same as prepare()'s;
// lang, script and sentences are left empty. For deduplication, which needs no more, and skips
// the script profile and language detection as well.
PreparedDocument prepare_shingles(std::string_view text, const std::vector<NormalisedLine>& lines,
                                  const std::unordered_set<std::uint64_t>& boilerplate, std::uint32_t word_shingle);

// The normalised spelling of each anchor of a document, for showing evidence.
std::unordered_map<std::uint64_t, std::string> anchor_spellings(const Document& document, const std::vector<NormalisedLine>& lines,
                                                               const std::unordered_set<std::uint64_t>& boilerplate);

}  // namespace neardup::detail
