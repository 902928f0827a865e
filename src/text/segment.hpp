// Word and sentence boundaries (ICU BreakIterator), with byte offsets into the text given.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace neardup::detail {

struct Span {
  std::uint32_t begin = 0;  // byte offset, inclusive
  std::uint32_t end = 0;    // byte offset, exclusive
};

// Words: the segments ICU's word BreakIterator tags as letters, numbers, kana or ideographs
// (punctuation and spaces are left out). Thai, Chinese and Japanese are split by ICU's dictionaries.
// Text of letters, digits, marks, ASCII spaces and punctuation is split without ICU, with the
// same result; words_icu is the reference.
std::vector<Span> words(std::string_view utf8);
void words(std::string_view utf8, std::vector<Span>& out);  // into out, reusing its capacity
std::vector<Span> words_icu(std::string_view utf8);

// Sentences: ICU's sentence BreakIterator, also breaking at newlines and at the danda (।, ॥)
// and the Urdu full stop (۔); blank sentences are left out, and the trailing white space of
// each is trimmed.
// A text that is plainly one sentence (no terminator before its end) skips ICU, with the same
// result; sentences_icu is the reference.
std::vector<Span> sentences(std::string_view utf8);
void sentences(std::string_view utf8, std::vector<Span>& out);  // into out, reusing its capacity
std::vector<Span> sentences_icu(std::string_view utf8);

}  // namespace neardup::detail
