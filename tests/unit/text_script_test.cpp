#include "text/script.hpp"

#include <gtest/gtest.h>

#include "support/corpus.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unicode/uchar.h>
#include <unicode/uscript.h>

namespace neardup::detail {
namespace {

std::size_t at(Script s) { return static_cast<std::size_t>(s); }

// Our scripts in ICU's terms; the scripts we do not distinguish are "other".
Script from_icu(UScriptCode code) {
  switch (code) {
    case USCRIPT_LATIN: return Script::latin;
    case USCRIPT_DEVANAGARI: return Script::devanagari;
    case USCRIPT_BENGALI: return Script::bengali;
    case USCRIPT_GURMUKHI: return Script::gurmukhi;
    case USCRIPT_GUJARATI: return Script::gujarati;
    case USCRIPT_ORIYA: return Script::oriya;
    case USCRIPT_TAMIL: return Script::tamil;
    case USCRIPT_TELUGU: return Script::telugu;
    case USCRIPT_KANNADA: return Script::kannada;
    case USCRIPT_MALAYALAM: return Script::malayalam;
    case USCRIPT_SINHALA: return Script::sinhala;
    case USCRIPT_ARABIC: return Script::arabic;
    case USCRIPT_CYRILLIC: return Script::cyrillic;
    case USCRIPT_GREEK: return Script::greek;
    case USCRIPT_HAN: return Script::han;
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA: return Script::kana;
    case USCRIPT_HANGUL: return Script::hangul;
    case USCRIPT_THAI: return Script::thai;
    default: return Script::other;
  }
}

TEST(TextScript, AgreesWithIcuOnEveryLetter) {
  // Every letter or mark ICU assigns to a specific script must land in the same script here.
  // Common and Inherited characters (shared marks, the tatweel) have no single answer.
  std::uint32_t checked = 0;
  std::vector<std::string> mismatches;
  for (UChar32 c = 0; c <= 0x3FFFF; ++c) {
    if ((U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_M_MASK)) == 0) continue;
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode icu = uscript_getScript(c, &status);
    ASSERT_TRUE(U_SUCCESS(status));
    if (icu == USCRIPT_COMMON || icu == USCRIPT_INHERITED || icu == USCRIPT_UNKNOWN) continue;
    ++checked;
    if (script_of(static_cast<char32_t>(c)) != from_icu(icu)) {
      char buffer[64];
      std::snprintf(buffer, sizeof buffer, "U+%04X icu=%s ours=%s", c, uscript_getShortName(icu),
                    std::string(script_code(script_of(static_cast<char32_t>(c)))).c_str());
      mismatches.push_back(buffer);
    }
  }
  EXPECT_GT(checked, 100000u);
  std::string all; for (const auto& m : mismatches) all += m + "\n";
  EXPECT_TRUE(mismatches.empty()) << mismatches.size() << " mismatches:\n" << all;
}

TEST(TextScript, NonLettersAreUnknown) {
  for (char32_t c : {U'0', U' ', U'.', U'\u0964', U'\u0966', U'\u0AE8', U'\u06F2', U'\u200D', U'\u060C', U'€'}) {
    EXPECT_EQ(script_of(c), Script::unknown) << static_cast<std::uint32_t>(c);
  }
  EXPECT_EQ(script_of(U'\u093C'), Script::devanagari);  // nukta: a mark of the script
  EXPECT_EQ(script_of(U'\u0301'), Script::unknown);     // shared combining accent
}

TEST(TextScript, CodesAndAlignment) {
  EXPECT_EQ(script_code(Script::devanagari), "Deva");
  EXPECT_EQ(script_code(Script::gujarati), "Gujr");
  EXPECT_EQ(script_code(Script::unknown), "Zyyy");
  EXPECT_EQ(script_code(Script::other), "Zyyy");
  EXPECT_TRUE(is_brahmic_aligned(Script::malayalam));
  EXPECT_FALSE(is_brahmic_aligned(Script::sinhala));
  EXPECT_FALSE(is_brahmic_aligned(Script::devanagari));
}

TEST(TextScript, SeedProfiles) {
  const auto seeds = testing::seed_texts();
  ASSERT_EQ(seeds.size(), 5u);
  for (int i = 0; i < 4; ++i) {
    const ScriptProfile p = profile_scripts(seeds[i]);
    EXPECT_EQ(p.dominant, Script::devanagari) << "seed " << i;
    EXPECT_GT(p.dominant_share, 0.8) << "seed " << i;
  }
  const ScriptProfile gujarati = profile_scripts(seeds[4]);
  EXPECT_EQ(gujarati.dominant, Script::gujarati);
  // "spot_img HomeLatestInternational" and other English: a Latin minority, reported as such.
  EXPECT_GT(gujarati.letters[at(Script::latin)], 20u);
  EXPECT_LT(gujarati.dominant_share, 1.0);
  EXPECT_GT(gujarati.dominant_share, 0.8);
  EXPECT_EQ(gujarati.total_letters, gujarati.letters[at(Script::gujarati)] + gujarati.letters[at(Script::latin)] +
                                        gujarati.letters[at(Script::devanagari)] + gujarati.letters[at(Script::other)]);
}

TEST(TextScript, MixturesAndEdgeCases) {
  const ScriptProfile mixed = profile_scripts("abc हिन्दी ਪੰਜਾਬ Путин 國 カタ 한 ไทย اردو");
  EXPECT_EQ(mixed.letters[at(Script::latin)], 3u);
  EXPECT_EQ(mixed.letters[at(Script::devanagari)], 6u);
  EXPECT_EQ(mixed.letters[at(Script::gurmukhi)], 5u);
  EXPECT_EQ(mixed.letters[at(Script::cyrillic)], 5u);
  EXPECT_EQ(mixed.letters[at(Script::han)], 1u);
  EXPECT_EQ(mixed.letters[at(Script::kana)], 2u);
  EXPECT_EQ(mixed.letters[at(Script::hangul)], 1u);
  EXPECT_EQ(mixed.letters[at(Script::thai)], 3u);
  EXPECT_EQ(mixed.letters[at(Script::arabic)], 4u);
  EXPECT_EQ(mixed.dominant, Script::devanagari);

  const ScriptProfile empty = profile_scripts("123 !?");
  EXPECT_EQ(empty.dominant, Script::unknown);
  EXPECT_EQ(empty.total_letters, 0u);
  EXPECT_EQ(empty.dominant_share, 0.0);

  // Invalid bytes are skipped, and the letters around them still count.
  const ScriptProfile broken = profile_scripts("ab\xFF\xC0\x80\xE0\xA4" "cd\xF0\x9F");
  EXPECT_EQ(broken.letters[at(Script::latin)], 4u);
  EXPECT_EQ(broken.total_letters, 4u);
}

}  // namespace
}  // namespace neardup::detail
