#include "text/language.hpp"

#include <cld2/public/compact_lang_det.h>

#include <climits>
#include <cstring>
#include <string>

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>

#include "text/fold.hpp"

namespace neardup::detail {

namespace {

struct CodeMapping {
  const char* cld2;  // CLD2::LanguageCode, mostly ISO 639-1
  const char* code;  // ours: ISO 639-3 + script
};

// Per script, the CLD2 answers we accept; anything else (a language of another script, or one
// CLD2 confuses with this script's main language) falls back to the script's default.
constexpr CodeMapping devanagari_languages[] = {
    {"hi", "hin_Deva"}, {"mr", "mar_Deva"}, {"ne", "npi_Deva"}, {"sa", "san_Deva"}};
constexpr CodeMapping arabic_languages[] = {
    {"ur", "urd_Arab"}, {"sd", "snd_Arab"}, {"fa", "pes_Arab"}, {"ar", "arb_Arab"},
    {"ps", "pbt_Arab"}, {"ku", "ckb_Arab"}, {"ug", "uig_Arab"}};
constexpr CodeMapping bengali_languages[] = {{"bn", "ben_Beng"}, {"as", "asm_Beng"}};
constexpr CodeMapping cyrillic_languages[] = {
    {"ru", "rus_Cyrl"}, {"uk", "ukr_Cyrl"}, {"bg", "bul_Cyrl"}, {"sr", "srp_Cyrl"},
    {"mk", "mkd_Cyrl"}, {"be", "bel_Cyrl"}, {"kk", "kaz_Cyrl"}, {"ky", "kir_Cyrl"},
    {"mn", "khk_Cyrl"}, {"tg", "tgk_Cyrl"}, {"uz", "uzn_Cyrl"}, {"tt", "tat_Cyrl"},
    {"tk", "tuk_Cyrl"}};
// Languages CLD2 knows well in Latin letters only, asked about a Cyrillic text folded to Latin
// (text/fold.hpp). Croatian is not written in Cyrillic: a Cyrillic text CLD2 reads as Croatian
// once folded is ijekavian Serbian (of Bosnia or Montenegro), and named Serbian.
constexpr CodeMapping serbian_folded_languages[] = {
    {"sr", "srp_Cyrl"}, {"bs", "bos_Cyrl"}, {"hr", "srp_Cyrl"}, {"sr-ME", "cnr_Cyrl"}};
constexpr CodeMapping uzbek_folded_languages[] = {{"uz", "uzn_Cyrl"}};
constexpr CodeMapping azerbaijani_folded_languages[] = {{"az", "azj_Cyrl"}};
constexpr CodeMapping latin_languages[] = {
    {"en", "eng_Latn"}, {"fr", "fra_Latn"}, {"de", "deu_Latn"}, {"es", "spa_Latn"},
    {"it", "ita_Latn"}, {"pt", "por_Latn"}, {"nl", "nld_Latn"}, {"sv", "swe_Latn"},
    {"da", "dan_Latn"}, {"no", "nob_Latn"}, {"nn", "nno_Latn"}, {"fi", "fin_Latn"},
    {"is", "isl_Latn"}, {"pl", "pol_Latn"}, {"cs", "ces_Latn"}, {"sk", "slk_Latn"},
    {"sl", "slv_Latn"}, {"hr", "hrv_Latn"}, {"bs", "bos_Latn"}, {"sr", "srp_Latn"},
    {"sr-ME", "cnr_Latn"},
    {"ro", "ron_Latn"}, {"hu", "hun_Latn"}, {"et", "est_Latn"}, {"lv", "lvs_Latn"},
    {"lt", "lit_Latn"}, {"sq", "als_Latn"}, {"tr", "tur_Latn"}, {"az", "azj_Latn"},
    {"uz", "uzn_Latn"}, {"id", "ind_Latn"}, {"ms", "zsm_Latn"}, {"tl", "tgl_Latn"},
    {"vi", "vie_Latn"}, {"sw", "swh_Latn"}, {"so", "som_Latn"}, {"ha", "hau_Latn"},
    {"yo", "yor_Latn"}, {"ig", "ibo_Latn"}, {"zu", "zul_Latn"}, {"xh", "xho_Latn"},
    {"af", "afr_Latn"}, {"ca", "cat_Latn"}, {"eu", "eus_Latn"}, {"gl", "glg_Latn"},
    {"cy", "cym_Latn"}, {"ga", "gle_Latn"}, {"gd", "gla_Latn"}, {"mt", "mlt_Latn"},
    {"la", "lat_Latn"}, {"eo", "epo_Latn"}, {"lb", "ltz_Latn"}, {"fy", "fry_Latn"},
    {"jw", "jav_Latn"}, {"su", "sun_Latn"}, {"mg", "plt_Latn"}, {"ht", "hat_Latn"}};

template <std::size_t n>
const char* lookup(const CodeMapping (&table)[n], const char* cld2_code) {
  for (const auto& entry : table) {
    if (std::strcmp(entry.cld2, cld2_code) == 0) return entry.code;
  }
  return nullptr;
}

struct Guess {
  const char* code = nullptr;  // ours; null when no guess is in the table
  bool reliable = false;       // CLD2's first guess, and CLD2 calls it reliable
};

// The first of CLD2's three guesses that is a language of the table. A text mixing scripts (a
// Hindi article with an English menu) makes CLD2 put the other script's language first, so the
// later guesses matter. Among close languages (Bosnian, Croatian, Serbian) this is the one CLD2
// ranks first.
// True when the text holds a combining diacritic (U+0300..U+036F: CC 80..CD AF), which a
// decomposed text writes after its letter (c and an acute for ć, as ICU's Serbian-Latin/BGN does).
bool has_combining_diacritic(std::string_view utf8) {
  // memchr for the two lead bytes: most texts have neither, and it runs on every text.
  for (const char lead : {'\xCC', '\xCD'}) {
    const char* p = utf8.data();
    const char* const end = p + utf8.size();
    while ((p = static_cast<const char*>(std::memchr(p, lead, static_cast<std::size_t>(end - p)))) != nullptr) {
      if (++p == end) break;
      const auto next = static_cast<unsigned char>(*p);
      if (next >= 0x80 && next <= (lead == '\xCC' ? 0xBF : 0xAF)) return true;
    }
  }
  return false;
}

template <std::size_t n>
Guess guess_with_cld2(std::string_view text, const CodeMapping (&table)[n]) {
  // CLD2 reads a decomposed letter as two, and misnames a decomposed text (Serbian as Bosnian):
  // it sees the text composed (NFC).
  std::string composed;
  if (has_combining_diacritic(text) && text.size() <= static_cast<std::size_t>(INT32_MAX)) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    icu::StringByteSink<std::string> sink(&composed, static_cast<int32_t>(text.size()));
    if (U_SUCCESS(status)) nfc->normalizeUTF8(0, icu::StringPiece(text.data(), static_cast<int32_t>(text.size())), sink, nullptr, status);
    if (U_SUCCESS(status)) text = composed;
  }
  const std::string_view utf8 = text;
  const int length = utf8.size() > static_cast<std::size_t>(INT_MAX) ? INT_MAX : static_cast<int>(utf8.size());
  CLD2::Language language3[3];
  int percent3[3];
  int text_bytes = 0;
  bool is_reliable = false;
  CLD2::ExtDetectLanguageSummary(utf8.data(), length, /*is_plain_text=*/true, language3, percent3,
                                 &text_bytes, &is_reliable);
  for (int i = 0; i < 3; ++i) {
    if (percent3[i] <= 0 || language3[i] == CLD2::UNKNOWN_LANGUAGE) continue;
    if (const char* code = lookup(table, CLD2::LanguageCode(language3[i]))) return {code, is_reliable && i == 0};
  }
  return {};
}

// The first guess of the table, or the script's default.
template <std::size_t n>
std::string detect_with_cld2(std::string_view utf8, const CodeMapping (&table)[n], const char* fallback) {
  const Guess guess = guess_with_cld2(utf8, table);
  return guess.code != nullptr ? guess.code : fallback;
}

template <std::size_t n>
bool in_table(const CodeMapping (&table)[n], const char* code) {
  for (const auto& entry : table)
    if (std::strcmp(entry.code, code) == 0) return true;
  return false;
}

// ђ, ћ and their capitals: U+0452, U+045B, U+0402, U+040B.
bool has_serbian_letters(std::string_view utf8) {
  for (std::size_t i = 0; i + 1 < utf8.size(); ++i) {
    const auto lead = static_cast<unsigned char>(utf8[i]), next = static_cast<unsigned char>(utf8[i + 1]);
    if ((lead == 0xD1 && (next == 0x92 || next == 0x9B)) || (lead == 0xD0 && (next == 0x82 || next == 0x8B))) return true;
  }
  return false;
}

// CLD2 knows Serbian in Cyrillic letters poorly (a quarter of Serbian news articles come out
// Russian, Portuguese or unknown) and Bosnian, Croatian, Uzbek and Azerbaijani only in Latin
// letters. A text in the Serbian (Uzbek, Azerbaijani) Cyrillic alphabet is asked about again
// folded to Latin, unless CLD2 is sure it is another language (a short Macedonian text need
// not use the letters Serbian lacks).
std::string detect_cyrillic(std::string_view utf8) {
  const ScriptFold fold{choose_fold(utf8).cyrillic, false};
  // With ђ or ћ, which no other Cyrillic alphabet has, a text in the Serbian alphabet is
  // Serbo-Croatian: CLD2's Cyrillic models need not be asked.
  const bool serbo_croatian = fold.cyrillic == CyrillicFold::serbian && has_serbian_letters(utf8);
  const Guess original = serbo_croatian ? Guess{} : guess_with_cld2(utf8, cyrillic_languages);
  const auto folded_guess = [&](const auto& table) -> const char* {
    if (original.reliable && !in_table(table, original.code)) return nullptr;
    // The text as it is, case and spacing kept, in Latin letters: the bytes CLD2 reads in a copy
    // made in Latin letters, so that the two copies are named alike.
    return guess_with_cld2(fold_cyrillic_as_written(utf8, fold.cyrillic), table).code;
  };
  const char* folded = nullptr;
  switch (fold.cyrillic) {
    case CyrillicFold::serbian: folded = folded_guess(serbian_folded_languages); break;
    case CyrillicFold::uzbek: folded = folded_guess(uzbek_folded_languages); break;
    case CyrillicFold::azerbaijani: folded = folded_guess(azerbaijani_folded_languages); break;
    case CyrillicFold::none: break;
  }
  if (folded != nullptr) return folded;
  if (original.code != nullptr) return original.code;
  return serbo_croatian ? "srp_Cyrl" : "rus_Cyrl";
}

bool is_sindhi_letter(char32_t c) {
  switch (c) {
    case 0x067A: case 0x067B: case 0x067D: case 0x067F: case 0x0680: case 0x0683: case 0x0684:
    case 0x0687: case 0x068A: case 0x068C: case 0x068D: case 0x068F: case 0x0699: case 0x06A6:
    case 0x06AA: case 0x06B1: case 0x06B3: case 0x06BB:
      return true;
    default:
      return false;
  }
}

// Sindhi writes implosives and aspirates with letters no Urdu, Persian or Arabic text uses, so
// their share among Arabic letters separates Sindhi reliably; CLD2 does not know Sindhi well.
bool looks_sindhi(std::string_view utf8, std::uint32_t arabic_letters) {
  std::uint32_t sindhi = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  const auto* end = p + utf8.size();
  while (p < end) {
    // Every candidate is a two-byte sequence D9 xx or DA xx; skip the rest cheaply.
    if ((*p == 0xD9 || *p == 0xDA) && end - p >= 2) {
      const char32_t c = (static_cast<char32_t>(*p & 0x1F) << 6) | (p[1] & 0x3F);
      if (is_sindhi_letter(c)) ++sindhi;
      p += 2;
    } else {
      ++p;
    }
  }
  return arabic_letters > 0 && sindhi * 100 > arabic_letters;
}

// Assamese ra and wa (ৰ U+09F0, ৱ U+09F1) are absent from Bengali orthography.
bool looks_assamese(std::string_view utf8, std::uint32_t bengali_letters) {
  std::uint32_t assamese = 0;
  for (std::size_t i = 0; i + 2 < utf8.size(); ++i) {
    if (utf8[i] == '\xE0' && utf8[i + 1] == '\xA7' && (utf8[i + 2] == '\xB0' || utf8[i + 2] == '\xB1')) {
      ++assamese;
    }
  }
  return bengali_letters > 0 && assamese * 100 > bengali_letters;
}

std::uint32_t count(const ScriptProfile& profile, Script script) {
  return profile.letters[static_cast<std::size_t>(script)];
}

}  // namespace

std::string detect_language(std::string_view utf8, const ScriptProfile& profile) {
  switch (profile.dominant) {
    case Script::devanagari: return detect_with_cld2(utf8, devanagari_languages, "hin_Deva");
    case Script::arabic:
      if (looks_sindhi(utf8, count(profile, Script::arabic))) return "snd_Arab";
      return detect_with_cld2(utf8, arabic_languages, "urd_Arab");
    case Script::bengali:
      if (looks_assamese(utf8, count(profile, Script::bengali))) return "asm_Beng";
      return detect_with_cld2(utf8, bengali_languages, "ben_Beng");
    case Script::latin: return detect_with_cld2(utf8, latin_languages, "eng_Latn");
    case Script::cyrillic: return detect_cyrillic(utf8);
    case Script::gurmukhi: return "pan_Guru";
    case Script::gujarati: return "guj_Gujr";
    case Script::oriya: return "ory_Orya";
    case Script::tamil: return "tam_Taml";
    case Script::telugu: return "tel_Telu";
    case Script::kannada: return "kan_Knda";
    case Script::malayalam: return "mal_Mlym";
    case Script::sinhala: return "sin_Sinh";
    case Script::greek: return "ell_Grek";
    case Script::hangul: return "kor_Hang";
    case Script::thai: return "tha_Thai";
    case Script::kana: return "jpn_Jpan";
    case Script::han: {
      // Japanese mixes kanji with kana; Chinese has none. A tenth of kana marks Japanese even in
      // kanji-heavy headlines.
      const std::uint32_t kana = count(profile, Script::kana);
      return kana * 10 > count(profile, Script::han) ? "jpn_Jpan" : "zho_Hani";
    }
    case Script::unknown:
    case Script::other:
    case Script::count_: break;
  }
  return "und_Zyyy";
}

}  // namespace neardup::detail
