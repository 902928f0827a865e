#include "text/script.hpp"

#include <algorithm>
#include <iterator>

#include <unicode/uchar.h>

namespace neardup::detail {

namespace {

struct BlockRange {
  char32_t first;
  char32_t last;
  Script script;
};

// Blocks outside U+0900..U+0DFF (which script_of computes directly), sorted by first code point.
// Blocks of marks that every script shares (combining diacriticals and the like) are absent on
// purpose: such a mark says nothing about the script of the text.
constexpr BlockRange block_ranges[] = {
    {0x00AA, 0x00AA, Script::latin},      // feminine ordinal
    {0x00BA, 0x00BA, Script::latin},      // masculine ordinal
    {0x00C0, 0x024F, Script::latin},      // Latin-1 letters, Latin Extended-A and -B
    {0x0250, 0x02B8, Script::latin},      // IPA extensions, Latin modifier letters
    {0x02E0, 0x02E4, Script::latin},      // Latin modifier letters
    {0x0370, 0x03E1, Script::greek},
    {0x03E2, 0x03EF, Script::other},      // Coptic letters in the Greek block
    {0x03F0, 0x03FF, Script::greek},
    {0x0400, 0x052F, Script::cyrillic},   // Cyrillic and Cyrillic Supplement
    {0x0530, 0x05FF, Script::other},      // Armenian, Hebrew
    {0x0600, 0x06FF, Script::arabic},
    {0x0700, 0x074F, Script::other},      // Syriac
    {0x0750, 0x077F, Script::arabic},     // Arabic Supplement
    {0x0780, 0x086F, Script::other},      // Thaana, NKo, Samaritan, Mandaic, Syriac Supplement
    {0x0870, 0x08FF, Script::arabic},     // Arabic Extended-B and -A
    {0x0E00, 0x0E7F, Script::thai},
    {0x0E80, 0x10FF, Script::other},      // Lao, Tibetan, Myanmar, Georgian
    {0x1100, 0x11FF, Script::hangul},     // Hangul Jamo
    {0x1200, 0x1C7F, Script::other},      // Ethiopic ... Ol Chiki
    {0x1C80, 0x1C8F, Script::cyrillic},   // Cyrillic Extended-C
    {0x1C90, 0x1CBF, Script::other},      // Georgian Extended
    {0x1CD0, 0x1CFF, Script::devanagari}, // Vedic Extensions
    // Phonetic extensions: Latin, with a few Greek and Cyrillic letters among them.
    {0x1D00, 0x1D25, Script::latin},
    {0x1D26, 0x1D2A, Script::greek},
    {0x1D2B, 0x1D2B, Script::cyrillic},
    {0x1D2C, 0x1D5C, Script::latin},
    {0x1D5D, 0x1D61, Script::greek},
    {0x1D62, 0x1D65, Script::latin},
    {0x1D66, 0x1D6A, Script::greek},
    {0x1D6B, 0x1D77, Script::latin},
    {0x1D78, 0x1D78, Script::cyrillic},
    {0x1D79, 0x1DBE, Script::latin},
    {0x1DBF, 0x1DBF, Script::greek},
    {0x1E00, 0x1EFF, Script::latin},      // Latin Extended Additional
    {0x1F00, 0x1FFF, Script::greek},      // Greek Extended
    {0x2071, 0x2071, Script::latin},      // superscript i
    {0x207F, 0x207F, Script::latin},      // superscript n
    {0x2090, 0x209C, Script::latin},      // subscript letters
    {0x2126, 0x2126, Script::greek},      // ohm sign
    {0x212A, 0x212B, Script::latin},      // kelvin and angstrom signs
    {0x2132, 0x2132, Script::latin},
    {0x214E, 0x214E, Script::latin},
    {0x2183, 0x2184, Script::latin},
    {0x2C60, 0x2C7F, Script::latin},      // Latin Extended-C
    {0x2C80, 0x2DDF, Script::other},      // Coptic, Georgian Supplement, Tifinagh, Ethiopic Ext.
    {0x2DE0, 0x2DFF, Script::cyrillic},   // Cyrillic Extended-A
    {0x2E80, 0x2FDF, Script::han},        // CJK and Kangxi radicals
    {0x3005, 0x3007, Script::han},        // iteration mark, ideographic zero
    {0x3021, 0x3029, Script::han},        // Hangzhou numerals
    {0x302E, 0x302F, Script::hangul},     // Hangul tone marks
    {0x3031, 0x3035, Script::kana},       // vertical kana repeat marks
    {0x3038, 0x303B, Script::han},
    {0x3041, 0x30FF, Script::kana},       // Hiragana, Katakana
    {0x3100, 0x312F, Script::other},      // Bopomofo
    {0x3130, 0x318F, Script::hangul},     // Hangul Compatibility Jamo
    {0x31A0, 0x31BF, Script::other},      // Bopomofo Extended
    {0x31F0, 0x31FF, Script::kana},       // Katakana Phonetic Extensions
    {0x3400, 0x4DBF, Script::han},        // CJK Extension A
    {0x4E00, 0x9FFF, Script::han},        // CJK Unified Ideographs
    {0xA000, 0xA63F, Script::other},      // Yi, Lisu, Vai
    {0xA640, 0xA69F, Script::cyrillic},   // Cyrillic Extended-B
    {0xA6A0, 0xA71F, Script::other},      // Bamum, modifier tone letters
    {0xA720, 0xA7FF, Script::latin},      // Latin Extended-D
    {0xA800, 0xA8DF, Script::other},
    {0xA8E0, 0xA8FF, Script::devanagari}, // Devanagari Extended
    {0xA900, 0xA95F, Script::other},
    {0xA960, 0xA97F, Script::hangul},     // Hangul Jamo Extended-A
    {0xA980, 0xAB2F, Script::other},
    {0xAB30, 0xAB64, Script::latin},      // Latin Extended-E
    {0xAB65, 0xAB65, Script::greek},
    {0xAB66, 0xAB6F, Script::latin},
    {0xAB70, 0xABFF, Script::other},
    {0xAC00, 0xD7FF, Script::hangul},     // syllables, Jamo Extended-B
    {0xF900, 0xFAFF, Script::han},        // CJK Compatibility Ideographs
    {0xFB00, 0xFB06, Script::latin},      // Latin ligatures
    {0xFB13, 0xFB4F, Script::other},      // Armenian ligatures, Hebrew presentation forms
    {0xFB50, 0xFDFF, Script::arabic},     // Arabic Presentation Forms-A
    {0xFE2E, 0xFE2F, Script::cyrillic},   // combining Cyrillic titlo
    {0xFE70, 0xFEFF, Script::arabic},     // Arabic Presentation Forms-B
    {0xFF21, 0xFF3A, Script::latin},      // fullwidth A-Z
    {0xFF41, 0xFF5A, Script::latin},      // fullwidth a-z
    {0xFF66, 0xFF9F, Script::kana},       // halfwidth katakana
    {0xFFA0, 0xFFDF, Script::hangul},     // halfwidth Hangul
    {0x10000, 0x1077F, Script::other},    // historic scripts of plane 1
    {0x10780, 0x107BF, Script::latin},    // Latin Extended-F
    {0x107C0, 0x10EBF, Script::other},
    {0x10EC0, 0x10EFF, Script::arabic},   // Arabic Extended-C
    {0x10F00, 0x16FE2, Script::other},
    {0x16FE3, 0x16FE3, Script::han},      // old Chinese iteration mark
    {0x16FE4, 0x16FEF, Script::other},
    {0x16FF0, 0x16FF1, Script::han},      // Vietnamese alternate reading marks
    {0x16FF2, 0x1AFEF, Script::other},
    {0x1AFF0, 0x1B16F, Script::kana},     // Kana Extended-B, Supplement, Extended-A
    {0x1B170, 0x1D241, Script::other},
    {0x1D242, 0x1D244, Script::greek},    // combining Greek musical marks
    {0x1D245, 0x1DEFF, Script::other},
    {0x1DF00, 0x1DFFF, Script::latin},    // Latin Extended-G
    {0x1E000, 0x1E02F, Script::other},    // Glagolitic Supplement
    {0x1E030, 0x1E08F, Script::cyrillic}, // Cyrillic Extended-D
    {0x1E090, 0x1EDFF, Script::other},
    {0x1EE00, 0x1EEFF, Script::arabic},   // Arabic mathematical letters
    {0x1EF00, 0x1FFFF, Script::other},
    {0x20000, 0x3FFFF, Script::han},      // CJK Extensions B-H and compatibility supplement
};

constexpr Script aligned_scripts[] = {
    Script::devanagari, Script::bengali, Script::gurmukhi, Script::gujarati, Script::oriya,
    Script::tamil, Script::telugu, Script::kannada, Script::malayalam, Script::sinhala};

// The general category comes from ICU (one trie lookup): which code points of a block are
// letters rather than digits, signs or holes changes with every Unicode version.
bool is_letter_or_mark(char32_t code_point) {
  return (U_GET_GC_MASK(static_cast<UChar32>(code_point)) & (U_GC_L_MASK | U_GC_M_MASK)) != 0;
}

Script block_script(char32_t code_point) {
  if (code_point >= 0x0900 && code_point <= 0x0DFF) {
    return aligned_scripts[(code_point - 0x0900) >> 7];
  }
  const auto* end = std::end(block_ranges);
  const auto* it = std::upper_bound(std::begin(block_ranges), end, code_point,
                                    [](char32_t cp, const BlockRange& r) { return cp < r.first; });
  if (it == std::begin(block_ranges)) return Script::other;
  --it;
  return code_point <= it->last ? it->script : Script::other;
}

}  // namespace

std::string_view script_code(Script script) {
  switch (script) {
    case Script::latin: return "Latn";
    case Script::devanagari: return "Deva";
    case Script::bengali: return "Beng";
    case Script::gurmukhi: return "Guru";
    case Script::gujarati: return "Gujr";
    case Script::oriya: return "Orya";
    case Script::tamil: return "Taml";
    case Script::telugu: return "Telu";
    case Script::kannada: return "Knda";
    case Script::malayalam: return "Mlym";
    case Script::sinhala: return "Sinh";
    case Script::arabic: return "Arab";
    case Script::cyrillic: return "Cyrl";
    case Script::greek: return "Grek";
    case Script::han: return "Hani";
    case Script::kana: return "Kana";
    case Script::hangul: return "Hang";
    case Script::thai: return "Thai";
    case Script::unknown:
    case Script::other:
    case Script::count_: break;
  }
  return "Zyyy";
}

bool is_brahmic_aligned(Script script) {
  switch (script) {
    case Script::bengali:
    case Script::gurmukhi:
    case Script::gujarati:
    case Script::oriya:
    case Script::tamil:
    case Script::telugu:
    case Script::kannada:
    case Script::malayalam: return true;
    default: return false;
  }
}

Script script_of(char32_t code_point) {
  if (code_point < 0x80) {
    const char32_t lower = code_point | 0x20;
    return lower >= 'a' && lower <= 'z' ? Script::latin : Script::unknown;
  }
  if (!is_letter_or_mark(code_point)) return Script::unknown;
  // The combining-mark blocks that every script shares.
  if ((code_point >= 0x0300 && code_point <= 0x036F) || (code_point >= 0x1AB0 && code_point <= 0x1AFF) ||
      (code_point >= 0x1DC0 && code_point <= 0x1DFF) || (code_point >= 0x20D0 && code_point <= 0x20FF) ||
      (code_point >= 0xFE20 && code_point <= 0xFE2D)) {
    return Script::unknown;
  }
  return block_script(code_point);
}

ScriptProfile profile_scripts(std::string_view utf8) {
  // script_of for the Basic Multilingual Plane, built once, so that its general-category call
  // and block search are not paid again for every letter of every document.
  static const auto bmp = [] {
    std::array<Script, 0x10000> table{};
    for (char32_t c = 0; c < table.size(); ++c) table[c] = script_of(c);
    return table;
  }();
  ScriptProfile profile;
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  const auto* end = p + utf8.size();
  while (p < end) {
    if (*p < 0x80) {
      // ASCII dominates many inputs; count its letters without the general decoder.
      const unsigned lower = *p | 0x20u;
      if (lower >= 'a' && lower <= 'z') ++profile.letters[static_cast<std::size_t>(Script::latin)];
      ++p;
      continue;
    }
    char32_t code_point = 0;
    if (!decode_utf8(p, end, code_point)) continue;  // decode_utf8 skipped the bad byte
    ++profile.letters[static_cast<std::size_t>(code_point < bmp.size() ? bmp[code_point] : script_of(code_point))];
  }
  profile.letters[static_cast<std::size_t>(Script::unknown)] = 0;
  std::uint32_t best = 0;
  for (std::size_t i = 0; i < script_count; ++i) {
    profile.total_letters += profile.letters[i];
    if (profile.letters[i] > best) {
      best = profile.letters[i];
      profile.dominant = static_cast<Script>(i);
    }
  }
  if (profile.total_letters > 0) {
    profile.dominant_share = static_cast<double>(best) / profile.total_letters;
  }
  return profile;
}

}  // namespace neardup::detail
