#include "text/segment.hpp"

#include <gtest/gtest.h>

#include "support/corpus.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace neardup::detail {
namespace {

std::vector<std::string> texts_of(std::string_view text, const std::vector<Span>& spans) {
  std::vector<std::string> out;
  for (const auto& s : spans) out.emplace_back(text.substr(s.begin, s.end - s.begin));
  return out;
}

using Strings = std::vector<std::string>;

TEST(TextSegment, HindiWords) {
  const std::string text = "रूस का रक्षा मंत्रालय, यूक्रेन में! USA 2023।";
  EXPECT_EQ(texts_of(text, words(text)),
            (Strings{"रूस", "का", "रक्षा", "मंत्रालय", "यूक्रेन", "में", "USA", "2023"}));
}

TEST(TextSegment, ThaiChineseJapaneseByDictionary) {
  const std::string thai = "สวัสดีครับ";
  const auto thai_words = texts_of(thai, words(thai));
  EXPECT_EQ(thai_words, (Strings{"สวัสดี", "ครับ"}));
  const std::string chinese = "中国政府宣布了新的计划。";
  const auto chinese_words = texts_of(chinese, words(chinese));
  EXPECT_GE(chinese_words.size(), 4u);
  EXPECT_EQ(chinese_words.front(), "中国");
  const std::string japanese = "東京都は新しい計画を発表した";
  const auto japanese_words = texts_of(japanese, words(japanese));
  EXPECT_GE(japanese_words.size(), 4u);
  EXPECT_EQ(japanese_words.front(), "東京");
}

TEST(TextSegment, OffsetsAreUtf8Bytes) {
  const std::string text = "ab \u0915\u093F 𝄞x é";  // a four-byte character between words
  const auto spans = words(text);
  ASSERT_EQ(spans.size(), 4u);
  EXPECT_EQ(spans[0].begin, 0u);
  EXPECT_EQ(spans[0].end, 2u);
  EXPECT_EQ(spans[1].begin, 3u);
  EXPECT_EQ(spans[1].end, 9u);
  EXPECT_EQ(text.substr(spans[2].begin, spans[2].end - spans[2].begin), "x");
  EXPECT_EQ(spans[3].end, text.size());
  EXPECT_TRUE(words("").empty());
  EXPECT_TRUE(words("  ,.; ").empty());
}

TEST(TextSegment, SentencesOfSeed) {
  const std::string seed = testing::read_file(NEARDUP_FIXTURES_DIR "/seeds/000_f88dc246bdc33cdf.txt");
  const auto spans = sentences(seed);
  ASSERT_GT(spans.size(), 5u);
  std::uint32_t previous_end = 0;
  for (const auto& s : spans) {
    ASSERT_LT(s.begin, s.end);
    ASSERT_LE(previous_end, s.begin);
    ASSERT_LE(s.end, seed.size());
    previous_end = s.end;
    const std::string sentence = seed.substr(s.begin, s.end - s.begin);
    // Never a newline inside, never white space at the end.
    EXPECT_EQ(sentence.find('\n'), std::string::npos) << sentence;
    EXPECT_NE(sentence.back(), ' ');
  }
  EXPECT_EQ(seed.substr(spans[0].begin, spans[0].end - spans[0].begin), "Breaking News");
}

TEST(TextSegment, SentenceBreaksAtDandaUrduStopAndNewline) {
  const std::string hindi = "यह पहला वाक्य है। यह दूसरा है॥तीसरा बिना जगह के।चौथा";
  EXPECT_EQ(texts_of(hindi, sentences(hindi)),
            (Strings{"यह पहला वाक्य है।", "यह दूसरा है॥", "तीसरा बिना जगह के।", "चौथा"}));
  const std::string urdu = "یہ پہلا جملہ ہے۔ یہ دوسرا ہے۔تیسرا";
  EXPECT_EQ(texts_of(urdu, sentences(urdu)), (Strings{"یہ پہلا جملہ ہے۔", "یہ دوسرا ہے۔", "تیسرا"}));
  const std::string lines = "Title without stop\n\n  \nFirst sentence. Second one?  \r\nlast";
  EXPECT_EQ(texts_of(lines, sentences(lines)),
            (Strings{"Title without stop", "First sentence.", "Second one?", "last"}));
  EXPECT_TRUE(sentences("").empty());
  EXPECT_TRUE(sentences(" \n\n\t ").empty());
}

TEST(TextSegment, ThreadsGetTheirOwnIterators) {
  const std::string text = "रूस का रक्षा मंत्रालय। สวัสดีครับ USA.";
  const auto expected_words = words(text);
  const auto expected_sentences = sentences(text);
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (std::size_t t = 0; t < ok.size(); ++t) {
    threads.emplace_back([&, t] {
      bool same = true;
      for (int i = 0; i < 200; ++i) {
        const auto w = words(text);
        const auto s = sentences(text);
        same &= w.size() == expected_words.size() && s.size() == expected_sentences.size();
      }
      ok[t] = same ? 1 : 0;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(std::count(ok.begin(), ok.end(), 1), 4);
}

}  // namespace
}  // namespace neardup::detail
