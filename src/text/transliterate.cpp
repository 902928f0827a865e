// Transliteration into Devanagari. The fast path works code point by code point from tables
// built once; docs/transliteration.md lists every place where it deliberately differs from ICU.
#include "text/transliterate.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include "neardup/error.hpp"
#include "text/utf8_encode.hpp"

namespace neardup::detail {

namespace {

// One replacement, stored as UTF-8 bytes of fixed size so the hot loop copies a constant 12
// bytes and advances by the real length.
struct Replacement {
  std::uint8_t length = 0;
  char bytes[11] = {};
};

constexpr std::size_t aligned_block_count = 8;  // Bengali .. Malayalam, U+0980..U+0D7F
constexpr std::size_t sinhala_table = aligned_block_count;
constexpr char32_t aligned_first = 0x0980;
constexpr char32_t sinhala_last = 0x0DFF;
constexpr char32_t gurmukhi_addak = 0x0A71;

// Perso-Arabic letters are not a one-to-one mapping: a vowel letter (alef, waw, yeh) reads as a
// vowel sign after a consonant and as a consonant or an independent vowel elsewhere, and do
// chashmi he aspirates the consonant before it. Each letter gets a role and a target.
enum class ArabicRole : std::uint8_t {
  copy, drop, consonant, alef, alef_madda, waw, yeh, yeh_barree, aspiration, ghunna, ain
};

struct ArabicEntry {
  ArabicRole role = ArabicRole::copy;
  char16_t target = 0;  // Devanagari consonant for ArabicRole::consonant
};

struct Tables {
  std::array<std::array<Replacement, 128>, aligned_block_count + 1> brahmic{};
  std::array<ArabicEntry, 256> arabic{};
};

Replacement replacement_of(std::u32string_view code_points) {
  Replacement r;
  for (char32_t c : code_points) r.length = static_cast<std::uint8_t>(r.length + encode_utf8(c, r.bytes + r.length));
  return r;
}

struct Override {
  char32_t source;
  std::u32string_view target;  // empty: dropped
};

// Keeps the source code point: symbols, fractions and signs with no Devanagari counterpart.
constexpr std::u32string_view keep = U"\uFFFF";

// Where the block offset lands on the wrong Devanagari character, or ICU and the offset both
// get a letter wrong. Each entry is explained in docs/transliteration.md.
constexpr Override aligned_overrides[] = {
    // Bengali
    {0x0980, keep}, {0x09CE, U"\u0924\u094D"}, {0x09D7, U""}, {0x09DC, U"\u0921\u093C"},
    {0x09DD, U"\u0922\u093C"}, {0x09DF, U"\u092F\u093C"}, {0x09F0, U"\u0930"}, {0x09F1, U"\u0935"},
    // Gurmukhi
    {0x0A33, U"\u0932\u093C"}, {0x0A36, U"\u0938\u093C"}, {0x0A51, keep}, {0x0A59, U"\u0916\u093C"},
    {0x0A5A, U"\u0917\u093C"}, {0x0A5B, U"\u091C\u093C"}, {0x0A5C, U"\u0921\u093C"},
    {0x0A5E, U"\u092B\u093C"}, {0x0A70, U"\u0902"}, {0x0A72, U""}, {0x0A73, U""}, {0x0A75, U"\u094D\u092F"},
    // Gujarati
    {0x0AF9, U"\u0934"},
    // Oriya
    {0x0B55, keep}, {0x0B56, U""}, {0x0B57, U""}, {0x0B5C, U"\u0921\u093C"}, {0x0B5D, U"\u0922\u093C"},
    {0x0B5F, U"\u092F\u093C"}, {0x0B71, U"\u0935"},
    // Tamil
    {0x0BD0, U"\u0950"}, {0x0BD7, U""},
    // Telugu
    {0x0C00, U"\u0901"}, {0x0C04, U"\u0902"}, {0x0C55, U""}, {0x0C56, U""}, {0x0C58, U"\u091A"},
    {0x0C59, U"\u091C"}, {0x0C5A, U"\u0931"}, {0x0C5D, U"\u0928\u094D"},
    // Kannada
    {0x0C80, U"\u0901"}, {0x0C84, keep}, {0x0CD5, U""}, {0x0CD6, U""}, {0x0CDD, U"\u0928\u094D"},
    {0x0CDE, U"\u0934"},
    // Malayalam
    {0x0D00, U"\u0902"}, {0x0D04, keep}, {0x0D3A, keep}, {0x0D3B, U"\u094D"}, {0x0D3C, U"\u094D"},
    {0x0D4E, U"\u0930\u094D"}, {0x0D4F, keep}, {0x0D54, U"\u092E\u094D"}, {0x0D55, U"\u092F\u094D"},
    {0x0D56, U"\u0934\u094D"}, {0x0D57, U"\u094C"}, {0x0D5F, U"\u0908"}, {0x0D7A, U"\u0923\u094D"},
    {0x0D7B, U"\u0928\u094D"}, {0x0D7C, U"\u0930\u094D"}, {0x0D7D, U"\u0932\u094D"},
    {0x0D7E, U"\u0933\u094D"}, {0x0D7F, U"\u0915\u094D"},
};

// Sinhala's block does not follow the Devanagari layout; every letter and sign is listed.
// Prenasalised stops become the plain stop, the two ae vowels the candra e.
constexpr Override sinhala_table_entries[] = {
    {0x0D81, U"\u0901"}, {0x0D82, U"\u0902"}, {0x0D83, U"\u0903"}, {0x0D85, U"\u0905"},
    {0x0D86, U"\u0906"}, {0x0D87, U"\u090D"}, {0x0D88, U"\u090D"}, {0x0D89, U"\u0907"},
    {0x0D8A, U"\u0908"}, {0x0D8B, U"\u0909"}, {0x0D8C, U"\u090A"}, {0x0D8D, U"\u090B"},
    {0x0D8E, U"\u0960"}, {0x0D8F, U"\u090C"}, {0x0D90, U"\u0961"}, {0x0D91, U"\u090E"},
    {0x0D92, U"\u090F"}, {0x0D93, U"\u0910"}, {0x0D94, U"\u0912"}, {0x0D95, U"\u0913"},
    {0x0D96, U"\u0914"}, {0x0D9A, U"\u0915"}, {0x0D9B, U"\u0916"}, {0x0D9C, U"\u0917"},
    {0x0D9D, U"\u0918"}, {0x0D9E, U"\u0919"}, {0x0D9F, U"\u0917"}, {0x0DA0, U"\u091A"},
    {0x0DA1, U"\u091B"}, {0x0DA2, U"\u091C"}, {0x0DA3, U"\u091D"}, {0x0DA4, U"\u091E"},
    {0x0DA5, U"\u091C\u094D\u091E"}, {0x0DA6, U"\u091C"}, {0x0DA7, U"\u091F"}, {0x0DA8, U"\u0920"},
    {0x0DA9, U"\u0921"}, {0x0DAA, U"\u0922"}, {0x0DAB, U"\u0923"}, {0x0DAC, U"\u0921"},
    {0x0DAD, U"\u0924"}, {0x0DAE, U"\u0925"}, {0x0DAF, U"\u0926"}, {0x0DB0, U"\u0927"},
    {0x0DB1, U"\u0928"}, {0x0DB3, U"\u0926"}, {0x0DB4, U"\u092A"}, {0x0DB5, U"\u092B"},
    {0x0DB6, U"\u092C"}, {0x0DB7, U"\u092D"}, {0x0DB8, U"\u092E"}, {0x0DB9, U"\u092C"},
    {0x0DBA, U"\u092F"}, {0x0DBB, U"\u0930"}, {0x0DBD, U"\u0932"}, {0x0DC0, U"\u0935"},
    {0x0DC1, U"\u0936"}, {0x0DC2, U"\u0937"}, {0x0DC3, U"\u0938"}, {0x0DC4, U"\u0939"},
    {0x0DC5, U"\u0933"}, {0x0DC6, U"\u092B\u093C"}, {0x0DCA, U"\u094D"}, {0x0DCF, U"\u093E"},
    {0x0DD0, U"\u0945"}, {0x0DD1, U"\u0945"}, {0x0DD2, U"\u093F"}, {0x0DD3, U"\u0940"},
    {0x0DD4, U"\u0941"}, {0x0DD6, U"\u0942"}, {0x0DD8, U"\u0943"}, {0x0DD9, U"\u0946"},
    {0x0DDA, U"\u0947"}, {0x0DDB, U"\u0948"}, {0x0DDC, U"\u094A"}, {0x0DDD, U"\u094B"},
    {0x0DDE, U"\u094C"}, {0x0DDF, U"\u0962"}, {0x0DF2, U"\u0944"}, {0x0DF3, U"\u0963"},
    {0x0DF4, U"\u0964"},
};

struct ArabicLetter {
  char32_t source;
  ArabicRole role;
  char16_t target;
};

constexpr ArabicLetter arabic_letters[] = {
    // Urdu, Persian and Arabic consonants; the Arabic emphatics and interdentals merge with the
    // consonant Urdu speakers pronounce, nukta dropped.
    {0x0628, ArabicRole::consonant, u'\u092C'}, {0x067E, ArabicRole::consonant, u'\u092A'},
    {0x062A, ArabicRole::consonant, u'\u0924'}, {0x0679, ArabicRole::consonant, u'\u091F'},
    {0x062B, ArabicRole::consonant, u'\u0938'}, {0x062C, ArabicRole::consonant, u'\u091C'},
    {0x0686, ArabicRole::consonant, u'\u091A'}, {0x062D, ArabicRole::consonant, u'\u0939'},
    {0x062E, ArabicRole::consonant, u'\u0916'}, {0x062F, ArabicRole::consonant, u'\u0926'},
    {0x0688, ArabicRole::consonant, u'\u0921'}, {0x0630, ArabicRole::consonant, u'\u091C'},
    {0x0631, ArabicRole::consonant, u'\u0930'}, {0x0691, ArabicRole::consonant, u'\u0921'},
    {0x0632, ArabicRole::consonant, u'\u091C'}, {0x0698, ArabicRole::consonant, u'\u091C'},
    {0x0633, ArabicRole::consonant, u'\u0938'}, {0x0634, ArabicRole::consonant, u'\u0936'},
    {0x0635, ArabicRole::consonant, u'\u0938'}, {0x0636, ArabicRole::consonant, u'\u091C'},
    {0x0637, ArabicRole::consonant, u'\u0924'}, {0x0638, ArabicRole::consonant, u'\u091C'},
    {0x063A, ArabicRole::consonant, u'\u0917'}, {0x0641, ArabicRole::consonant, u'\u092B'},
    {0x0642, ArabicRole::consonant, u'\u0915'}, {0x06A9, ArabicRole::consonant, u'\u0915'},
    {0x0643, ArabicRole::consonant, u'\u0915'}, {0x06AA, ArabicRole::consonant, u'\u0915'},
    {0x06AF, ArabicRole::consonant, u'\u0917'}, {0x0644, ArabicRole::consonant, u'\u0932'},
    {0x0645, ArabicRole::consonant, u'\u092E'}, {0x0646, ArabicRole::consonant, u'\u0928'},
    {0x06C1, ArabicRole::consonant, u'\u0939'}, {0x0647, ArabicRole::consonant, u'\u0939'},
    {0x06C2, ArabicRole::consonant, u'\u0939'}, {0x06C0, ArabicRole::consonant, u'\u0939'},
    {0x0629, ArabicRole::consonant, u'\u0939'}, {0x06C3, ArabicRole::consonant, u'\u0924'},
    // Sindhi implosives and aspirates
    {0x067B, ArabicRole::consonant, u'\u092C'}, {0x0684, ArabicRole::consonant, u'\u091C'},
    {0x0683, ArabicRole::consonant, u'\u091E'}, {0x0687, ArabicRole::consonant, u'\u091B'},
    {0x068C, ArabicRole::consonant, u'\u0927'}, {0x068D, ArabicRole::consonant, u'\u0922'},
    {0x068A, ArabicRole::consonant, u'\u0921'}, {0x068F, ArabicRole::consonant, u'\u0921'},
    {0x06A6, ArabicRole::consonant, u'\u092B'}, {0x06BB, ArabicRole::consonant, u'\u0923'},
    {0x06B3, ArabicRole::consonant, u'\u0917'}, {0x06B1, ArabicRole::consonant, u'\u0919'},
    {0x067A, ArabicRole::consonant, u'\u0920'}, {0x067D, ArabicRole::consonant, u'\u091F'},
    {0x067F, ArabicRole::consonant, u'\u0925'}, {0x0680, ArabicRole::consonant, u'\u092D'},
    {0x0699, ArabicRole::consonant, u'\u0921'},
    // Pashto retroflexes
    {0x067C, ArabicRole::consonant, u'\u091F'}, {0x0689, ArabicRole::consonant, u'\u0921'},
    {0x0693, ArabicRole::consonant, u'\u0921'}, {0x0696, ArabicRole::consonant, u'\u091C'},
    {0x069A, ArabicRole::consonant, u'\u0936'}, {0x06AB, ArabicRole::consonant, u'\u0917'},
    {0x06BC, ArabicRole::consonant, u'\u0923'}, {0x0681, ArabicRole::consonant, u'\u091C'},
    {0x0685, ArabicRole::consonant, u'\u0938'},
    // Letters of Kashmiri, Kurdish, Uyghur, Kyrgyz, Jawi and older Sindhi spelling: the consonant
    // or vowel letter they are a variant of.
    {0x063B, ArabicRole::consonant, u'\u0915'}, {0x063C, ArabicRole::consonant, u'\u0915'},
    {0x066E, ArabicRole::consonant, u'\u092C'}, {0x066F, ArabicRole::consonant, u'\u0915'},
    {0x0682, ArabicRole::consonant, u'\u0939'}, {0x068B, ArabicRole::consonant, u'\u0921'},
    {0x068E, ArabicRole::consonant, u'\u0921'}, {0x0690, ArabicRole::consonant, u'\u0926'},
    {0x0692, ArabicRole::consonant, u'\u0930'}, {0x0694, ArabicRole::consonant, u'\u0930'},
    {0x0695, ArabicRole::consonant, u'\u0930'}, {0x0697, ArabicRole::consonant, u'\u0930'},
    {0x069B, ArabicRole::consonant, u'\u0938'}, {0x069C, ArabicRole::consonant, u'\u0938'},
    {0x069D, ArabicRole::consonant, u'\u0938'}, {0x069E, ArabicRole::consonant, u'\u0938'},
    {0x069F, ArabicRole::consonant, u'\u0924'}, {0x06A0, ArabicRole::consonant, u'\u0917'},
    {0x06A1, ArabicRole::consonant, u'\u092B'}, {0x06A2, ArabicRole::consonant, u'\u092B'},
    {0x06A3, ArabicRole::consonant, u'\u092B'}, {0x06A4, ArabicRole::consonant, u'\u0935'},
    {0x06A5, ArabicRole::consonant, u'\u092B'}, {0x06A7, ArabicRole::consonant, u'\u0915'},
    {0x06A8, ArabicRole::consonant, u'\u0915'}, {0x06AC, ArabicRole::consonant, u'\u0915'},
    {0x06AD, ArabicRole::consonant, u'\u0919'}, {0x06AE, ArabicRole::consonant, u'\u0915'},
    {0x06B0, ArabicRole::consonant, u'\u0917'}, {0x06B2, ArabicRole::consonant, u'\u0917'},
    {0x06B4, ArabicRole::consonant, u'\u0917'}, {0x06B5, ArabicRole::consonant, u'\u0932'},
    {0x06B6, ArabicRole::consonant, u'\u0932'}, {0x06B7, ArabicRole::consonant, u'\u0932'},
    {0x06B8, ArabicRole::consonant, u'\u0932'}, {0x06B9, ArabicRole::consonant, u'\u0928'},
    {0x06BD, ArabicRole::consonant, u'\u0928'}, {0x06BF, ArabicRole::consonant, u'\u091A'},
    {0x06CB, ArabicRole::consonant, u'\u0935'}, {0x06EE, ArabicRole::consonant, u'\u0926'},
    {0x06EF, ArabicRole::consonant, u'\u0930'}, {0x06FA, ArabicRole::consonant, u'\u0936'},
    {0x06FB, ArabicRole::consonant, u'\u091C'}, {0x06FC, ArabicRole::consonant, u'\u0917'},
    {0x06FF, ArabicRole::consonant, u'\u0939'},
    {0x0672, ArabicRole::alef, 0}, {0x0673, ArabicRole::alef, 0}, {0x0675, ArabicRole::alef, 0},
    {0x0676, ArabicRole::waw, 0}, {0x0677, ArabicRole::waw, 0}, {0x06C4, ArabicRole::waw, 0},
    {0x06C5, ArabicRole::waw, 0}, {0x06C6, ArabicRole::waw, 0}, {0x06C7, ArabicRole::waw, 0},
    {0x06C8, ArabicRole::waw, 0}, {0x06C9, ArabicRole::waw, 0}, {0x06CA, ArabicRole::waw, 0},
    {0x06CF, ArabicRole::waw, 0}, {0x0620, ArabicRole::yeh, 0}, {0x063D, ArabicRole::yeh, 0},
    {0x063E, ArabicRole::yeh, 0}, {0x063F, ArabicRole::yeh, 0}, {0x0678, ArabicRole::yeh, 0},
    {0x06CE, ArabicRole::yeh, 0}, {0x06D1, ArabicRole::yeh, 0}, {0x06D5, ArabicRole::yeh_barree, 0},
    // Vowel letters and signs
    {0x0627, ArabicRole::alef, 0}, {0x0623, ArabicRole::alef, 0}, {0x0625, ArabicRole::alef, 0},
    {0x0671, ArabicRole::alef, 0}, {0x0649, ArabicRole::alef, 0}, {0x0622, ArabicRole::alef_madda, 0},
    {0x0648, ArabicRole::waw, 0}, {0x0624, ArabicRole::waw, 0}, {0x06CC, ArabicRole::yeh, 0},
    {0x064A, ArabicRole::yeh, 0}, {0x0626, ArabicRole::yeh, 0}, {0x06CD, ArabicRole::yeh, 0},
    {0x06D2, ArabicRole::yeh_barree, 0}, {0x06D3, ArabicRole::yeh_barree, 0},
    {0x06D0, ArabicRole::yeh_barree, 0}, {0x06BE, ArabicRole::aspiration, 0},
    {0x06BA, ArabicRole::ghunna, 0}, {0x0639, ArabicRole::ain, 0},
    // Hamza and tatweel carry no sound of their own here.
    {0x0621, ArabicRole::drop, 0}, {0x0674, ArabicRole::drop, 0}, {0x0640, ArabicRole::drop, 0},
    {0x06E5, ArabicRole::drop, 0}, {0x06E6, ArabicRole::drop, 0},
};

Tables build_tables() {
  Tables t;
  for (std::size_t block = 0; block <= aligned_block_count; ++block) {
    for (char32_t offset = 0; offset < 128; ++offset) {
      const char32_t source = aligned_first + static_cast<char32_t>(block) * 0x80 + offset;
      // Offsets from 0x70 up hold each script's own symbols, numbers and extra letters; they
      // are kept unless listed in the overrides. Sinhala is all table.
      const bool by_offset = block < aligned_block_count && offset < 0x70 &&
                             u_charType(static_cast<UChar32>(source)) != U_UNASSIGNED;
      t.brahmic[block][offset] = replacement_of(by_offset ? std::u32string(1, 0x0900 + offset)
                                                          : std::u32string(1, source));
    }
  }
  auto apply = [&t](const Override& o) {
    auto& entry = t.brahmic[(o.source - aligned_first) >> 7][(o.source - aligned_first) & 0x7F];
    entry = replacement_of(o.target == keep ? std::u32string_view(&o.source, 1) : o.target);
  };
  for (const auto& o : aligned_overrides) apply(o);
  for (const auto& o : sinhala_table_entries) apply(o);

  for (char32_t c = 0x0600; c <= 0x06FF; ++c) {
    // Harakat, Quranic annotation and other combining marks: short vowels are not written in
    // the unvocalised text this is for, so dropping them keeps vocalised and plain text equal.
    if ((U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_MN_MASK) != 0) {
      t.arabic[c - 0x0600].role = ArabicRole::drop;
    }
  }
  for (const auto& letter : arabic_letters) t.arabic[letter.source - 0x0600] = {letter.role, letter.target};
  return t;
}

const Tables& tables() {
  static const Tables instance = build_tables();
  return instance;
}

char16_t aspirated(char16_t consonant) {
  switch (consonant) {
    case u'\u0915': return u'\u0916';  // क → ख
    case u'\u0917': return u'\u0918';  // ग → घ
    case u'\u091A': return u'\u091B';  // च → छ
    case u'\u091C': return u'\u091D';  // ज → झ
    case u'\u091F': return u'\u0920';  // ट → ठ
    case u'\u0921': return u'\u0922';  // ड → ढ
    case u'\u0924': return u'\u0925';  // त → थ
    case u'\u0926': return u'\u0927';  // द → ध
    case u'\u092A': return u'\u092B';  // प → फ
    case u'\u092C': return u'\u092D';  // ब → भ
    default: return 0;
  }
}

void put3(char* out, char16_t c) {
  out[0] = static_cast<char>(0xE0 | (c >> 12));
  out[1] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
  out[2] = static_cast<char>(0x80 | (c & 0x3F));
}

// Output buffer written through a raw pointer into the caller's string, whose capacity is reused
// from call to call; it grows geometrically, so a document costs a handful of allocations
// whatever its length.
class Output {
 public:
  Output(std::size_t input_size, std::string& text) : text_(text) {
    text_.resize(input_size + input_size / 2 + 64);
    cursor_ = text_.data();
    limit_ = cursor_ + text_.size();
  }

  // Makes room for n more bytes and returns where they go.
  char* reserve(std::size_t n) {
    if (static_cast<std::size_t>(limit_ - cursor_) < n) grow(n);
    return cursor_;
  }
  void advance(std::size_t n) { cursor_ += n; }
  std::size_t position() const { return static_cast<std::size_t>(cursor_ - text_.data()); }
  char* at(std::size_t position) { return text_.data() + position; }
  void finish() { text_.resize(position()); }

 private:
  [[gnu::noinline]] void grow(std::size_t n) {
    const std::size_t used = position();
    text_.resize(std::max(text_.size() * 2, used + n));
    cursor_ = text_.data() + used;
    limit_ = text_.data() + text_.size();
  }

  std::string& text_;
  char* cursor_ = nullptr;
  char* limit_ = nullptr;
};

// Tracks the reading of the previous Arabic letter within a word.
class ArabicWriter {
 public:
  explicit ArabicWriter(Output& out) : out_(out) {}

  void word_break() { previous_ = Previous::none; }

  void write(const ArabicEntry& entry) {
    switch (entry.role) {
      case ArabicRole::copy:
      case ArabicRole::drop: return;  // copy is handled by the caller
      case ArabicRole::consonant: consonant(entry.target); return;
      case ArabicRole::alef:
        if (previous_ == Previous::consonant) {
          vowel(u'\u093E');  // ा
        } else if (previous_ == Previous::bearer) {
          replace_bearer(u'\u0906');  // आ
        } else if (previous_ == Previous::none) {
          emit(u'\u0905');  // अ, the bearer of the vowel letters that may follow
          bearer_ = out_.position() - 3;
          previous_ = Previous::bearer;
        } else {
          vowel(u'\u0906');
        }
        return;
      case ArabicRole::alef_madda:
        if (previous_ == Previous::bearer) {
          replace_bearer(u'\u0906');
        } else {
          vowel(previous_ == Previous::consonant ? u'\u093E' : u'\u0906');
        }
        return;
      case ArabicRole::waw: vowel_letter(u'\u0935', u'\u094B', u'\u0913'); return;  // व ो ओ
      case ArabicRole::yeh: vowel_letter(u'\u092F', u'\u0940', u'\u0908'); return;  // य ी ई
      case ArabicRole::yeh_barree:
        if (previous_ == Previous::bearer) {
          replace_bearer(u'\u090F');  // ए
        } else {
          vowel(previous_ == Previous::consonant ? u'\u0947' : u'\u090F');  // े ए
        }
        return;
      case ArabicRole::aspiration:
        if (previous_ == Previous::consonant) {
          if (const char16_t a = aspirated(last_consonant_)) {
            put3(out_.at(out_.position() - 3), a);
            last_consonant_ = a;
            return;
          }
        }
        consonant(u'\u0939');  // ह
        return;
      case ArabicRole::ghunna: vowel(u'\u0902'); return;  // ं
      case ArabicRole::ain:
        if (previous_ == Previous::none) {
          emit(u'\u0905');
          bearer_ = out_.position() - 3;
          previous_ = Previous::bearer;
        }
        return;
    }
  }

 private:
  enum class Previous : std::uint8_t { none, consonant, bearer, vowel };

  void emit(char16_t c) {
    put3(out_.reserve(3), c);
    out_.advance(3);
  }
  void consonant(char16_t c) {
    emit(c);
    last_consonant_ = c;
    previous_ = Previous::consonant;
  }
  void vowel(char16_t c) {
    emit(c);
    previous_ = Previous::vowel;
  }
  void replace_bearer(char16_t c) {
    put3(out_.at(bearer_), c);
    previous_ = Previous::vowel;
  }
  // Waw and yeh: a consonant at the start of a word or after a vowel, a vowel sign after a
  // consonant, and the independent vowel after an initial alef.
  void vowel_letter(char16_t as_consonant, char16_t as_sign, char16_t as_independent) {
    switch (previous_) {
      case Previous::consonant: vowel(as_sign); return;
      case Previous::bearer: replace_bearer(as_independent); return;
      case Previous::none:
      case Previous::vowel: consonant(as_consonant); return;
    }
  }

  Output& out_;
  Previous previous_ = Previous::none;
  char16_t last_consonant_ = 0;
  std::size_t bearer_ = 0;
};

bool is_nukta(const Replacement& r) {
  return r.length == 3 && r.bytes[0] == '\xE0' && r.bytes[1] == '\xA4' && r.bytes[2] == '\xBC';
}

// Three Devanagari nukta letters are not composition exclusions (ऩ ऱ ऴ): NFC writes them as
// one code point, so the consonant just written takes the nukta in, keeping the output in the
// form normalise() gives Devanagari text. Returns false when the consonant is another one.
bool compose_nukta(Output& out) {
  if (out.position() < 3) return false;
  char* last = out.at(out.position() - 3);
  if (last[0] != '\xE0' || last[1] != '\xA4') return false;
  switch (last[2]) {
    case '\xA8': last[2] = '\xA9'; return true;  // न → ऩ
    case '\xB0': last[2] = '\xB1'; return true;  // र → ऱ
    case '\xB3': last[2] = '\xB4'; return true;  // ळ → ऴ
    default: return false;
  }
}

bool is_gurmukhi_consonant(char32_t c) { return (c >= 0x0A15 && c <= 0x0A39) || (c >= 0x0A59 && c <= 0x0A5E); }

// ICU transliterators are slow to build and not safe to share between threads: one prototype
// per id is built under a lock, and each thread works on its own clone.
icu::Transliterator& transliterator(const char* id) {
  thread_local std::map<std::string, std::unique_ptr<icu::Transliterator>, std::less<>> per_thread;
  if (auto it = per_thread.find(std::string_view(id)); it != per_thread.end()) return *it->second;

  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<icu::Transliterator>, std::less<>> prototypes;
  std::unique_ptr<icu::Transliterator> copy;
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = prototypes.find(std::string_view(id));
    if (it == prototypes.end()) {
      UErrorCode status = U_ZERO_ERROR;
      std::unique_ptr<icu::Transliterator> created(
          icu::Transliterator::createInstance(icu::UnicodeString::fromUTF8(id), UTRANS_FORWARD, status));
      if (U_FAILURE(status) || !created) {
        throw Error(ErrorCode::usage, std::string("ICU has no transliterator \"") + id + "\": " + u_errorName(status));
      }
      it = prototypes.emplace(id, std::move(created)).first;
    }
    copy.reset(it->second->clone());
  }
  return *per_thread.emplace(id, std::move(copy)).first->second;
}

std::string apply_icu(std::string_view utf8, const char* id) {
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  transliterator(id).transliterate(text);
  std::string out;
  text.toUTF8String(out);
  return out;
}

const char* icu_id(Script script) {
  switch (script) {
    case Script::bengali: return "Bengali-Devanagari";
    case Script::gurmukhi: return "Gurmukhi-Devanagari";
    case Script::gujarati: return "Gujarati-Devanagari";
    case Script::oriya: return "Oriya-Devanagari";
    case Script::tamil: return "Tamil-Devanagari";
    case Script::telugu: return "Telugu-Devanagari";
    case Script::kannada: return "Kannada-Devanagari";
    case Script::malayalam: return "Malayalam-Devanagari";
    case Script::cyrillic: return "Cyrillic-Latin";
    case Script::greek: return "Greek-Latin";
    case Script::han: return "Traditional-Simplified";
    default: return nullptr;
  }
}

}  // namespace

std::string to_devanagari(std::string_view utf8) {
  std::string text;
  to_devanagari(utf8, text);
  return text;
}

void to_devanagari(std::string_view utf8, std::string& text) {
  const Tables& t = tables();
  Output out(utf8.size(), text);
  ArabicWriter arabic(out);
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  const auto* end = p + utf8.size();
  while (p < end) {
    if (*p < 0x80) {
      const auto* run = p;
      while (p < end && *p < 0x80) ++p;
      const auto n = static_cast<std::size_t>(p - run);
      std::memcpy(out.reserve(n), run, n);
      out.advance(n);
      arabic.word_break();
      continue;
    }
    const auto* start = p;
    char32_t c = 0;
    // The two- and three-byte forms of the blocks handled here, decoded inline: the general
    // decoder's checks cost a third of the time on Indic text.
    if (*p == 0xE0 && end - p >= 3 && p[1] >= 0xA0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
      c = (static_cast<char32_t>(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
      p += 3;
    } else if ((*p & 0xE0) == 0xC0 && *p >= 0xC2 && end - p >= 2 && (p[1] & 0xC0) == 0x80) {
      c = (static_cast<char32_t>(*p & 0x1F) << 6) | (p[1] & 0x3F);
      p += 2;
    } else if (!decode_utf8(p, end, c)) {
      continue;  // invalid byte: dropped
    }
    if (c >= aligned_first && c <= sinhala_last) {
      arabic.word_break();
      if (c == gurmukhi_addak) {
        // Addak doubles the next consonant: ਪੱਕਾ is पक्का. Before anything else it is dropped.
        const auto* next = p;
        char32_t following = 0;
        if (next < end && decode_utf8(next, end, following) && is_gurmukhi_consonant(following)) {
          const Replacement& r = t.brahmic[(following - aligned_first) >> 7][(following - aligned_first) & 0x7F];
          char* o = out.reserve(16);
          std::memcpy(o, r.bytes, sizeof r.bytes);
          put3(o + r.length, u'\u094D');
          out.advance(r.length + 3u);
        }
        continue;
      }
      const Replacement& r = t.brahmic[(c - aligned_first) >> 7][(c - aligned_first) & 0x7F];
      if (is_nukta(r) && compose_nukta(out)) continue;
      std::memcpy(out.reserve(sizeof r.bytes), r.bytes, sizeof r.bytes);
      out.advance(r.length);
      continue;
    }
    if (c >= 0x0600 && c <= 0x06FF) {
      const ArabicEntry& entry = t.arabic[c - 0x0600];
      if (entry.role != ArabicRole::copy) {
        arabic.write(entry);
        continue;
      }
    }
    arabic.word_break();
    const auto n = static_cast<std::size_t>(p - start);
    std::memcpy(out.reserve(n), start, n);
    out.advance(n);
  }
  out.finish();
}

std::string to_devanagari_icu(std::string_view utf8, Script script) {
  if (script == Script::devanagari || script == Script::unknown) return std::string(utf8);
  const char* id = icu_id(script);
  if (id == nullptr) {
    throw Error(ErrorCode::usage, std::string("ICU has no transliterator from script ") +
                                      std::string(script_code(script)) + "; use to_devanagari");
  }
  if (utf8.size() > static_cast<std::size_t>(INT32_MAX)) {
    throw Error(ErrorCode::usage, "to_devanagari_icu: text over 2 GiB");
  }
  return apply_icu(utf8, id);
}

std::string transliterate_icu(std::string_view utf8, const char* id) {
  if (utf8.size() > static_cast<std::size_t>(INT32_MAX)) throw Error(ErrorCode::usage, "transliterate_icu: text over 2 GiB");
  return apply_icu(utf8, id);
}

std::string to_pivot(std::string_view normalised_utf8) {
  std::string text;
  to_pivot(normalised_utf8, text);
  return text;
}

void to_pivot(std::string_view normalised_utf8, std::string& text) {
  to_devanagari(normalised_utf8, text);
  bool has_cyrillic = false, has_greek = false, has_han = false;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    if (*p < 0x80) {
      ++p;
      continue;
    }
    // Devanagari (U+0900..U+097F), nearly all of the output, is neither of them.
    if (*p == 0xE0 && end - p >= 3 && (p[1] == 0xA4 || p[1] == 0xA5) && (p[2] & 0xC0) == 0x80) {
      p += 3;
      continue;
    }
    char32_t c = 0;
    if (!decode_utf8(p, end, c)) continue;
    const Script s = script_of(c);
    has_cyrillic |= s == Script::cyrillic;
    has_greek |= s == Script::greek;
    has_han |= s == Script::han;
  }
  if (has_cyrillic) text = to_devanagari_icu(text, Script::cyrillic);
  if (has_greek) text = to_devanagari_icu(text, Script::greek);
  if (has_han) text = to_devanagari_icu(text, Script::han);
}

}  // namespace neardup::detail
