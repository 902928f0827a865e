// A light phonetic key over the pivot script, so that cognates and names compare across
// languages and scripts: Hindi पुतिन, Gujarati પુતિન, Tamil புடின், Urdu پوتن and English
// "Putin" all come out as "putin" (or, without written vowels, "ptn").
#pragma once

#include <string>
#include <string_view>

namespace neardup::detail {

// Maps one word of pivot text (Devanagari, plus Latin copied through) to ASCII key letters:
//   - consonants by place of articulation, with voicing and aspiration dropped (Tamil writes
//     neither) and dental/retroflex merged (English names take either): k c t p, and the
//     nasals n m, approximants y r l v, sibilants s, h;
//   - vowels long and short merged: a i u e o (the inherent vowel is not written, so a
//     consonant without a vowel sign adds nothing, as in Tamil's explicit virama);
//   - anusvara and chandrabindu as n, nukta and virama dropped, and a nasal before a
//     consonant written n (Trump/ट्रंप);
//   - Latin letters by English spelling habits (c→k, j→c, w→v, x→ks, y→i, z→c, an h after a
//     consonant dropped); digits kept; anything else dropped.
// Appends to out and returns the number of key letters appended.
std::size_t append_phonetic_key(std::string_view pivot_word, std::string& out);

// The consonants of a key (vowels removed): what survives scripts that do not write short
// vowels (Urdu, Sindhi) and English spelling.
std::string consonant_skeleton(std::string_view key);

// The key names are matched by: the consonants where there are three or more, specific enough
// (पुतिन, Urdu's vowel-less spelling and English "Putin" meet); short names (Kim, Un) keep their
// vowels so that they do not collide with common words.
std::string name_key(std::string_view key);
// The same without allocating: a view of key itself or of its skeleton written into buffer.
std::string_view name_key(std::string_view key, std::string& buffer);

}  // namespace neardup::detail
