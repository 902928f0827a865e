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

// The word shingles of a document with the content sentence each first appears in, so that the
// near-duplicate decision can see how its shared text is spread (score/duplicates.hpp).
struct WordShingles {
  std::vector<std::uint64_t> hashes;     // sorted, unique
  std::vector<std::uint32_t> sentences;  // of each hash, in the same order; empty: all in one sentence
  friend bool operator==(const WordShingles&, const WordShingles&) = default;
};

struct PreparedDocument {
  std::string lang;
  Script script = Script::unknown;
  double script_share = 0.0;
  // Both of the normalised text folded to one script where its language has two (text/fold.hpp):
  // Serbian Cyrillic and Latin, Traditional and Simplified Chinese compare as one text.
  std::uint64_t exact_hash = 0;              // of the whole folded text
  WordShingles word_shingles;                // of its words
  std::vector<SentenceFeatures> sentences;   // content sentences only (boilerplate left out)
  std::uint32_t boilerplate_lines = 0;
  std::uint32_t content_words = 0;
  Span title;     // the first line that reads as a phrase and is not boilerplate
  Span headline;  // the first line that reads as a phrase, boilerplate or not: a story's
                  // versions share their headline, so it can recur within one story
};

// Titles are clipped here, at a code point boundary, wherever they come from.
inline constexpr std::size_t max_title_bytes = 160;

// The text of a line of `text` (a title or headline span), clipped to max_title_bytes.
std::string line_title(std::string_view text, Span line);

// A line of a document, normalised, as the boilerplate detector counts it.
struct NormalisedLine {
  Span span;  // in the original text
  std::string text;        // normalised, as written
  std::uint64_t hash = 0;  // of the text folded to one script (text/fold.hpp)
  std::uint32_t words = 0;
};

std::vector<NormalisedLine> normalised_lines(std::string_view text);

// Boilerplate is site furniture (menus, "Related Articles", image placeholders, "also read"
// headers): lines short enough not to be text copied with a story, that recur across stories.
// A line that recurs only among the versions of one story (a headline kept by every copy or
// translation of an article) is the story's own text.
//
// Which story a document tells is judged from its long lines: two documents whose story
// signatures share a component share long lines (Jaccard J of their long lines gives a
// chance 1 - (1 - J)^4 that they do). A document without long lines has no signature (0) and
// shares a story with no other.
struct ShortLine {
  std::uint64_t hash = 0;   // NormalisedLine::hash
  std::uint64_t story = 0;  // the signature of the document it is in
  std::uint64_t count = 1;  // documents (or occurrences) with this line and signature
};

// The short lines of one document, once per occurrence, with its signature (none for a line
// repeated within it, which is furniture whatever the story).
std::vector<ShortLine> short_lines(const std::vector<NormalisedLine>& lines);

// Sorts the lines and sums the counts of each line and signature: what a corpus's short lines
// are kept as while they are counted.
void merge_counts(std::vector<ShortLine>& lines);

// The boilerplate among the short lines of a whole corpus (in any order, counts of the same
// line and signature summed or not): lines seen with two signatures that share no component,
// or seen twice where one of them has no signature.
std::unordered_set<std::uint64_t> find_boilerplate(std::vector<ShortLine> lines);
// The same from every document's lines.
std::unordered_set<std::uint64_t> find_boilerplate(const std::vector<std::vector<NormalisedLine>>& corpus_lines);

// Everything above. Without `translation_features` the sentences are left empty, which spares
// the transliteration and phonetic keys (about a third of the time) to callers that compare
// documents only within a language.
PreparedDocument prepare(const Document& document, const std::vector<NormalisedLine>& lines,
                         const std::unordered_set<std::uint64_t>& boilerplate, std::uint32_t word_shingle,
                         bool translation_features = true);

// What prepare() makes without knowing the script and language, which none of it depends on:
// exact_hash, word_shingles, title, headline, boilerplate_lines and content_words, the same as prepare()'s;
// lang, script and sentences are left empty. For deduplication, which needs no more, and skips
// the script profile and language detection as well.
PreparedDocument prepare_shingles(std::string_view text, const std::vector<NormalisedLine>& lines,
                                  const std::unordered_set<std::uint64_t>& boilerplate, std::uint32_t word_shingle);

// The normalised spelling of each anchor of a document, for showing evidence.
std::unordered_map<std::uint64_t, std::string> anchor_spellings(const Document& document, const std::vector<NormalisedLine>& lines,
                                                               const std::unordered_set<std::uint64_t>& boilerplate);

}  // namespace neardup::detail
