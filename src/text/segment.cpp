#include "text/segment.hpp"

#include <limits>
#include <memory>
#include <mutex>
#include <string>

#include <array>

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

// White_Space outside ASCII is U+0085, U+00A0, U+1680 and U+2000..U+3000 only: letters of the
// other blocks skip ICU's property lookup.
bool is_space(char32_t c) {
  if (c < 0x80) return c == ' ' || (c >= '\t' && c <= '\r');
  if (c > 0xA0 && c < 0x1680) return false;
  return u_isUWhiteSpace(static_cast<UChar32>(c));
}

// Sentence ends ICU does not always see: a newline, and the danda, double danda and Urdu full
// stop when no space follows them (ICU requires one).
bool is_extra_terminator(char32_t c) { return c == '\n' || c == 0x0964 || c == 0x0965 || c == 0x06D4; }

// Emits [begin, end) with white space trimmed at both ends, unless nothing is left. An invalid
// byte counts as not white space. The ends are found from each side, so the middle of a sentence
// is not decoded again.
void emit_trimmed(std::string_view utf8, std::uint32_t begin, std::uint32_t end, std::vector<Span>& out) {
  const auto* base = reinterpret_cast<const unsigned char*>(utf8.data());
  const auto* p = base + begin;
  const auto* stop = base + end;
  std::uint32_t first = end;
  while (p < stop) {
    const auto* at = p;
    char32_t c = 0;
    if (!decode_utf8(p, stop, c) || !is_space(c)) {
      first = static_cast<std::uint32_t>(at - base);
      break;
    }
  }
  if (first == end) return;
  std::uint32_t last = end;
  while (last > first) {
    std::uint32_t lead = last - 1;
    while (lead > first && (base[lead] & 0xC0) == 0x80 && last - lead < 4) --lead;
    const auto* q = base + lead;
    char32_t c = 0;
    if (!decode_utf8(q, base + last, c) || q != base + last) {
      // Not a whole code point: find the end of the last non-space forwards, as it was read.
      last = first;
      for (const auto* r = base + first; r < stop;) {
        char32_t d = 0;
        if (!decode_utf8(r, stop, d) || !is_space(d)) last = static_cast<std::uint32_t>(r - base);
      }
      break;
    }
    if (!is_space(c)) break;
    last = lead;
  }
  out.push_back({first, last});
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

// The fast paths below decide the common case themselves and hand anything else to ICU whole,
// so that they give ICU's boundaries exactly (tests/unit/fast_path_test.cpp checks them against
// words_icu and sentences_icu). Character classes come from ICU's own properties, built once for
// the Basic Multilingual Plane; other planes go to ICU.
constexpr std::size_t bmp_size = 0x10000;

// Word break classes of UAX #29 that ICU's root rules treat as the standard says. Everything
// else (Format, ZWJ, ExtendNumLet, Katakana, Hebrew, regional indicators, MidLetter such as the
// colon that ICU treats differently, dictionary scripts, ideographs, emoji) is `icu`.
enum class WordClass : std::uint8_t { icu, letter, numeric, extend, space, mid_num, mid_num_let, other };

const std::array<WordClass, bmp_size>& word_classes() {
  static const auto table = [] {
    std::array<WordClass, bmp_size> t{};
    for (UChar32 c = 0; c < static_cast<UChar32>(bmp_size); ++c) {
      WordClass k = WordClass::icu;
      if (u_getIntPropertyValue(c, UCHAR_LINE_BREAK) == U_LB_COMPLEX_CONTEXT) {
        t[c] = k;
        continue;
      }
      switch (u_getIntPropertyValue(c, UCHAR_WORD_BREAK)) {
        case U_WB_ALETTER: k = WordClass::letter; break;
        case U_WB_NUMERIC: k = WordClass::numeric; break;
        case U_WB_EXTEND: k = WordClass::extend; break;
        case U_WB_MIDNUM: k = WordClass::mid_num; break;
        case U_WB_MIDNUMLET:
        case U_WB_SINGLE_QUOTE: k = WordClass::mid_num_let; break;
        case U_WB_OTHER:
          if ((U_GET_GC_MASK(c) & (U_GC_P_MASK | U_GC_S_MASK)) != 0 && !u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC))
            k = WordClass::other;
          break;
        default: break;
      }
      t[c] = k;
    }
    t[' '] = WordClass::space;
    t['@'] = WordClass::icu;  // ICU's rules join e-mail addresses
    return t;
  }();
  return table;
}

bool word_like(WordClass k) { return k == WordClass::letter || k == WordClass::numeric; }

// UAX #29 rules WB4-WB12 over letters, digits, marks, ASCII spaces and punctuation: a word is a
// run of letters and digits with their marks, joined across one MidNum/MidNumLet between digits
// or one MidNumLet between letters. Returns false, with spans unspecified, where ICU must decide.
bool fast_words(std::string_view utf8, std::vector<Span>& spans) {
  const auto& classes = word_classes();
  const auto* base = reinterpret_cast<const unsigned char*>(utf8.data());
  const auto* end = base + utf8.size();
  auto next = [&](const unsigned char*& p) {
    char32_t c = 0;
    if (!decode_utf8(p, end, c) || c >= bmp_size) return WordClass::icu;
    return classes[c];
  };
  for (const unsigned char* p = base; p < end;) {
    const unsigned char* at = p;
    const WordClass k = next(p);
    if (k == WordClass::icu) return false;
    // A mark after anything but a letter, digit or mark attaches to it (WB4); ICU's handling of
    // that and of a mark at the start is left to ICU.
    if (k == WordClass::extend) return false;
    if (!word_like(k)) continue;
    WordClass last = k;
    const unsigned char* word_end = p;
    while (word_end < end) {
      const unsigned char* q = word_end;
      const WordClass k2 = next(q);
      if (k2 == WordClass::extend || word_like(k2)) {
        if (word_like(k2)) last = k2;
        word_end = q;
        continue;
      }
      if (k2 != WordClass::mid_num && k2 != WordClass::mid_num_let) break;
      const unsigned char* r = q;
      WordClass k3 = WordClass::space;
      while (r < end) {
        const unsigned char* s = r;
        k3 = next(s);
        if (k3 != WordClass::extend) break;
        r = s;
      }
      if (r == end) break;
      const bool joins = (last == WordClass::letter && k3 == WordClass::letter && k2 == WordClass::mid_num_let) ||
                         (last == WordClass::numeric && k3 == WordClass::numeric);
      if (!joins) break;
      word_end = r;
    }
    spans.push_back({static_cast<std::uint32_t>(at - base), static_cast<std::uint32_t>(word_end - base)});
    p = word_end;
  }
  return true;
}

// Sentence break classes: a line without ParaSep whose first terminator is followed only by
// terminators, closing punctuation and spaces (in the order SB8a and SB11 keep together) is one
// ICU sentence.
enum class SentenceClass : std::uint8_t { plain, term, close, space, attached, icu };

const std::array<SentenceClass, bmp_size>& sentence_classes() {
  static const auto table = [] {
    std::array<SentenceClass, bmp_size> t{};
    for (UChar32 c = 0; c < static_cast<UChar32>(bmp_size); ++c) {
      switch (u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK)) {
        case U_SB_ATERM:
        case U_SB_STERM: t[c] = SentenceClass::term; break;
        case U_SB_CLOSE: t[c] = SentenceClass::close; break;
        case U_SB_SP: t[c] = SentenceClass::space; break;
        case U_SB_EXTEND:
        case U_SB_FORMAT: t[c] = SentenceClass::attached; break;
        case U_SB_SEP:
        case U_SB_CR:
        case U_SB_LF: t[c] = SentenceClass::icu; break;
        default: t[c] = SentenceClass::plain; break;
      }
    }
    return t;
  }();
  return table;
}

// True when ICU would return the whole text as one sentence; `extra_terminator` tells whether
// split_sentence has anything to split in it.
bool one_icu_sentence(std::string_view utf8, bool& extra_terminator) {
  const auto& classes = sentence_classes();
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  const auto* end = p + utf8.size();
  enum class State { before, terminated, spaced } state = State::before;
  while (p < end) {
    char32_t c = 0;
    if (!decode_utf8(p, end, c) || c >= bmp_size) return false;
    const SentenceClass k = classes[c];
    if (k == SentenceClass::icu) return false;
    extra_terminator |= is_extra_terminator(c);
    if (k == SentenceClass::attached) continue;
    switch (state) {
      case State::before:
        if (k == SentenceClass::term) state = State::terminated;
        break;
      case State::terminated:
        if (k == SentenceClass::space) state = State::spaced;
        else if (k != SentenceClass::term && k != SentenceClass::close) return false;
        break;
      case State::spaced:
        if (k == SentenceClass::term) state = State::terminated;
        else if (k != SentenceClass::space) return false;
        break;
    }
  }
  return true;
}

}  // namespace

std::vector<Span> words_icu(std::string_view utf8) {
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

std::vector<Span> words(std::string_view utf8) {
  std::vector<Span> spans;
  words(utf8, spans);
  return spans;
}

void words(std::string_view utf8, std::vector<Span>& spans) {
  spans.clear();
  if (!fast_words(utf8, spans)) spans = words_icu(utf8);
}

std::vector<Span> sentences_icu(std::string_view utf8) {
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

std::vector<Span> sentences(std::string_view utf8) {
  std::vector<Span> spans;
  sentences(utf8, spans);
  return spans;
}

void sentences(std::string_view utf8, std::vector<Span>& spans) {
  spans.clear();
  bool extra_terminator = false;
  if (utf8.empty() || !one_icu_sentence(utf8, extra_terminator)) {
    spans = sentences_icu(utf8);
    return;
  }
  // Without a terminator ICU misses, the sentence is the text trimmed: no second reading.
  if (extra_terminator) {
    split_sentence(utf8, 0, static_cast<std::uint32_t>(utf8.size()), spans);
  } else {
    emit_trimmed(utf8, 0, static_cast<std::uint32_t>(utf8.size()), spans);
  }
}

}  // namespace neardup::detail
