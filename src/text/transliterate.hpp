// Transliteration into the pivot script, Devanagari, so that cognates and names compare.
#pragma once

#include <string>
#include <string_view>

#include "text/script.hpp"

namespace neardup::detail {

// Fast path, code point by code point: the Brahmic scripts that share Devanagari's layout by
// offset (with the fixes for what ICU gets wrong, documented in the .cpp), Sinhala and
// Perso-Arabic (Urdu, Sindhi, Persian, Arabic) by tables; Latin, digits, punctuation and
// every other script are copied unchanged. Input is normalised UTF-8 (normalise()).
std::string to_devanagari(std::string_view utf8);
// The same into `out` (replacing its contents), reusing its capacity: for callers that
// transliterate many short pieces.
void to_devanagari(std::string_view utf8, std::string& out);

// Reference for tests and for the scripts the fast path does not cover: ICU's transliterators
// ("Gujarati-Devanagari", ..., "Cyrillic-Latin", "Greek-Latin", "Traditional-Simplified")
// applied to a text of the given script.
std::string to_devanagari_icu(std::string_view utf8, Script script);

// Any ICU transliterator by id ("Serbian-Latin/BGN", ...), built once per thread. Throws
// Error(usage) when ICU has no such transliterator.
std::string transliterate_icu(std::string_view utf8, const char* id);

// Full pivot for comparison across scripts: to_devanagari, then Cyrillic and Greek to Latin and
// Traditional Han to Simplified through ICU (only when such letters are present).
std::string to_pivot(std::string_view normalised_utf8);
void to_pivot(std::string_view normalised_utf8, std::string& out);  // into out, as to_devanagari

}  // namespace neardup::detail
