// Which writing system a text is in, counted over its letters.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace neardup::detail {

enum class Script : std::uint8_t {
  unknown, latin, devanagari, bengali, gurmukhi, gujarati, oriya, tamil, telugu, kannada,
  malayalam, sinhala, arabic, cyrillic, greek, han, kana, hangul, thai, other,
  count_  // number of scripts; not a script
};

constexpr std::size_t script_count = static_cast<std::size_t>(Script::count_);

// ISO 15924 code: "Latn", "Deva", "Beng", "Guru", "Gujr", "Orya", "Taml", "Telu", "Knda",
// "Mlym", "Sinh", "Arab", "Cyrl", "Grek", "Hani", "Kana", "Hang", "Thai", "Zyyy" (other/unknown).
std::string_view script_code(Script script);

// True for the scripts whose Unicode blocks share Devanagari's layout (offset 0x80 apart).
bool is_brahmic_aligned(Script script);

// Script of one code point (letters and combining marks; Script::unknown for the rest:
// digits, punctuation, spaces, symbols).
Script script_of(char32_t code_point);

struct ScriptProfile {
  std::array<std::uint32_t, script_count> letters{};  // letters and marks counted per script
  Script dominant = Script::unknown;                  // most letters; unknown when no letters
  double dominant_share = 0.0;                        // dominant letters / all letters
  std::uint32_t total_letters = 0;
};

// Counts the letters of a UTF-8 text per script. Invalid UTF-8 sequences are skipped.
ScriptProfile profile_scripts(std::string_view utf8);

// Decodes the UTF-8 sequence at p and advances p past it. On an invalid or truncated sequence
// (overlong forms and surrogates included) it returns false and advances p by one byte, so that
// a caller skipping bad bytes resynchronises on the next lead byte. Requires p < end.
inline bool decode_utf8(const unsigned char*& p, const unsigned char* end, char32_t& code_point) {
  const unsigned lead = *p;
  if (lead < 0x80) {
    code_point = lead;
    ++p;
    return true;
  }
  // Three bytes hold every Indic script: decoded without the general loop, with its checks
  // (continuation bytes, overlong forms, surrogates) and its result.
  if ((lead & 0xF0) == 0xE0 && end - p >= 3 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
    const char32_t c = (static_cast<char32_t>(lead & 0x0F) << 12) | (static_cast<char32_t>(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    if (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF)) {
      ++p;
      return false;
    }
    code_point = c;
    p += 3;
    return true;
  }
  int length = 0;
  char32_t min = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, min = 0x80, code_point = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, min = 0x800, code_point = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, min = 0x10000, code_point = lead & 0x07;
  } else {
    ++p;
    return false;
  }
  if (end - p < length) {
    ++p;
    return false;
  }
  for (int i = 1; i < length; ++i) {
    const unsigned next = p[i];
    if ((next & 0xC0) != 0x80) {
      ++p;
      return false;
    }
    code_point = (code_point << 6) | (next & 0x3F);
  }
  if (code_point < min || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    ++p;
    return false;
  }
  p += length;
  return true;
}

}  // namespace neardup::detail
