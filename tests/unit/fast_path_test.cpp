// Every fast path of the sketching path against its slow reference, on real text (seeds and the
// dev corpus) and on random text made of the characters where the rules differ.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <utility>
#include <vector>

#include "shingle/features.hpp"
#include "support/corpus.hpp"
#include "text/normalise.hpp"
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
std::vector<std::string> random_texts(std::size_t count, std::uint64_t seed) {
  static const std::vector<std::string> pieces = {
      "a", "B", "z", "é", "क", "ि", "्", "ं", "த", "ு", "ب", "ِ", "ක", "ා", "0", "7", "٣", ".", ",", ";", ":",
      "'", "’", "\"", "-", "(", ")", "!", "?", "।", "॥", "۔", " ", " ", "  ", "\t", "\u00A0", "\u3000", "@",
      "_", "中", "ไทย", "😀", "\u200D", "\u200C", "\u00AD", "«", "»", "%", "$", "#", "\u0301", "Mr", "U.S.", "3.5",
      "a.b", "e.g.", "\u2029", "\r",
  };
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

}  // namespace
}  // namespace neardup::detail
