// Language of a document, where a script alone does not tell it.
#pragma once

#include <string>
#include <string_view>

#include "text/script.hpp"

namespace neardup::detail {

// Returns a language code in the form ISO 639-3 + "_" + ISO 15924 script, e.g. "hin_Deva",
// "mar_Deva", "npi_Deva", "guj_Gujr", "urd_Arab", "snd_Arab", "eng_Latn", "und_Zyyy" when unknown.
// Uses CLD2 where several languages share the dominant script (Devanagari: Hindi, Marathi,
// Nepali; Arabic: Urdu, Sindhi, Persian, Arabic; Latin: English and others), and the script
// alone where one language is the only likely one (Gujarati, Tamil, Sinhala...).
// Close languages are named as CLD2 ranks them: Latin "bos_Latn", "hrv_Latn", "srp_Latn",
// "cnr_Latn" (Montenegrin). A text in the Serbian, Uzbek or Azerbaijani Cyrillic alphabet is
// identified on its form folded to Latin (text/fold.hpp), where CLD2 knows these languages:
// "srp_Cyrl", "bos_Cyrl", "cnr_Cyrl", "uzn_Cyrl", "azj_Cyrl".
std::string detect_language(std::string_view utf8, const ScriptProfile& profile);

}  // namespace neardup::detail
