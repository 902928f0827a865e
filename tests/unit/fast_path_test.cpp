// Every fast path of the sketching path against its slow reference, on real text (seeds and the
// dev corpus) and on random text made of the characters where the rules differ.
#include <gtest/gtest.h>

#include <unicode/utf8.h>

#include <random>
#include <string>
#include <utility>
#include <vector>

#include "neardup/sketch.hpp"
#include "shingle/features.hpp"
#include "support/corpus.hpp"
#include "text/normalise.hpp"
#include "text/script.hpp"
#include "text/segment.hpp"
#include "text/transliterate.hpp"

namespace neardup::detail {
namespace {

using Bounds = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

Bounds bounds(const std::vector<Span>& spans) {
  Bounds out;
  for (const Span& s : spans) out.emplace_back(s.begin, s.end);
  return out;
}

std::vector<std::string> real_texts() {
  std::vector<std::string> texts = testing::seed_texts();
  for (const auto& document : testing::dev_documents()) texts.push_back(document.text);
  return texts;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return lines;
}

// Random strings over the characters where word and sentence rules turn: letters of several
// scripts, marks, digits, the Mid* punctuation, terminators, closing punctuation, spaces,
// ideographs, Thai, emoji, e-mail and underscore joiners.
const std::vector<std::string> segmentation_pieces = {
      "a", "B", "z", "é", "क", "ि", "्", "ं", "த", "ு", "ب", "ِ", "ක", "ා", "0", "7", "٣", ".", ",", ";", ":",
      "'", "’", "\"", "-", "(", ")", "!", "?", "।", "॥", "۔", " ", " ", "  ", "\t", "\u00A0", "\u3000", "@",
      "_", "中", "ไทย", "😀", "\u200D", "\u200C", "\u00AD", "«", "»", "%", "$", "#", "\u0301", "Mr", "U.S.", "3.5",
      "a.b", "e.g.", "\u2029", "\r",
};

// Up to 11 pieces drawn at random, count times.
std::vector<std::string> random_strings(const std::vector<std::string>& pieces, std::size_t count, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> texts;
  for (std::size_t i = 0; i < count; ++i) {
    std::string text;
    const std::size_t length = rng() % 12;
    for (std::size_t j = 0; j < length; ++j) text += pieces[rng() % pieces.size()];
    texts.push_back(std::move(text));
  }
  return texts;
}

std::vector<std::string> random_texts(std::size_t count, std::uint64_t seed) {
  return random_strings(segmentation_pieces, count, seed);
}

void expect_words_as_icu(const std::string& text) {
  EXPECT_EQ(bounds(words(text)), bounds(words_icu(text))) << "text: \"" << text << "\"";
}

void expect_sentences_as_icu(const std::string& text) {
  EXPECT_EQ(bounds(sentences(text)), bounds(sentences_icu(text))) << "text: \"" << text << "\"";
}

TEST(FastPath, WordsAsIcuOnRealText) {
  for (const auto& text : real_texts()) {
    for (const auto& line : lines_of(text)) {
      expect_words_as_icu(line);
      const std::string normalised = normalise(line);
      expect_words_as_icu(normalised);
      for (const Span& s : sentences_icu(line)) expect_words_as_icu(normalise(std::string_view(line).substr(s.begin, s.end - s.begin)));
    }
  }
}

TEST(FastPath, WordsAsIcuOnRandomText) {
  for (const auto& text : random_texts(20000, 1)) {
    expect_words_as_icu(text);
    expect_words_as_icu(normalise(text));
  }
}

TEST(FastPath, SentencesAsIcuOnRealText) {
  for (const auto& text : real_texts()) {
    expect_sentences_as_icu(text);
    for (const auto& line : lines_of(text)) expect_sentences_as_icu(line);
  }
}

TEST(FastPath, SentencesAsIcuOnRandomText) {
  for (const auto& text : random_texts(20000, 2)) expect_sentences_as_icu(text);
}

// prepare() takes a line that is one sentence as normalised already (the line's text) instead of
// normalising the sentence again.
TEST(FastPath, OneSentenceLineNormalisesAsItsSentence) {
  auto texts = real_texts();
  for (auto& text : random_texts(20000, 3)) texts.push_back(std::move(text));
  for (const auto& text : texts) {
    for (const auto& line : lines_of(text)) {
      const auto spans = sentences(line);
      if (spans.size() != 1) continue;
      EXPECT_EQ(normalise(std::string_view(line).substr(spans[0].begin, spans[0].end - spans[0].begin)), normalise(line))
          << "line: \"" << line << "\"";
    }
  }
}

// Random strings over what normalisation changes: capitals, compatibility and precomposed
// forms excluded from composition (nukta letters, ligatures, fullwidth), marks out of canonical
// order, default-ignorables, digits of other scripts and planes, Unicode spaces, invalid bytes.
const std::vector<std::string> normalisation_pieces = {
      "A", "z", " ", "\t\n", "\u00A0", "\u2003", "\u3000", "\u1680", "\u0085", "\u200B", "\u200D", "\u00AD",
      "\u0915", "\u093C", "\u0958", "\u094D", "\u0941", "\u0902", "\u0901", "\u0966", "\u096F", "\u09DF",
      "\u09C7", "\u09BE", "\u09CB", "\u0B47", "\u0B3E", "\u0BC6", "\u0BBE", "\u0D46", "\u0D3E", "\u0DD9",
      "\u0DCF", "\u0627", "\u0653", "\u0654", "\u0660", "\u06F5", "\u0301", "\u0327", "\u00C9", "\u00DF",
      "\uFB01", "\uFF21", "\uFF11", "\u2460", "\u00BD", "\u1E9E", "\u03A3", "\u0130", "\uAC00", "\u1100",
      "\u1161", "\u11A8", "\U0001D7D9", "\U00011067", "\U0001F600", "\xFF", "\xE0\xA4", "\xC0\x80", "\xED\xA0\x80",
};

std::vector<std::string> random_normalisation_texts(std::size_t count, std::uint64_t seed) {
  return random_strings(normalisation_pieces, count, seed);
}

TEST(FastPath, NormaliseAsIcuOnRealText) {
  std::string buffer;
  for (const auto& text : real_texts()) {
    ASSERT_EQ(normalise(text), normalise_icu(text));
    for (const auto& line : lines_of(text)) {
      normalise(line, buffer);
      ASSERT_EQ(buffer, normalise_icu(line)) << "line: \"" << line << "\"";
    }
  }
}

TEST(FastPath, NormaliseAsIcuOnRandomText) {
  std::string buffer;
  for (const auto& text : random_normalisation_texts(50000, 4)) {
    normalise(text, buffer);
    ASSERT_EQ(buffer, normalise_icu(text)) << "text: \"" << text << "\"";
  }
}

// decode_utf8 takes three-byte sequences apart inline; ICU's U8_NEXT is the reference for which
// are well-formed and what they mean.
TEST(FastPath, DecodeUtf8AsIcuOnEveryThreeByteSequence) {
  for (unsigned lead = 0xE0; lead <= 0xEF; ++lead) {
    for (unsigned second = 0; second < 256; ++second) {
      for (unsigned third = 0; third < 256; ++third) {
        const unsigned char bytes[] = {static_cast<unsigned char>(lead), static_cast<unsigned char>(second),
                                       static_cast<unsigned char>(third)};
        const unsigned char* p = bytes;
        char32_t c = 0;
        const bool ok = decode_utf8(p, bytes + 3, c);
        int32_t i = 0;
        UChar32 expected = 0;
        U8_NEXT(bytes, i, 3, expected);
        const bool expected_ok = expected >= 0 && i == 3;
        ASSERT_EQ(ok, expected_ok) << std::hex << lead << " " << second << " " << third;
        if (ok) {
          ASSERT_EQ(static_cast<UChar32>(c), expected);
          ASSERT_EQ(p, bytes + 3);
        } else {
          ASSERT_EQ(p, bytes + 1);
        }
      }
    }
  }
}

// profile_scripts reads the script of each code point from a table; script_of is the reference.
ScriptProfile profile_by_script_of(const std::string& text) {
  ScriptProfile profile;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    char32_t c = 0;
    if (decode_utf8(p, end, c)) ++profile.letters[static_cast<std::size_t>(script_of(c))];
  }
  profile.letters[static_cast<std::size_t>(Script::unknown)] = 0;
  return profile;
}

TEST(FastPath, ScriptProfileAsScriptOfEachCodePoint) {
  auto texts = real_texts();
  for (auto& text : random_normalisation_texts(20000, 5)) texts.push_back(std::move(text));
  for (auto& text : random_texts(20000, 6)) texts.push_back(std::move(text));
  for (const auto& text : texts) ASSERT_EQ(profile_scripts(text).letters, profile_by_script_of(text).letters) << "text: \"" << text << "\"";
}

TEST(FastPath, PivotIntoReusedBufferAsFreshString) {
  std::string buffer;
  for (const auto& text : real_texts()) {
    const std::string normalised = normalise(text);
    for (const Span& word : words(normalised)) {
      const std::string_view piece = std::string_view(normalised).substr(word.begin, word.end - word.begin);
      to_pivot(piece, buffer);
      ASSERT_EQ(buffer, to_pivot(piece));
      to_devanagari(piece, buffer);
      ASSERT_EQ(buffer, to_devanagari(piece));
    }
  }
}

// Unweighted SimHash counts bits in integers; the weighted float sums with every weight 1 are
// the reference.
void expect_simhash_as_weighted(const std::vector<std::uint64_t>& hashes) {
  const std::vector<float> ones(hashes.size(), 1.0f);
  for (const std::uint64_t seed : {0ULL, 7ULL, 0x9e3779b97f4a7c15ULL})
    ASSERT_EQ(simhash(hashes, {}, seed).bits(), simhash(hashes, ones, seed).bits()) << hashes.size() << " hashes";
}

TEST(FastPath, SimHashUnweightedAsWeightedByOne) {
  std::vector<std::vector<NormalisedLine>> corpus;
  std::vector<Document> documents;
  for (const auto& text : real_texts()) {
    Document document;
    document.id = std::to_string(documents.size());
    document.text = text;
    documents.push_back(std::move(document));
    corpus.push_back(normalised_lines(text));
  }
  const auto boilerplate = find_boilerplate(corpus);
  for (std::size_t d = 0; d < documents.size(); ++d) expect_simhash_as_weighted(prepare(documents[d], corpus[d], boilerplate, 3).word_shingles.hashes);
  std::mt19937_64 rng(7);
  for (std::size_t size : {0, 1, 2, 3, 64, 1000, 100000}) {
    std::vector<std::uint64_t> hashes(size);
    for (auto& h : hashes) h = rng();
    expect_simhash_as_weighted(hashes);
  }
}

}  // namespace
}  // namespace neardup::detail
