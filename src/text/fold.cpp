#include "text/fold.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/uniset.h>
#include <unicode/unistr.h>

#include "neardup/error.hpp"
#include "text/normalise.hpp"
#include "text/script.hpp"
#include "text/transliterate.hpp"
#include "text/utf8_encode.hpp"

namespace neardup::detail {
namespace {

// ---------------------------------------------------------------------------------------------
// Cyrillic

constexpr char32_t serbian_first = 0x0430;  // а
constexpr char32_t serbian_last = 0x045F;   // џ

// Gaj's Latin for the lowercase Serbian Cyrillic letters, U+0430..U+045F, as ICU's
// "Serbian-Latin/BGN" writes them (the test checks every code point against it); empty: a letter
// Serbian does not use, left as it is (ICU leaves it too).
constexpr std::array<std::string_view, serbian_last - serbian_first + 1> serbian_latin = {
    "a", "b", "v", "g", "d", "e", "\u017E", "z", "i", "", "k", "l", "m", "n", "o", "p",  // а..п (й kept)
    "r", "s", "t", "u", "f", "h", "c", "\u010D", "\u0161", "", "", "", "", "", "", "",   // р..я (щ..я kept)
    "", "", "\u0111", "", "", "", "", "", "j", "lj", "nj", "\u0107", "", "", "", "d\u017E",  // ѐ..џ
};

// The same for the capitals, U+0400..U+042F; the digraphs in capitals (ICU's LJ before a capital
// or at the end of a word, Lj before a lowercase letter: see fold_cyrillic_as_written).
constexpr char32_t serbian_upper_first = 0x0400;
constexpr std::array<std::string_view, serbian_first - serbian_upper_first> serbian_latin_upper = {
    "", "", "\u0110", "", "", "", "", "", "J", "LJ", "NJ", "\u0106", "", "", "", "D\u017D",  // Ѐ..Џ
    "A", "B", "V", "G", "D", "E", "\u017D", "Z", "I", "", "K", "L", "M", "N", "O", "P",   // А..П (Й kept)
    "R", "S", "T", "U", "F", "H", "C", "\u010C", "\u0160", "", "", "", "", "", "", "",    // Р..Я (Щ..Я kept)
};

// Lowercase letters of each alphabet; a document is in an alphabet when its other Cyrillic
// letters are at most one in `tolerance_letters` (a quoted foreign name, a typing slip).
constexpr std::u32string_view serbian_alphabet = U"абвгдђежзијклљмнњопрстћуфхцчџшѐѝ";
constexpr std::u32string_view uzbek_alphabet = U"абвгдеёжзийклмнопрстуфхцчшъьэюяўқғҳ";
constexpr std::u32string_view uzbek_letters = U"ўқғҳ";  // of Uzbek, not of Russian
constexpr std::u32string_view azerbaijani_alphabet = U"абвгғдеәжзиыјкҝлмноөпрстуүфхһчҹш";
constexpr std::u32string_view azerbaijani_letters = U"ә";
constexpr std::uint32_t tolerance_letters = 500;
// Uzbek and Azerbaijani write their own letters often (each of ў қ ғ ҳ about one letter in a
// hundred, ә one in fifteen); a Russian text quoting a word has a few at most.
constexpr std::uint32_t own_letters_per = 100;

enum : std::uint8_t {
  cyrillic_letter = 1,
  in_serbian = 2,
  in_uzbek = 4,
  uzbek_own = 8,
  in_azerbaijani = 16,
  azerbaijani_own = 32,
};

// Flags of U+0400..U+04FF, upper and lower case alike.
const std::array<std::uint8_t, 256>& cyrillic_flags() {
  static const auto flags = [] {
    std::array<std::uint8_t, 256> f{};
    const auto mark = [&f](std::u32string_view letters, std::uint8_t flag) {
      for (char32_t c : letters) f[c - 0x0400] |= flag;
    };
    for (char32_t c = 0x0400; c <= 0x04FF; ++c)
      if (u_isalpha(static_cast<UChar32>(c))) f[c - 0x0400] |= cyrillic_letter;
    mark(serbian_alphabet, in_serbian);
    mark(uzbek_alphabet, in_uzbek);
    mark(uzbek_letters, uzbek_own);
    mark(azerbaijani_alphabet, in_azerbaijani);
    mark(azerbaijani_letters, azerbaijani_own);
    // Uppercase letters take their lowercase letter's flags.
    for (char32_t c = 0x0400; c <= 0x04FF; ++c) {
      const auto lower = static_cast<char32_t>(u_tolower(static_cast<UChar32>(c)));
      if (lower != c && lower >= 0x0400 && lower <= 0x04FF) f[c - 0x0400] |= f[lower - 0x0400];
    }
    return f;
  }();
  return flags;
}

// ---------------------------------------------------------------------------------------------
// Han

bool is_han(char32_t c) {
  return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0x20000 && c <= 0x3FFFF);
}

bool is_kana(char32_t c) { return (c >= 0x3041 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) || (c >= 0xFF66 && c <= 0xFF9F); }

std::u32string code_points(const icu::UnicodeString& text) {
  std::u32string out;
  for (int32_t i = 0; i < text.length();) {
    const UChar32 c = text.char32At(i);
    out.push_back(static_cast<char32_t>(c));
    i += U16_LENGTH(c);
  }
  return out;
}

std::unique_ptr<icu::Transliterator> create_transliterator(const char* id) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(icu::UnicodeString::fromUTF8(id), UTRANS_FORWARD, status));
  if (U_FAILURE(status) || !t) throw Error(ErrorCode::usage, std::string("ICU has no transliterator \"") + id + "\": " + u_errorName(status));
  return t;
}

// Characters joined by either direction of ICU's Traditional/Simplified mappings.
class Classes {
 public:
  char32_t find(char32_t c) {
    auto it = parent_.find(c);
    if (it == parent_.end()) return c;
    while (it->second != it->first) {
      auto up = parent_.find(it->second);
      it->second = up->second;  // path halving
      it = up;
    }
    return it->first;
  }
  void join(char32_t a, char32_t b) {
    parent_.try_emplace(a, a);
    parent_.try_emplace(b, b);
    a = find(a), b = find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }
  std::vector<char32_t> members() const {
    std::vector<char32_t> all;
    for (const auto& entry : parent_) all.push_back(entry.first);
    std::sort(all.begin(), all.end());
    return all;
  }

 private:
  std::unordered_map<char32_t, char32_t> parent_;
};

// Each Han character (and punctuation mark, 「 and “) that has a Traditional or Simplified
// variant, mapped to one member of its class of variants: the one that most members become under
// ICU's Traditional-Simplified (a Simplified character), the lowest code point among equals.
// ICU's mappings of single characters in both directions join the classes, so that a text
// converted either way folds to the same characters as the original, also where ICU's two
// directions are not each other's inverse (Simplified-Traditional writes 沉 as 沈, which
// Traditional-Simplified leaves as it is).
// ICU's phrase rules are left out: they join characters that are different words elsewhere
// (分/份, 相/像), and where they convert in context (什么 → 甚麼) the two texts differ by a
// character or two, which near-duplicates absorb.
class HanFold {
 public:
  HanFold() {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
    if (U_FAILURE(status)) throw Error(ErrorCode::io, std::string("ICU NFKC data unavailable: ") + u_errorName(status));
    // A character NFKC changes (a compatibility ideograph) never occurs in normalised text.
    const auto usable = [&](char32_t c) {
      UErrorCode s = U_ZERO_ERROR;
      return (is_han(c) || u_ispunct(static_cast<UChar32>(c))) && c >= 0x2000 &&
             nfkc->isNormalized(icu::UnicodeString(static_cast<UChar32>(c)), s) && U_SUCCESS(s);
    };
    Classes classes;
    std::unordered_map<char32_t, char32_t> simplified;  // Traditional-Simplified, one character
    for (const bool to_simplified : {true, false}) {
      const auto t = create_transliterator(to_simplified ? "Traditional-Simplified" : "Simplified-Traditional");
      icu::UnicodeSet sources;
      t->getSourceSet(sources);
      for (int32_t r = 0; r < sources.getRangeCount(); ++r)
        for (UChar32 c = sources.getRangeStart(r); c <= sources.getRangeEnd(r); ++c) {
          icu::UnicodeString one(c);
          t->transliterate(one);
          const std::u32string to = code_points(one);
          const auto from = static_cast<char32_t>(c);
          if (to.size() != 1 || to[0] == from || !usable(from) || !usable(to[0])) continue;
          classes.join(from, to[0]);
          if (to_simplified) simplified[from] = to[0];
        }
    }
    // Votes for each class's representative.
    std::unordered_map<char32_t, std::unordered_map<char32_t, std::uint32_t>> votes;
    const std::vector<char32_t> members = classes.members();
    for (char32_t c : members) {
      const auto it = simplified.find(c);
      ++votes[classes.find(c)][it == simplified.end() ? c : it->second];
    }
    std::unordered_map<char32_t, char32_t> representative;
    for (const auto& [root, tally] : votes) {
      char32_t best = 0;
      std::uint32_t most = 0;
      for (const auto& [candidate, count] : tally)
        if (count > most || (count == most && candidate < best)) best = candidate, most = count;
      representative[root] = best;
    }
    bmp_.assign(bmp_end - bmp_first, 0);
    for (char32_t c : members) {
      const char32_t to = representative[classes.find(c)];
      if (to == c) continue;
      if (c >= bmp_first && c < bmp_end)
        bmp_[c - bmp_first] = to;
      else
        other_.emplace_back(c, to);
    }
    std::sort(other_.begin(), other_.end());
  }

  char32_t operator()(char32_t c) const {
    if (c >= bmp_first && c < bmp_end) {
      const char32_t to = bmp_[c - bmp_first];
      return to == 0 ? c : to;
    }
    const auto it = std::lower_bound(other_.begin(), other_.end(), std::pair<char32_t, char32_t>(c, 0));
    return it != other_.end() && it->first == c ? it->second : c;
  }

 private:
  static constexpr char32_t bmp_first = 0x3400;
  static constexpr char32_t bmp_end = 0xA000;
  std::vector<char32_t> bmp_;                          // 0: unchanged
  std::vector<std::pair<char32_t, char32_t>> other_;  // sorted
};

// Built on first use (about 10 ms), shared by every thread: it is never changed after.
const HanFold& han_fold() {
  static const HanFold fold;
  return fold;
}

bool is_combining_mark_at(const unsigned char* p, const unsigned char* end) {
  // U+0300..U+036F: CC 80..CD AF.
  return end - p >= 2 && ((p[0] == 0xCC && p[1] >= 0x80) || (p[0] == 0xCD && p[1] <= 0xAF));
}

bool has_cyrillic(std::string_view text) {
  // Every Cyrillic letter is a two-byte sequence with lead D0..D4.
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return b >= 0xD0 && b <= 0xD4;
  });
}

// Han characters only, in place or into out, as fold_scripts.
bool fold_han(std::string_view text, std::string& out) {
  const HanFold* han = nullptr;
  const auto* first = reinterpret_cast<const unsigned char*>(text.data());
  const auto* p = first;
  const auto* end = p + text.size();
  std::size_t copied = 0;
  bool changed = false;
  std::string folded;
  while (p < end) {
    if (*p < 0xE2) {  // ASCII, two-byte letters, U+0800..U+1FFF: nothing folded
      ++p;
      continue;
    }
    const auto* at = p;
    char32_t c = 0;
    if (!decode_utf8(p, end, c)) continue;
    if (han == nullptr) han = &han_fold();
    const char32_t to = (*han)(c);
    if (to == c) continue;
    if (!changed) folded.reserve(text.size());
    changed = true;
    folded.append(text.substr(copied, static_cast<std::size_t>(at - first) - copied));
    char bytes[4];
    folded.append(bytes, static_cast<std::size_t>(encode_utf8(to, bytes)));
    copied = static_cast<std::size_t>(p - first);
  }
  if (!changed) return false;
  folded.append(text.substr(copied));
  out = std::move(folded);
  return true;
}

}  // namespace

ScriptFold choose_fold(std::string_view utf8) {
  // Letters of U+0400..U+04FF counted by code point, and the classes added up after: the loop
  // runs over every Cyrillic text and does no more than count.
  std::array<std::uint32_t, 256> letters{};
  std::uint32_t supplement = 0, han = 0, kana = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  const auto* end = p + utf8.size();
  // Skips n bytes of a sequence that has nothing to count, never past the end.
  const auto skip = [&](std::ptrdiff_t n) { p += std::min(n, end - p); };
  while (p < end) {
    const unsigned char lead = *p;
    if (lead < 0x80) {
      // Eight ASCII bytes at a time: text in Latin letters is nearly all ASCII.
      std::uint64_t eight = 0x8080808080808080ULL;
      if (end - p >= 8) std::memcpy(&eight, p, 8);
      p += (eight & 0x8080808080808080ULL) == 0 ? 8 : 1;
      continue;
    }
    if (lead == 0xE0) {  // U+0800..U+0FFF: the Indic scripts, Thai
      skip(3);
      continue;
    }
    if (lead < 0xD0) {  // continuation bytes; Latin, Greek... (two bytes)
      skip(lead < 0xC0 ? 1 : 2);
      continue;
    }
    if (lead <= 0xD4) {
      if (end - p >= 2 && (p[1] & 0xC0) == 0x80) {
        if (lead == 0xD4)
          supplement += p[1] < 0xB0;  // U+0500..U+052F
        else
          ++letters[static_cast<std::size_t>(((lead & 0x03) << 6) | (p[1] & 0x3F))];
      }
      skip(2);
      continue;
    }
    if (lead < 0xE3) {  // Hebrew, Arabic... (two bytes); U+1000..U+2FFF (three)
      skip(lead < 0xE0 ? 2 : 3);
      continue;
    }
    if (lead > 0xF0) {  // planes 3 and beyond, and bytes that lead nothing
      ++p;
      continue;
    }
    char32_t c = 0;
    if (!decode_utf8(p, end, c)) continue;
    han += is_han(c);
    kana += is_kana(c);
  }
  const auto& flags = cyrillic_flags();
  std::uint32_t cyrillic = supplement, outside_serbian = supplement, outside_uzbek = supplement, uzbek_letter_count = 0,
                outside_azerbaijani = supplement, azerbaijani_letter_count = 0;
  for (std::size_t i = 0; i < letters.size(); ++i) {
    const std::uint32_t n = letters[i];
    const std::uint8_t f = flags[i];
    if (n == 0 || (f & cyrillic_letter) == 0) continue;
    cyrillic += n;
    if ((f & in_serbian) == 0) outside_serbian += n;
    if ((f & in_uzbek) == 0) outside_uzbek += n;
    if ((f & uzbek_own) != 0) uzbek_letter_count += n;
    if ((f & in_azerbaijani) == 0) outside_azerbaijani += n;
    if ((f & azerbaijani_own) != 0) azerbaijani_letter_count += n;
  }
  ScriptFold fold;
  if (cyrillic > 0) {
    const std::uint32_t tolerated = cyrillic / tolerance_letters;
    if (outside_serbian <= tolerated)
      fold.cyrillic = CyrillicFold::serbian;
    else if (outside_uzbek <= tolerated && uzbek_letter_count * own_letters_per >= cyrillic)
      fold.cyrillic = CyrillicFold::uzbek;
    else if (outside_azerbaijani <= tolerated && azerbaijani_letter_count * own_letters_per >= cyrillic)
      fold.cyrillic = CyrillicFold::azerbaijani;
  }
  // Japanese mixes kanji with kana, Chinese has none (the rule of detect_language).
  fold.han = han > 0 && static_cast<std::uint64_t>(kana) * 10 <= han;
  return fold;
}

bool fold_scripts(std::string_view text, const ScriptFold& fold, std::string& out) {
  if (!fold.active()) return false;
  if (fold.cyrillic == CyrillicFold::uzbek || fold.cyrillic == CyrillicFold::azerbaijani) {
    // Their rules depend on context (Uzbek е is ye at the start of a word): ICU, for the lines
    // that have Cyrillic letters.
    std::string folded;
    bool changed = false;
    if (has_cyrillic(text)) {
      folded = normalise(transliterate_icu(text, cyrillic_fold_icu_id(fold.cyrillic)));
      changed = folded != text;
    }
    if (fold.han && fold_han(changed ? std::string_view(folded) : text, folded)) changed = true;
    if (changed) out = std::move(folded);
    return changed;
  }
  const bool serbian = fold.cyrillic == CyrillicFold::serbian;
  const HanFold* han = nullptr;
  const auto* first = reinterpret_cast<const unsigned char*>(text.data());
  const auto* p = first;
  const auto* end = p + text.size();
  std::string folded;
  std::size_t copied = 0;  // bytes of text before this one are in `folded`
  bool changed = false;
  bool recompose = false;
  char bytes[4];
  while (p < end) {
    const unsigned char lead = *p;
    std::string_view replacement;
    const auto* at = p;
    if ((lead == 0xD0 || lead == 0xD1) && end - p >= 2 && (p[1] & 0xC0) == 0x80) {
      const char32_t c = (static_cast<char32_t>(lead & 0x1F) << 6) | (p[1] & 0x3F);
      p += 2;
      if (!serbian || c < serbian_first || c > serbian_last) continue;
      replacement = serbian_latin[c - serbian_first];
      if (replacement.empty()) continue;
      // A Montenegrin з́ or с́, or a stress mark: the Latin letter composes with its mark.
      recompose |= is_combining_mark_at(p, end);
    } else if (lead >= 0xE2 && lead <= 0xF0 && fold.han) {  // Han and CJK punctuation
      char32_t c = 0;
      if (!decode_utf8(p, end, c)) continue;
      if (han == nullptr) han = &han_fold();
      const char32_t to = (*han)(c);
      if (to == c) continue;
      replacement = std::string_view(bytes, static_cast<std::size_t>(encode_utf8(to, bytes)));
    } else {
      ++p;
      continue;
    }
    if (!changed) folded.reserve(text.size() + text.size() / 8);
    changed = true;
    folded.append(text.substr(copied, static_cast<std::size_t>(at - first) - copied));
    folded.append(replacement);
    copied = static_cast<std::size_t>(p - first);
  }
  if (!changed) return false;
  folded.append(text.substr(copied));
  out = recompose ? normalise(folded) : std::move(folded);
  return true;
}

std::string fold_cyrillic_as_written(std::string_view utf8, CyrillicFold fold) {
  if (fold == CyrillicFold::none) return std::string(utf8);
  if (fold != CyrillicFold::serbian) return transliterate_icu(utf8, cyrillic_fold_icu_id(fold));
  // ICU writes Љ, Њ, Џ as Lj, Nj, Dž before a lowercase letter of the Serbian alphabet, and as
  // LJ, NJ, DŽ before anything else.
  const auto lowercase_serbian_at = [](const unsigned char* q, const unsigned char* end) {
    if (end - q < 2 || (q[0] != 0xD0 && q[0] != 0xD1) || (q[1] & 0xC0) != 0x80) return false;
    const char32_t c = (static_cast<char32_t>(q[0] & 0x1F) << 6) | (q[1] & 0x3F);
    return c >= serbian_first && c <= serbian_last && !serbian_latin[c - serbian_first].empty();
  };
  std::string out;
  out.reserve(utf8.size() + utf8.size() / 8);
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  const auto* end = p + utf8.size();
  while (p < end) {
    const auto* at = p;
    if ((*p == 0xD0 || *p == 0xD1) && end - p >= 2 && (p[1] & 0xC0) == 0x80) {
      const char32_t c = (static_cast<char32_t>(*p & 0x1F) << 6) | (p[1] & 0x3F);
      p += 2;
      std::string_view latin;
      if (c >= serbian_first && c <= serbian_last) {
        latin = serbian_latin[c - serbian_first];
      } else if (c >= serbian_upper_first && c < serbian_first) {
        latin = serbian_latin_upper[c - serbian_upper_first];
        const bool digraph = c == 0x0409 || c == 0x040A || c == 0x040F;  // Љ Њ Џ
        if (digraph && lowercase_serbian_at(p, end)) {
          out += latin[0];
          out += serbian_latin[c + (c < 0x0410 ? 0x50 : 0x20) - serbian_first].substr(1);
          continue;
        }
      }
      if (!latin.empty()) {
        out += latin;
        continue;
      }
    } else {
      ++p;
      while (p < end && (*p & 0xC0) == 0x80) ++p;
    }
    out.append(reinterpret_cast<const char*>(at), static_cast<std::size_t>(p - at));
  }
  return out;
}

const char* cyrillic_fold_icu_id(CyrillicFold fold) {
  switch (fold) {
    case CyrillicFold::serbian: return "Serbian-Latin/BGN";
    case CyrillicFold::uzbek: return "uz_Cyrl-uz_Latn";
    case CyrillicFold::azerbaijani: return "az_Cyrl-az/BGN";
    case CyrillicFold::none: break;
  }
  return nullptr;
}

std::string fold_scripts(std::string_view normalised, const ScriptFold& fold) {
  std::string out;
  if (!fold_scripts(normalised, fold, out)) out.assign(normalised);
  return out;
}

std::string fold_scripts_icu(std::string_view normalised, const ScriptFold& fold) {
  std::string text(normalised);
  if (const char* id = cyrillic_fold_icu_id(fold.cyrillic)) text = transliterate_icu(text, id);
  if (fold.han) text = transliterate_icu(text, "Traditional-Simplified");
  return normalise(text);
}

}  // namespace neardup::detail
