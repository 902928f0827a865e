#include "text/segment.hpp"

#include <limits>
#include <memory>
#include <mutex>
#include <string>

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>

#include "neardup/error.hpp"
#include "text/script.hpp"

namespace neardup::detail {

namespace {

enum class Kind { word, sentence };

// Creating a break iterator loads and compiles rules and dictionaries; a prototype is built
// once and each thread keeps a clone, since one iterator cannot serve two threads.
icu::BreakIterator& iterator(Kind kind) {
  thread_local std::unique_ptr<icu::BreakIterator> word_iterator;
  thread_local std::unique_ptr<icu::BreakIterator> sentence_iterator;
  auto& mine = kind == Kind::word ? word_iterator : sentence_iterator;
  if (mine) return *mine;

  static std::mutex mutex;
  static std::unique_ptr<icu::BreakIterator> word_prototype;
  static std::unique_ptr<icu::BreakIterator> sentence_prototype;
  std::lock_guard<std::mutex> lock(mutex);
  auto& prototype = kind == Kind::word ? word_prototype : sentence_prototype;
  if (!prototype) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Locale& root = icu::Locale::getRoot();
    prototype.reset(kind == Kind::word ? icu::BreakIterator::createWordInstance(root, status)
                                       : icu::BreakIterator::createSentenceInstance(root, status));
    if (U_FAILURE(status) || !prototype) {
      prototype.reset();
      throw Error(ErrorCode::io, std::string("ICU break iterator data unavailable: ") + u_errorName(status));
    }
  }
  mine.reset(prototype->clone());
  return *mine;
}

// A UText over the caller's UTF-8: ICU then reports native indices, which are byte offsets.
class Utf8Text {
 public:
  explicit Utf8Text(std::string_view utf8) {
    // ICU's break iterators index with int32_t even over UTF-8.
    if (utf8.size() > static_cast<std::size_t>(std::numeric_limits<int32_t>::max())) {
      throw Error(ErrorCode::usage, "segmentation: a text over 2 GiB must be split before segmenting");
    }
    UErrorCode status = U_ZERO_ERROR;
    utext_openUTF8(&text_, utf8.data(), static_cast<int64_t>(utf8.size()), &status);
    if (U_FAILURE(status)) throw Error(ErrorCode::bad_input, std::string("segmentation: ") + u_errorName(status));
  }
  ~Utf8Text() { utext_close(&text_); }
  Utf8Text(const Utf8Text&) = delete;
  Utf8Text& operator=(const Utf8Text&) = delete;

  void attach(icu::BreakIterator& iterator) {
    UErrorCode status = U_ZERO_ERROR;
    iterator.setText(&text_, status);
    if (U_FAILURE(status)) throw Error(ErrorCode::bad_input, std::string("segmentation: ") + u_errorName(status));
  }

 private:
  UText text_ = UTEXT_INITIALIZER;
};

bool is_space(char32_t c) { return c < 0x80 ? (c == ' ' || (c >= '\t' && c <= '\r')) : u_isUWhiteSpace(static_cast<UChar32>(c)); }

// Sentence ends ICU does not always see: a newline, and the danda, double danda and Urdu full
// stop when no space follows them (ICU requires one).
bool is_extra_terminator(char32_t c) { return c == '\n' || c == 0x0964 || c == 0x0965 || c == 0x06D4; }

// Emits [begin, end) with white space trimmed at both ends, unless nothing is left.
void emit_trimmed(std::string_view utf8, std::uint32_t begin, std::uint32_t end, std::vector<Span>& out) {
  const auto* base = reinterpret_cast<const unsigned char*>(utf8.data());
  const auto* p = base + begin;
  const auto* stop = base + end;
  std::uint32_t first = end;
  std::uint32_t last = begin;
  while (p < stop) {
    const auto* at = p;
    char32_t c = 0;
    if (!decode_utf8(p, stop, c) || !is_space(c)) {
      if (first == end) first = static_cast<std::uint32_t>(at - base);
      last = static_cast<std::uint32_t>(p - base);
    }
  }
  if (first < last) out.push_back({first, last});
}

// Splits one ICU sentence after each extra terminator (and the terminators and spaces that
// directly follow it, as ICU does).
void split_sentence(std::string_view utf8, std::uint32_t begin, std::uint32_t end, std::vector<Span>& out) {
  const auto* base = reinterpret_cast<const unsigned char*>(utf8.data());
  const auto* p = base + begin;
  const auto* stop = base + end;
  std::uint32_t piece = begin;
  bool after_terminator = false;
  while (p < stop) {
    const auto* at = p;
    char32_t c = 0;
    if (!decode_utf8(p, stop, c)) continue;
    if (is_extra_terminator(c)) {
      after_terminator = true;
    } else if (after_terminator && !is_space(c)) {
      const auto cut = static_cast<std::uint32_t>(at - base);
      emit_trimmed(utf8, piece, cut, out);
      piece = cut;
      after_terminator = false;
    }
  }
  emit_trimmed(utf8, piece, end, out);
}

}  // namespace

std::vector<Span> words(std::string_view utf8) {
  std::vector<Span> spans;
  if (utf8.empty()) return spans;
  Utf8Text text(utf8);
  icu::BreakIterator& it = iterator(Kind::word);
  text.attach(it);
  int32_t begin = it.first();
  for (int32_t end = it.next(); end != icu::BreakIterator::DONE; begin = end, end = it.next()) {
    const int32_t status = it.getRuleStatus();
    if (status >= UBRK_WORD_NONE && status < UBRK_WORD_NONE_LIMIT) continue;
    spans.push_back({static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end)});
  }
  return spans;
}

std::vector<Span> sentences(std::string_view utf8) {
  std::vector<Span> spans;
  if (utf8.empty()) return spans;
  Utf8Text text(utf8);
  icu::BreakIterator& it = iterator(Kind::sentence);
  text.attach(it);
  int32_t begin = it.first();
  for (int32_t end = it.next(); end != icu::BreakIterator::DONE; begin = end, end = it.next()) {
    split_sentence(utf8, static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end), spans);
  }
  return spans;
}

}  // namespace neardup::detail
