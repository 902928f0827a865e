#include "text/normalise.hpp"

#include <gtest/gtest.h>

#include "support/corpus.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

namespace neardup::detail {
namespace {

std::string nfd(const std::string& utf8) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFDInstance(status);
  icu::UnicodeString out = n->normalize(icu::UnicodeString::fromUTF8(utf8), status);
  std::string result;
  out.toUTF8String(result);
  return result;
}

TEST(TextNormalise, SeedsInNfdNormaliseLikeTheSeeds) {
  const auto seeds = testing::seed_texts();
  ASSERT_EQ(seeds.size(), 5u);
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    EXPECT_TRUE(normalise(nfd(seeds[i])) == normalise(seeds[i])) << "seed " << i;
  }
}

TEST(TextNormalise, SeedsWithPrecomposedNuktaNormaliseLikeTheSeeds) {
  // The seeds write nukta letters decomposed (ड + ़); the same text with the precomposed code
  // points (ड़ U+095C ...) must normalise to the same bytes.
  const std::pair<std::string, std::string> precomposed[] = {
      {"\u0921\u093C", "\u095C"}, {"\u0922\u093C", "\u095D"}, {"\u0915\u093C", "\u0958"},
      {"\u0916\u093C", "\u0959"}, {"\u0917\u093C", "\u095A"}, {"\u091C\u093C", "\u095B"},
      {"\u092B\u093C", "\u095E"}, {"\u092F\u093C", "\u095F"}};
  std::size_t replaced = 0;
  for (const auto& seed : testing::seed_texts()) {
    std::string variant = seed;
    for (const auto& [from, to] : precomposed) {
      for (std::size_t at = variant.find(from); at != std::string::npos; at = variant.find(from, at)) {
        variant.replace(at, from.size(), to);
        ++replaced;
      }
    }
    EXPECT_TRUE(normalise(variant) == normalise(seed));
  }
  EXPECT_GT(replaced, 0u);
}

TEST(TextNormalise, IsIdempotentOnSeeds) {
  for (const auto& seed : testing::seed_texts()) {
    const std::string once = normalise(seed);
    EXPECT_EQ(normalise(once), once);
    EXPECT_EQ(once.find('\n'), std::string::npos);
    EXPECT_EQ(once.find("  "), std::string::npos);
  }
}

TEST(TextNormalise, NuktaFormsAreByteIdentical) {
  EXPECT_EQ(normalise("\u0958"), normalise("\u0915\u093C"));           // क़
  EXPECT_EQ(normalise("\u095B\u093E\u0930"), normalise("\u091C\u093C\u093E\u0930"));  // ज़ार
  EXPECT_EQ(normalise("\u09DF"), normalise("\u09AF\u09BC"));           // Bengali য়
  EXPECT_EQ(normalise("\u0A5B"), normalise("\u0A1C\u0A3C"));           // Gurmukhi ਜ਼
  EXPECT_EQ(normalise("\u09CB"), normalise("\u09C7\u09BE"));           // Bengali ো
}

TEST(TextNormalise, DigitsOfEveryScriptBecomeAscii) {
  EXPECT_EQ(normalise("૨૦૨૩"), "2023");        // Gujarati
  EXPECT_EQ(normalise("२०२४"), "2024");        // Devanagari
  EXPECT_EQ(normalise("১৯৭১"), "1971");        // Bengali
  EXPECT_EQ(normalise("੧੯੪੭"), "1947");        // Gurmukhi
  EXPECT_EQ(normalise("٢٠٢٣"), "2023");        // Arabic-Indic
  EXPECT_EQ(normalise("۲۰۲۳"), "2023");        // Extended Arabic-Indic (Urdu, Persian)
  EXPECT_EQ(normalise("௨௦௨௩"), "2023");        // Tamil
  EXPECT_EQ(normalise("౨౦౨౩"), "2023");        // Telugu
  EXPECT_EQ(normalise("೨೦೨೩"), "2023");        // Kannada
  EXPECT_EQ(normalise("൨൦൨൩"), "2023");        // Malayalam
  EXPECT_EQ(normalise("୨୦୨୩"), "2023");        // Oriya
  EXPECT_EQ(normalise("２０２３"), "2023");    // fullwidth
  EXPECT_EQ(normalise("๒๐๒๓"), "2023");        // Thai
  EXPECT_EQ(normalise("वर्ष ૨૦૨૩ में"), "वर्ष 2023 में");
}

TEST(TextNormalise, RemovesJoinersAndSoftHyphens) {
  EXPECT_EQ(normalise("क्\u200Dष"), "क्ष");
  EXPECT_EQ(normalise("क्\u200Cष"), "क्ष");
  EXPECT_EQ(normalise("ഞാ\u0D28\u0D4D\u200D"), "ഞാ\u0D28\u0D4D");  // old-style chillu
  EXPECT_EQ(normalise("inter\u00ADnational"), "international");
}

TEST(TextNormalise, FoldsCaseAndCompatibilityForms) {
  EXPECT_EQ(normalise("HomeLatestInternational"), "homelatestinternational");
  EXPECT_EQ(normalise("Straße"), "strasse");
  EXPECT_EQ(normalise("ＡＢＣ"), "abc");
  EXPECT_EQ(normalise("ﬁle"), "file");
  EXPECT_EQ(normalise("ΑΘΗΝΑ"), "αθηνα");
  EXPECT_EQ(normalise("ПУТИН"), "путин");
}

TEST(TextNormalise, CollapsesAndTrimsWhiteSpace) {
  EXPECT_EQ(normalise("  a\t\n b\u00A0c\u3000d\u2028e\r\n  "), "a b c d e");
  EXPECT_EQ(normalise(" \n\t "), "");
  EXPECT_EQ(normalise(""), "");
  EXPECT_EQ(normalise("  एक   दो\n\nतीन "), "एक दो तीन");
}

TEST(TextNormalise, AsciiShortcutAgreesWithIcu) {
  // A trailing non-ASCII character sends the same text through ICU.
  std::string ascii;
  for (int c = 1; c < 0x80; ++c) ascii.push_back(static_cast<char>(c));
  ascii += "  Hello,\tWORLD!\r\n  The Quick Brown Fox  ";
  EXPECT_EQ(normalise(ascii + " é"), normalise(ascii) + " é");
}

TEST(TextNormalise, SeedSample) {
  const auto seeds = testing::seed_texts();
  const std::string gujarati = normalise(seeds[4]);
  EXPECT_EQ(gujarati.rfind("spot_img homelatestinternational", 0), 0u);
}

}  // namespace
}  // namespace neardup::detail
