#include "text/normalise.hpp"

#include <array>
#include <cstdint>

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "neardup/error.hpp"
#include "text/script.hpp"

namespace neardup::detail {

namespace {

const icu::Normalizer2& nfkc_casefold() {
  // getNFKCCasefoldInstance returns a singleton owned by ICU; fetching it once avoids a lock
  // per call.
  static const icu::Normalizer2* instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status)) {
      throw Error(ErrorCode::io, std::string("ICU NFKC_Casefold data unavailable: ") + u_errorName(status));
    }
    return n;
  }();
  return *instance;
}

bool is_ascii_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// Pure-ASCII text (English, code, numbers) needs only lower-casing and space folding: NFKC
// changes no ASCII character and case folding maps exactly A-Z. Skipping ICU here is several
// times faster and gives the same bytes.
void normalise_ascii(std::string_view text, std::string& out) {
  out.reserve(text.size());
  bool pending_space = false;
  for (unsigned char c : text) {
    if (is_ascii_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c | 0x20 : c));
  }
}

void append_utf8(std::string& out, UChar32 c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    const char bytes[] = {static_cast<char>(0xC0 | (c >> 6)), static_cast<char>(0x80 | (c & 0x3F))};
    out.append(bytes, 2);
  } else if (c < 0x10000) {
    const char bytes[] = {static_cast<char>(0xE0 | (c >> 12)), static_cast<char>(0x80 | ((c >> 6) & 0x3F)),
                          static_cast<char>(0x80 | (c & 0x3F))};
    out.append(bytes, 3);
  } else {
    const char bytes[] = {static_cast<char>(0xF0 | (c >> 18)), static_cast<char>(0x80 | ((c >> 12) & 0x3F)),
                          static_cast<char>(0x80 | ((c >> 6) & 0x3F)), static_cast<char>(0x80 | (c & 0x3F))};
    out.append(bytes, 4);
  }
}

// What the pass after case folding does with a code point: keep it, fold it into a space, or
// write it as the ASCII digit of its value.
constexpr std::uint8_t keep_code_point = 0xFF;
constexpr std::uint8_t space_code_point = 0xFE;

std::uint8_t fold_class_icu(UChar32 c) {
  if (c < 0x80) return is_ascii_space(static_cast<unsigned char>(c)) ? space_code_point : keep_code_point;
  if (u_isUWhiteSpace(c)) return space_code_point;
  // Every Nd character belongs to a contiguous 0-9 run, so its digit value is its meaning.
  if (u_charType(c) == U_DECIMAL_DIGIT_NUMBER) return static_cast<std::uint8_t>(u_charDigitValue(c));
  return keep_code_point;
}

// The same for the Basic Multilingual Plane from a table built once: the two property lookups
// per code point were about a third of the time normalising Indic text.
const std::array<std::uint8_t, 0x10000>& fold_classes() {
  static const auto table = [] {
    std::array<std::uint8_t, 0x10000> t{};
    for (UChar32 c = 0; c < 0x10000; ++c) t[c] = fold_class_icu(c);
    return t;
  }();
  return table;
}

// Folds white space and digits of case-folded UTF-8 in place (the result is never longer).
// False on invalid UTF-8, which the caller hands to the reference path.
bool fold_spaces_and_digits(std::string& text) {
  const auto& classes = fold_classes();
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  char* out = text.data();
  char* const first = out;
  bool pending_space = false;
  auto put = [&](std::uint8_t k, const unsigned char* from, const unsigned char* to) {
    if (k == space_code_point) {
      pending_space = out != first;
      return;
    }
    if (pending_space) {
      *out++ = ' ';
      pending_space = false;
    }
    if (k != keep_code_point) {
      *out++ = static_cast<char>('0' + k);
      return;
    }
    while (from < to) *out++ = static_cast<char>(*from++);
  };
  while (p < end) {
    const unsigned char lead = *p;
    if (lead < 0x80) {
      put(is_ascii_space(lead) ? space_code_point : keep_code_point, p, p + 1);
      ++p;
      continue;
    }
    const auto* at = p;
    char32_t c = 0;
    if (!decode_utf8(p, end, c)) return false;
    put(c < classes.size() ? classes[c] : fold_class_icu(static_cast<UChar32>(c)), at, p);
  }
  text.resize(static_cast<std::size_t>(out - first));
  return true;
}

}  // namespace

std::string normalise(std::string_view utf8) {
  std::string out;
  normalise(utf8, out);
  return out;
}

void normalise(std::string_view utf8, std::string& out) {
  out.clear();
  bool ascii = true;
  for (unsigned char c : utf8) {
    if (c >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    normalise_ascii(utf8, out);
    return;
  }
  if (utf8.size() > static_cast<std::size_t>(INT32_MAX / 2)) {
    throw Error(ErrorCode::usage, "normalise: a document over 1 GiB cannot be normalised in one piece");
  }
  // ICU normalises UTF-8 directly, copying the runs that are normalised already; the reference
  // converts to UTF-16 and back. Should ICU's output hold invalid UTF-8, the reference (which
  // substitutes U+FFFD) decides.
  UErrorCode status = U_ZERO_ERROR;
  icu::StringByteSink<std::string> sink(&out, static_cast<int32_t>(utf8.size()));
  nfkc_casefold().normalizeUTF8(0, icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())), sink, nullptr, status);
  if (U_SUCCESS(status) && fold_spaces_and_digits(out)) return;
  out = normalise_icu(utf8);
}

std::string normalise_icu(std::string_view utf8) {
  if (utf8.size() > static_cast<std::size_t>(INT32_MAX / 2)) {
    throw Error(ErrorCode::usage, "normalise: a document over 1 GiB cannot be normalised in one piece");
  }
  // Buffers are reused across calls on one thread so that normalising many small documents
  // does not allocate twice per document.
  thread_local icu::UnicodeString source;
  thread_local icu::UnicodeString folded;

  UErrorCode status = U_ZERO_ERROR;
  const auto length = static_cast<int32_t>(utf8.size());
  // UTF-16 never needs more code units than UTF-8 has bytes.
  UChar* buffer = source.getBuffer(length + 1);
  int32_t written = 0;
  u_strFromUTF8WithSub(buffer, source.getCapacity(), &written, utf8.data(), length, 0xFFFD, nullptr, &status);
  source.releaseBuffer(U_SUCCESS(status) ? written : 0);
  if (U_FAILURE(status)) {
    throw Error(ErrorCode::bad_input, std::string("normalise: cannot decode UTF-8: ") + u_errorName(status));
  }

  nfkc_casefold().normalize(source, folded, status);
  if (U_FAILURE(status)) {
    throw Error(ErrorCode::bad_input, std::string("normalise: ICU normalisation failed: ") + u_errorName(status));
  }

  std::string out;
  out.reserve(utf8.size() + utf8.size() / 8);
  const UChar* units = folded.getBuffer();
  const int32_t count = folded.length();
  bool pending_space = false;
  for (int32_t i = 0; i < count;) {
    UChar32 c;
    U16_NEXT(units, i, count, c);
    const std::uint8_t k = fold_class_icu(c);
    if (k == space_code_point) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    append_utf8(out, k == keep_code_point ? c : '0' + k);
  }
  // One huge document should not pin its buffers to the thread for the rest of the run.
  constexpr int32_t kept_capacity = 1 << 20;
  if (source.getCapacity() > kept_capacity) source = icu::UnicodeString();
  if (folded.getCapacity() > kept_capacity) folded = icu::UnicodeString();
  return out;
}

}  // namespace neardup::detail
