#include "text/language.hpp"

#include <cld2/public/compact_lang_det.h>

#include <climits>
#include <cstring>

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
    {"mn", "khk_Cyrl"}, {"tg", "tgk_Cyrl"}};
constexpr CodeMapping latin_languages[] = {
    {"en", "eng_Latn"}, {"fr", "fra_Latn"}, {"de", "deu_Latn"}, {"es", "spa_Latn"},
    {"it", "ita_Latn"}, {"pt", "por_Latn"}, {"nl", "nld_Latn"}, {"sv", "swe_Latn"},
    {"da", "dan_Latn"}, {"no", "nob_Latn"}, {"nn", "nno_Latn"}, {"fi", "fin_Latn"},
    {"is", "isl_Latn"}, {"pl", "pol_Latn"}, {"cs", "ces_Latn"}, {"sk", "slk_Latn"},
    {"sl", "slv_Latn"}, {"hr", "hrv_Latn"}, {"bs", "bos_Latn"}, {"sr-Latn", "srp_Latn"},
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

// The first of CLD2's three guesses that is a language of the script, or the script's default.
// A text mixing scripts (a Hindi article with an English menu) makes CLD2 put the other script's
// language first, so the later guesses matter.
template <std::size_t n>
std::string detect_with_cld2(std::string_view utf8, const CodeMapping (&table)[n], const char* fallback) {
  const int length = utf8.size() > static_cast<std::size_t>(INT_MAX) ? INT_MAX : static_cast<int>(utf8.size());
  CLD2::Language language3[3];
  int percent3[3];
  int text_bytes = 0;
  bool is_reliable = false;
  CLD2::ExtDetectLanguageSummary(utf8.data(), length, /*is_plain_text=*/true, language3, percent3,
                                 &text_bytes, &is_reliable);
  for (int i = 0; i < 3; ++i) {
    if (percent3[i] <= 0 || language3[i] == CLD2::UNKNOWN_LANGUAGE) continue;
    if (const char* code = lookup(table, CLD2::LanguageCode(language3[i]))) return code;
  }
  return fallback;
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
    case Script::cyrillic: return detect_with_cld2(utf8, cyrillic_languages, "rus_Cyrl");
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
