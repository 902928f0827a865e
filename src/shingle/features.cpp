#include "shingle/features.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <unordered_map>

#include "ingest/utf8.hpp"
#include "sketch/hash.hpp"
#include "text/fold.hpp"
#include "text/language.hpp"
#include "text/normalise.hpp"
#include "text/phonetic.hpp"
#include "text/transliterate.hpp"

namespace neardup::detail {
namespace {

// Seeds keep the hash families apart: a word hash never equals a line or gram hash by design.
constexpr std::uint64_t line_seed = 0x6c696e65;
constexpr std::uint64_t word_seed = 0x776f7264;
constexpr std::uint64_t shingle_seed = 0x7368696e;
constexpr std::uint64_t gram_seed = 0x6772616d;
constexpr std::uint64_t anchor_seed = 0x616e6368;
constexpr std::uint64_t character_gram_seed = 0x63686172;

constexpr std::uint32_t min_title_words = 4;
// Longer recurring lines are text copied with the story, not furniture.
constexpr std::uint32_t max_boilerplate_words = 12;

std::uint32_t count_words(std::string_view normalised) {
  return normalised.empty() ? 0 : static_cast<std::uint32_t>(std::count(normalised.begin(), normalised.end(), ' ') + 1);
}

bool is_ascii_digits(std::string_view word) {
  return !word.empty() && std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// False for a word of Han, kana, Hangul or Thai letters only: to_pivot leaves them as they are
// and the phonetic key has no letters for them, so such a word has no key (and to_pivot, which
// runs ICU's Traditional-Simplified on Han, need not be asked).
bool can_have_key(std::string_view word) {
  const auto* p = reinterpret_cast<const unsigned char*>(word.data());
  const auto* end = p + word.size();
  while (p < end) {
    // ASCII and the two-byte scripts; the Indic blocks (U+0800..U+0DFF, all but Thai and Lao).
    if (*p < 0xE0 || (*p == 0xE0 && end - p > 1 && p[1] < 0xB8)) return true;
    char32_t c = 0;
    if (!decode_utf8(p, end, c)) return true;
    const bool keyless = (c >= 0x0E00 && c <= 0x0E7F) || (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3040 && c <= 0x30FF) ||
                         (c >= 0x3130 && c <= 0x318F) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
                         (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF);
    if (!keyless) return true;
  }
  return false;
}

bool starts_latin(std::string_view word) {
  return !word.empty() && ((word[0] >= 'a' && word[0] <= 'z') || (word[0] >= 'A' && word[0] <= 'Z'));
}

// Names are looked up by the words of the normalised text, without copying them.
struct NameHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view word) const noexcept { return hash64(word, 0); }
};

// Latin words written capitalised in the document and never in lower case: names, as far as
// spelling shows them (sentence-initial "The" is also written "the" somewhere). One table of
// every Latin word, lowercased, with how it was written.
class LatinNames {
 public:
  explicit LatinNames(std::string_view text) {
    std::string word;
    for (std::size_t i = 0; i < text.size();) {
      if (!starts_latin(text.substr(i, 1))) {
        ++i;
        continue;
      }
      std::size_t end = i;
      while (end < text.size() && starts_latin(text.substr(end, 1))) ++end;
      word.assign(text.substr(i, end - i));
      const std::uint8_t spelling = word[0] >= 'A' && word[0] <= 'Z' ? capitalised : lowercase;
      for (char& c : word) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      auto it = spellings_.find(word);
      if (it == spellings_.end()) it = spellings_.emplace(word, 0).first;
      it->second |= spelling;
      i = end;
    }
  }

  bool contains(std::string_view word) const {
    const auto it = spellings_.find(word);
    return it != spellings_.end() && it->second == capitalised;
  }

 private:
  static constexpr std::uint8_t capitalised = 1;
  static constexpr std::uint8_t lowercase = 2;
  std::unordered_map<std::string, std::uint8_t, NameHash, std::equal_to<>> spellings_;
};

void add_grams(const std::string& key, std::vector<std::uint64_t>& grams) {
  std::array<char, 64> bounded{};
  const std::size_t length = std::min<std::size_t>(key.size(), bounded.size() - 2);
  bounded[0] = '^';
  std::copy_n(key.data(), length, bounded.data() + 1);
  bounded[length + 1] = '$';
  const std::size_t total = length + 2;
  if (total <= key_ngram) {
    grams.push_back(hash64(bounded.data(), total, gram_seed));
    return;
  }
  for (std::size_t i = 0; i + key_ngram <= total; ++i) grams.push_back(hash64(bounded.data() + i, key_ngram, gram_seed));
}

// A word without a phonetic key (Han, kana, Hangul, Thai) is compared by its letters: its
// character bigrams, or the character itself when it is one. They meet only texts of the same
// script, across which the fold has already made Traditional and Simplified Chinese alike, so
// that two versions of a story in one of these languages have more to compare than numbers
// and Latin names; across scripts the anchors alone compare (score/similarity.hpp).
void add_character_grams(std::string_view word, std::vector<std::uint64_t>& grams) {
  const auto* begin = reinterpret_cast<const unsigned char*>(word.data());
  const auto* end = begin + word.size();
  const unsigned char* previous = nullptr;
  for (const unsigned char* p = begin; p < end;) {
    const unsigned char* start = p;
    char32_t c = 0;
    if (!decode_utf8(p, end, c)) continue;
    if (previous != nullptr) grams.push_back(hash64(previous, static_cast<std::size_t>(p - previous), character_gram_seed));
    previous = start;
  }
  if (previous == begin) grams.push_back(hash64(begin, word.size(), character_gram_seed));
}

std::uint64_t shingle_of(const std::uint64_t* word_hashes, std::size_t count) {
  return hash64(word_hashes, count * sizeof(std::uint64_t), shingle_seed);
}

}  // namespace

std::string line_title(std::string_view text, Span line) {
  return clip_utf8(text.substr(line.begin, line.end - line.begin), max_title_bytes);
}

std::vector<NormalisedLine> normalised_lines(std::string_view text) {
  std::vector<NormalisedLine> lines;
  // A line is hashed folded (text/fold.hpp), so that a site's furniture recurs alike in either
  // script of a language, and a copy in the other script loses the same lines as boilerplate.
  const ScriptFold fold = choose_fold(text);
  std::string folded;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    NormalisedLine line;
    line.span = {static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end)};
    line.text = normalise(text.substr(begin, end - begin));
    if (!line.text.empty()) {
      line.hash = hash64(fold.active() && fold_scripts(line.text, fold, folded) ? folded : line.text, line_seed);
      line.words = count_words(line.text);
      lines.push_back(std::move(line));
    }
    begin = end + 1;
  }
  return lines;
}

namespace {

constexpr int story_components = 4;

// Component k of a signature: 16 bits of the smallest of the long lines' hashes under the k-th
// multiplier (never 0, which marks a document without long lines).
std::uint64_t story_signature(const std::vector<NormalisedLine>& lines) {
  static constexpr std::array<std::uint64_t, story_components> multipliers = {0x9e3779b97f4a7c15ULL, 0xc2b2ae3d27d4eb4fULL,
                                                                              0x165667b19e3779f9ULL, 0xd6e8feb86659fd93ULL};
  std::array<std::uint64_t, story_components> smallest;
  smallest.fill(~std::uint64_t{0});
  bool any = false;
  for (const auto& line : lines) {
    if (line.words <= max_boilerplate_words) continue;
    any = true;
    for (int k = 0; k < story_components; ++k) smallest[k] = std::min(smallest[k], (line.hash ^ (line.hash >> 29)) * multipliers[k]);
  }
  if (!any) return 0;
  std::uint64_t signature = 0;
  for (int k = 0; k < story_components; ++k) signature |= std::max<std::uint64_t>(smallest[k] >> 48, 1) << (16 * k);
  return signature;
}

bool share_a_story(std::uint64_t x, std::uint64_t y) {
  if (x == 0 || y == 0) return false;
  for (int k = 0; k < story_components; ++k)
    if (((x >> (16 * k)) & 0xffff) == ((y >> (16 * k)) & 0xffff)) return true;
  return false;
}

}  // namespace

std::vector<ShortLine> short_lines(const std::vector<NormalisedLine>& lines) {
  const std::uint64_t story = story_signature(lines);
  std::vector<ShortLine> found;
  for (const auto& line : lines)
    if (line.words <= max_boilerplate_words) found.push_back({line.hash, story, 1});
  // A line repeated within one document (an image placeholder under every picture) is
  // furniture whatever the story: it goes without a signature, so that it recurs as such.
  std::vector<std::uint64_t> hashes;
  for (const auto& line : found) hashes.push_back(line.hash);
  std::sort(hashes.begin(), hashes.end());
  for (auto& line : found) {
    const auto [first, last] = std::equal_range(hashes.begin(), hashes.end(), line.hash);
    if (last - first >= 2) line.story = 0;
  }
  return found;
}

void merge_counts(std::vector<ShortLine>& lines) {
  std::sort(lines.begin(), lines.end(), [](const ShortLine& x, const ShortLine& y) {
    return x.hash < y.hash || (x.hash == y.hash && x.story < y.story);
  });
  std::size_t kept = 0;
  for (const ShortLine& line : lines) {
    if (kept > 0 && lines[kept - 1].hash == line.hash && lines[kept - 1].story == line.story)
      lines[kept - 1].count += line.count;
    else
      lines[kept++] = line;
  }
  lines.resize(kept);
}

std::unordered_set<std::uint64_t> find_boilerplate(std::vector<ShortLine> lines) {
  merge_counts(lines);
  std::unordered_set<std::uint64_t> boilerplate;
  for (std::size_t begin = 0, end = 0; begin < lines.size(); begin = end) {
    std::uint64_t seen = 0;
    bool across_stories = false;
    for (end = begin; end < lines.size() && lines[end].hash == lines[begin].hash; ++end) {
      seen += lines[end].count;
      // Sorted by signature, so those without one come first; every other is judged against
      // the first signature seen, which is one story's.
      if (lines[begin].story == 0 ? seen >= 2 : !share_a_story(lines[begin].story, lines[end].story)) across_stories = true;
    }
    if (across_stories) boilerplate.insert(lines[begin].hash);
  }
  return boilerplate;
}

std::unordered_set<std::uint64_t> find_boilerplate(const std::vector<std::vector<NormalisedLine>>& corpus_lines) {
  std::vector<ShortLine> lines;
  for (const auto& document : corpus_lines) {
    const auto found = short_lines(document);
    lines.insert(lines.end(), found.begin(), found.end());
  }
  return find_boilerplate(std::move(lines));
}

namespace {

// What prepare(), prepare_shingles() and anchor_spellings() walk: every word of every content
// sentence. The visitor is a template parameter so that the calls per word and per gram inline;
// a visitor without wants_anchors (the shingles) stops at the words, one without wants_grams
// (anchor_spellings) skips the grams and their hashing.
// The visitor's word() sees the words of the script-folded sentence (`fold`), which shingles
// compare; grams and anchors come from the words as written (to_pivot makes them comparable
// across scripts already), so that the features across languages do not depend on the fold
// (Han words, which have no phonetic key, are split once, folded).
template <class Visitor>
void walk_words(std::string_view document_text, const std::vector<NormalisedLine>& lines,
                const std::unordered_set<std::uint64_t>& boilerplate, const ScriptFold& fold, Visitor& visitor) {
  // Names matter only for Latin words: most Indic documents have none and skip the scan.
  std::optional<LatinNames> names;
  // Buffers reused for every line, sentence and word of the document.
  std::string key;
  std::string skeleton;
  std::string pivot;
  std::string normalised_sentence;
  std::string folded;
  std::vector<std::uint64_t> grams;
  std::vector<Span> sentence_spans;
  std::vector<Span> word_spans;
  for (const auto& line : lines) {
    if (boilerplate.count(line.hash) != 0) {
      visitor.boilerplate_line();
      continue;
    }
    const std::string_view original = document_text.substr(line.span.begin, line.span.end - line.span.begin);
    sentences(original, sentence_spans);
    for (const Span& sentence_span : sentence_spans) {
      visitor.sentence({line.span.begin + sentence_span.begin, line.span.begin + sentence_span.end});
      // A line that is one sentence holds nothing else but white space, which normalisation
      // drops at the ends: its normalised text is the sentence's.
      std::string_view text = line.text;
      if (sentence_spans.size() != 1) {
        normalise(original.substr(sentence_span.begin, sentence_span.end - sentence_span.begin), normalised_sentence);
        text = normalised_sentence;
      }
      // Folding may change word boundaries (Chinese is split by a dictionary): the folded text
      // is split on its own. Han characters give no phonetic key, so when only they are folded
      // the folded words give the same grams and anchors, and one split serves both.
      const bool refolded = fold.active() && fold_scripts(text, fold, folded);
      const bool split_apart = refolded && fold.cyrillic != CyrillicFold::none;
      if (refolded && !split_apart) text = folded;
      if (split_apart) {
        words(folded, word_spans);
        for (const Span& word_span : word_spans) visitor.word(std::string_view(folded).substr(word_span.begin, word_span.end - word_span.begin));
        if constexpr (!Visitor::wants_anchors) continue;
      }
      words(text, word_spans);
      for (const Span& word_span : word_spans) {
        const std::string_view word = text.substr(word_span.begin, word_span.end - word_span.begin);
        if (!split_apart) visitor.word(word);
        if constexpr (!Visitor::wants_anchors) continue;
        if (is_ascii_digits(word)) {
          visitor.anchor(hash64(word, anchor_seed), word);
          continue;
        }
        if (!can_have_key(word)) {
          if constexpr (Visitor::wants_grams) {
            grams.clear();
            add_character_grams(word, grams);
            for (std::uint64_t gram : grams) visitor.gram(gram);
          }
          continue;
        }
        key.clear();
        to_pivot(word, pivot);
        append_phonetic_key(pivot, key);
        if (key.empty()) continue;
        if constexpr (Visitor::wants_grams) {
          grams.clear();
          add_grams(key, grams);
          for (std::uint64_t gram : grams) visitor.gram(gram);
        }
        const bool latin = starts_latin(word);
        if (latin && !names) names.emplace(document_text);
        if ((!latin && key.size() >= 3) || (latin && names->contains(word)))
          visitor.anchor(hash64(name_key(key, skeleton), anchor_seed), word);
      }
    }
  }
}

// The words of the content sentences, which the word shingles are made of, and the boilerplate
// lines left out.
class WordCollector {
 public:
  static constexpr bool wants_anchors = false;
  static constexpr bool wants_grams = false;
  explicit WordCollector(PreparedDocument& prepared) : prepared_(prepared) {}
  // Sentences are numbered from their first word, so that one without words takes no number.
  void sentence(Span) { sentence_started_ = true; }
  void word(std::string_view word) {
    if (sentence_started_) ++sentence_, sentence_started_ = false;
    word_hashes.push_back(hash64(word, word_seed));
    word_sentences.push_back(sentence_ - 1);
  }
  void gram(std::uint64_t) {}
  void anchor(std::uint64_t, std::string_view) {}
  void boilerplate_line() { ++prepared_.boilerplate_lines; }
  void finish() {}
  std::vector<std::uint64_t> word_hashes;
  std::vector<std::uint32_t> word_sentences;  // of each word

 protected:
  PreparedDocument& prepared_;

 private:
  std::uint32_t sentence_ = 0;  // sentences with words so far
  bool sentence_started_ = false;
};

// The words and, by sentence, the phonetic grams and anchors that translations are found by.
class FeatureCollector : public WordCollector {
 public:
  static constexpr bool wants_anchors = true;
  static constexpr bool wants_grams = true;
  using WordCollector::WordCollector;
  void sentence(Span span) {
    WordCollector::sentence(span);
    drop_empty_sentence();
    prepared_.sentences.push_back({span, {}, {}});
  }
  void gram(std::uint64_t hash) { prepared_.sentences.back().grams.push_back(hash); }
  void anchor(std::uint64_t hash, std::string_view) { prepared_.sentences.back().anchors.push_back(hash); }
  void finish() { drop_empty_sentence(); }

 private:
  void drop_empty_sentence() {
    if (!prepared_.sentences.empty() && prepared_.sentences.back().grams.empty() && prepared_.sentences.back().anchors.empty())
      prepared_.sentences.pop_back();
  }
};

class SpellingCollector {
 public:
  static constexpr bool wants_anchors = true;
  static constexpr bool wants_grams = false;
  void sentence(Span) {}
  void word(std::string_view) {}
  void gram(std::uint64_t) {}
  void anchor(std::uint64_t hash, std::string_view word) { spellings.try_emplace(hash, word); }
  void boilerplate_line() {}
  std::unordered_map<std::uint64_t, std::string> spellings;
};

// Han, kana and Thai put no spaces between words: a headline in them is one or two "words", so
// two of their letters count as one word (a Latin name inside counts as its words).
bool reads_as_phrase(const NormalisedLine& line) {
  if (line.words >= min_title_words) return true;
  std::uint32_t spaceless_letters = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(line.text.data());
  const auto* end = p + line.text.size();
  while (p < end) {
    char32_t code_point = 0;
    if (!decode_utf8(p, end, code_point)) continue;
    const Script script = script_of(code_point);
    if (script == Script::han || script == Script::kana || script == Script::thai) {
      ++spaceless_letters;
      if (line.words + spaceless_letters / 2 >= min_title_words) return true;
    }
  }
  return false;
}

// The first line that reads as a phrase, leaving out the lines in `skipped` when given: one- to
// three-word lines at the top are section labels ("Breaking News", "अन्तर्राष्ट्रीय"), so the
// first line of all stands only when no line is longer.
Span first_phrase(const std::vector<NormalisedLine>& lines, const std::unordered_set<std::uint64_t>* skipped) {
  const NormalisedLine* first = nullptr;
  for (const auto& line : lines) {
    if (skipped != nullptr && skipped->count(line.hash) != 0) continue;
    if (first == nullptr) first = &line;
    if (reads_as_phrase(line)) return line.span;
  }
  return first == nullptr ? Span{} : first->span;
}

// What prepare() makes of the lines and words, whatever the script and language: the exact
// hash, the title, the word shingles and the counts, with the sentences' features when the
// collector gathers them.
template <class Collector>
void prepare_content(std::string_view text, const std::vector<NormalisedLine>& lines,
                     const std::unordered_set<std::uint64_t>& boilerplate, std::uint32_t word_shingle, PreparedDocument& prepared) {
  // The exact hash and the shingles are of the script-folded text: the same text in two scripts
  // of one language is the same text.
  const ScriptFold fold = choose_fold(text);
  std::string whole;
  std::string folded;
  for (const auto& line : lines) {
    if (!whole.empty()) whole.push_back(' ');
    whole += fold.active() && fold_scripts(line.text, fold, folded) ? folded : line.text;
  }
  prepared.exact_hash = hash64(whole, line_seed);

  prepared.title = first_phrase(lines, &boilerplate);
  prepared.headline = first_phrase(lines, nullptr);

  Collector collector(prepared);
  walk_words(text, lines, boilerplate, fold, collector);
  collector.finish();
  const std::vector<std::uint64_t>& word_hashes = collector.word_hashes;
  prepared.content_words = static_cast<std::uint32_t>(word_hashes.size());

  // Each shingle with the sentence of its first word; of repeated shingles, the first.
  const std::size_t n = std::min<std::size_t>(word_shingle, word_hashes.size());
  std::vector<std::pair<std::uint64_t, std::uint32_t>> shingles;
  if (n > 0) {
    shingles.reserve(word_hashes.size() - n + 1);
    for (std::size_t i = 0; i + n <= word_hashes.size(); ++i)
      shingles.emplace_back(shingle_of(&word_hashes[i], n), collector.word_sentences[i]);
  }
  std::sort(shingles.begin(), shingles.end());
  WordShingles& out = prepared.word_shingles;
  out.hashes.reserve(shingles.size());
  out.sentences.reserve(shingles.size());
  for (const auto& [hash, sentence] : shingles) {
    if (!out.hashes.empty() && out.hashes.back() == hash) continue;
    out.hashes.push_back(hash);
    out.sentences.push_back(sentence);
  }
}

}  // namespace

PreparedDocument prepare(const Document& document, const std::vector<NormalisedLine>& lines,
                         const std::unordered_set<std::uint64_t>& boilerplate, std::uint32_t word_shingle,
                         bool translation_features) {
  PreparedDocument prepared;
  const ScriptProfile profile = profile_scripts(document.text);
  prepared.script = profile.dominant;
  prepared.script_share = profile.dominant_share;
  prepared.lang = document.lang.empty() ? detect_language(document.text, profile) : document.lang;
  if (translation_features)
    prepare_content<FeatureCollector>(document.text, lines, boilerplate, word_shingle, prepared);
  else
    prepare_content<WordCollector>(document.text, lines, boilerplate, word_shingle, prepared);
  return prepared;
}

PreparedDocument prepare_shingles(std::string_view text, const std::vector<NormalisedLine>& lines,
                                  const std::unordered_set<std::uint64_t>& boilerplate, std::uint32_t word_shingle) {
  PreparedDocument prepared;
  prepare_content<WordCollector>(text, lines, boilerplate, word_shingle, prepared);
  return prepared;
}

std::unordered_map<std::uint64_t, std::string> anchor_spellings(const Document& document, const std::vector<NormalisedLine>& lines,
                                                               const std::unordered_set<std::uint64_t>& boilerplate) {
  SpellingCollector collector;
  walk_words(document.text, lines, boilerplate, ScriptFold{}, collector);
  return std::move(collector.spellings);
}

}  // namespace neardup::detail
