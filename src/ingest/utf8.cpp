#include "ingest/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace neardup::detail {

std::size_t find_invalid_utf8(std::string_view text) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  constexpr std::uint64_t high_bits = 0x8080808080808080ULL;
  std::size_t i = 0;
  while (i < n) {
    while (i + 16 <= n) {
      std::uint64_t a;
      std::uint64_t b;
      std::memcpy(&a, p + i, 8);
      std::memcpy(&b, p + i + 8, 8);
      if (((a | b) & high_bits) != 0) break;
      i += 16;
    }
    if (i >= n) break;
    const unsigned lead = p[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    // The second byte's range depends on the lead byte; that is what rules out overlongs,
    // surrogates (ED A0..BF) and code points above U+10FFFF (F4 90..).
    std::size_t length = 0;
    unsigned low = 0x80;
    unsigned high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead == 0xE0) {
      length = 3;
      low = 0xA0;
    } else if (lead == 0xED) {
      length = 3;
      high = 0x9F;
    } else if (lead >= 0xE1 && lead <= 0xEF) {
      length = 3;
    } else if (lead == 0xF0) {
      length = 4;
      low = 0x90;
    } else if (lead >= 0xF1 && lead <= 0xF3) {
      length = 4;
    } else if (lead == 0xF4) {
      length = 4;
      high = 0x8F;
    } else {
      return i;
    }
    if (n - i < length) return i;
    if (p[i + 1] < low || p[i + 1] > high) return i;
    for (std::size_t k = 2; k < length; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
    }
    i += length;
  }
  return n;
}

namespace {

bool is_blank_code_point(char32_t c) noexcept {
  switch (c) {
    case 0x0085: case 0x00A0: case 0x1680: case 0x2028: case 0x2029: case 0x202F:
    case 0x205F: case 0x3000: case 0x200B: case 0xFEFF:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

}  // namespace

bool is_blank(std::string_view utf8) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  const std::size_t n = utf8.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned lead = p[i];
    if (lead < 0x80) {
      if (lead != ' ' && (lead < 0x09 || lead > 0x0D)) return false;
      ++i;
      continue;
    }
    char32_t c = 0;
    std::size_t length = 0;
    if (lead < 0xE0) {
      c = lead & 0x1F;
      length = 2;
    } else if (lead < 0xF0) {
      c = lead & 0x0F;
      length = 3;
    } else {
      c = lead & 0x07;
      length = 4;
    }
    if (n - i < length) return false;
    for (std::size_t k = 1; k < length; ++k) c = (c << 6) | (p[i + k] & 0x3F);
    if (!is_blank_code_point(c)) return false;
    i += length;
  }
  return true;
}

}  // namespace neardup::detail
