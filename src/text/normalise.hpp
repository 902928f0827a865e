// ICU normalisation: the form in which texts are compared.
#pragma once

#include <string>
#include <string_view>

namespace neardup::detail {

// NFKC with case folding (ICU's nfkc_cf, which also removes default-ignorables such as
// zero-width joiners and soft hyphens), nukta and other NFC variants made equal, decimal
// digits of every script mapped to ASCII 0-9, and every run of white space (any Unicode
// separator, tabs, newlines) turned into one ASCII space, trimmed at both ends.
// Input must be valid UTF-8 (the readers guarantee it).
std::string normalise(std::string_view utf8);
// The same into `out` (replacing its contents), reusing its capacity.
void normalise(std::string_view utf8, std::string& out);

// Reference for tests: the same through UTF-16, ICU's normalize() and ICU's character
// properties for each code point. normalise() gives the same bytes from UTF-8 directly.
std::string normalise_icu(std::string_view utf8);

}  // namespace neardup::detail
