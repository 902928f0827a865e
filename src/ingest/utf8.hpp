// UTF-8 checks used by the readers on every byte they accept.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace neardup::detail {

// Offset of the first byte of the first ill-formed sequence (Unicode Table 3-7: no overlongs,
// no surrogates, nothing above U+10FFFF, no sequence cut short by the end), or text.size()
// when the whole text is well-formed. Runs of ASCII are checked 16 bytes at a time.
std::size_t find_invalid_utf8(std::string_view text) noexcept;

inline bool is_valid_utf8(std::string_view text) noexcept { return find_invalid_utf8(text) == text.size(); }

// True when the text holds nothing but white space (Unicode White_Space, plus the invisible
// U+200B and U+FEFF), including when it is empty. Input must be valid UTF-8.
bool is_blank(std::string_view utf8) noexcept;

// At most max_bytes of the text, cut at a code point boundary, with "…" when anything was cut:
// for titles shown in outputs and reports.
inline std::string clip_utf8(std::string_view utf8, std::size_t max_bytes) {
  if (utf8.size() <= max_bytes) return std::string(utf8);
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(utf8[end]) & 0xC0) == 0x80) --end;
  return std::string(utf8.substr(0, end)) + "…";
}

}  // namespace neardup::detail
