#include "text/normalise.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "neardup/error.hpp"

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
std::string normalise_ascii(std::string_view text) {
  std::string out;
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
  return out;
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

}  // namespace

std::string normalise(std::string_view utf8) {
  bool ascii = true;
  for (unsigned char c : utf8) {
    if (c >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return normalise_ascii(utf8);

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
    if (c < 0x80) {
      if (is_ascii_space(static_cast<unsigned char>(c))) {
        pending_space = !out.empty();
        continue;
      }
    } else if (u_isUWhiteSpace(c)) {
      pending_space = !out.empty();
      continue;
    } else if (u_charType(c) == U_DECIMAL_DIGIT_NUMBER) {
      // Every Nd character belongs to a contiguous 0-9 run, so its digit value is its meaning.
      c = '0' + u_charDigitValue(c);
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    append_utf8(out, c);
  }
  // One huge document should not pin its buffers to the thread for the rest of the run.
  constexpr int32_t kept_capacity = 1 << 20;
  if (source.getCapacity() > kept_capacity) source = icu::UnicodeString();
  if (folded.getCapacity() > kept_capacity) folded = icu::UnicodeString();
  return out;
}

}  // namespace neardup::detail
