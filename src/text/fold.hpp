// Script folding: one written form for a language written in two scripts, so that the same text
// in either script has the same word shingles and exact-text hash, and language identification
// sees the script its model knows.
//
//   const ScriptFold fold = choose_fold(document_text);          // once per document
//   std::string folded;
//   if (fold_scripts(normalise(line), fold, folded)) ...          // folded differs from the line
//
// What is folded, and only when a document's letters say so:
//   - Serbian, Bosnian and Montenegrin Cyrillic to Gaj's Latin alphabet (ICU "Serbian-Latin/BGN",
//     table-driven here), for a document whose Cyrillic letters are (all but one in 500) in the
//     Serbian alphabet. Russian, Ukrainian, Bulgarian and Macedonian use letters Serbian lacks
//     (я ы й щ ь, і ї є, ѓ ќ ѕ), so their texts are left as they are.
//   - Uzbek Cyrillic to the official Latin alphabet (ICU "uz_Cyrl-uz_Latn") and Azerbaijani
//     Cyrillic to the Latin alphabet (ICU "az_Cyrl-az/BGN"), for a document in that alphabet
//     with its own letters (ў қ ғ ҳ; ә). Through ICU, line by line: such documents are rare.
//   - Traditional and Simplified Han (and the CJK quotation marks 「」/“”) to one character per
//     class of variants (ICU's "Traditional-Simplified" and "Simplified-Traditional" mappings of
//     single characters joined, the Simplified member chosen; a table built from ICU on first
//     use), so that a text and its conversion either way fold alike, for documents that are not
//     Japanese (kana under a tenth of the Han characters, as detect_language decides).
// Kazakh is not folded: ICU knows only the BGN romanisation, which is not how Kazakh is written
// in Latin letters. Punjabi Shahmukhi and Gurmukhi spell words too differently (short vowels,
// loanword spelling) for a letter mapping to give the same words; the pivot features cover them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace neardup::detail {

enum class CyrillicFold : std::uint8_t { none, serbian, uzbek, azerbaijani };

struct ScriptFold {
  CyrillicFold cyrillic = CyrillicFold::none;
  bool han = false;
  bool active() const { return cyrillic != CyrillicFold::none || han; }
};

// The fold a document needs, from its letters (any case, valid UTF-8): one pass over the text.
ScriptFold choose_fold(std::string_view utf8);

// Folds normalised text (normalise()) into `out` and returns true when that changes it; returns
// false and leaves `out` as it was when nothing is folded (no letter of the folded scripts).
// The result is normalised text again. Safe to call from many threads.
bool fold_scripts(std::string_view normalised, const ScriptFold& fold, std::string& out);
std::string fold_scripts(std::string_view normalised, const ScriptFold& fold);

// The text as written (any case, not normalised) with its Cyrillic letters in Latin, as ICU's
// transliterator for the fold writes it (Љубав → Ljubav, ЉУБАВ → LJUBAV; table-driven for
// Serbian, with ć composed as Latin text writes it where ICU writes c and a combining acute):
// what language identification reads.
std::string fold_cyrillic_as_written(std::string_view utf8, CyrillicFold fold);

// ICU's transliterator for a Cyrillic fold ("Serbian-Latin/BGN", "uz_Cyrl-uz_Latn",
// "az_Cyrl-az/BGN"); nullptr for none.
const char* cyrillic_fold_icu_id(CyrillicFold fold);

// Reference for tests: the same through ICU's transliterators over the whole text
// ("Serbian-Latin/BGN", "uz_Cyrl-uz_Latn", "az_Cyrl-az/BGN", "Traditional-Simplified"), then
// normalise(). The Serbian table gives the same bytes; the Han classes differ from ICU's
// Traditional-Simplified where it decides by context (甚麼 → 什么) or picks one of several
// Simplified characters.
std::string fold_scripts_icu(std::string_view normalised, const ScriptFold& fold);

}  // namespace neardup::detail
