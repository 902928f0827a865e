#include "shingle/features.hpp"

#include <algorithm>
#include <array>
#include <unordered_map>

#include "sketch/hash.hpp"
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

constexpr std::uint32_t min_title_words = 4;
// Longer recurring lines are text copied with the story, not furniture.
constexpr std::uint32_t max_boilerplate_words = 12;

std::uint32_t count_words(std::string_view normalised) {
  return normalised.empty() ? 0 : static_cast<std::uint32_t>(std::count(normalised.begin(), normalised.end(), ' ') + 1);
}

bool is_ascii_digits(std::string_view word) {
  return !word.empty() && std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool starts_latin(std::string_view word) {
  return !word.empty() && ((word[0] >= 'a' && word[0] <= 'z') || (word[0] >= 'A' && word[0] <= 'Z'));
}

// Latin words written capitalised in the document and never in lower case: names, as far as
// spelling shows them (sentence-initial "The" is also written "the" somewhere).
std::unordered_set<std::string> latin_names(std::string_view text) {
  std::unordered_set<std::string> capitalised;
  std::unordered_set<std::string> lowercase;
  for (std::size_t i = 0; i < text.size();) {
    if (!starts_latin(text.substr(i, 1))) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && starts_latin(text.substr(end, 1))) ++end;
    std::string word(text.substr(i, end - i));
    const bool upper = word[0] >= 'A' && word[0] <= 'Z';
    for (char& c : word) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    (upper ? capitalised : lowercase).insert(std::move(word));
    i = end;
  }
  for (const auto& word : lowercase) capitalised.erase(word);
  return capitalised;
}

// A nasal before a consonant takes the consonant's place (Trump/ट्रंप, Hindi anusvara/म्):
// write every such nasal as n.
void assimilate_nasals(std::string& key) {
  for (std::size_t i = 0; i + 1 < key.size(); ++i) {
    const char next = key[i + 1];
    const bool next_is_consonant = next != 'a' && next != 'i' && next != 'u' && next != 'e' && next != 'o' &&
                                   !(next >= '0' && next <= '9');
    if (key[i] == 'm' && next_is_consonant) key[i] = 'n';
  }
}

// Names are matched by their consonants where they have enough of them to be specific;
// short ones (Kim, Un) keep their vowels so that they do not collide with common words.
std::string name_key(const std::string& key) {
  std::string skeleton = consonant_skeleton(key);
  return skeleton.size() >= 3 ? skeleton : key;
}

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

std::uint64_t shingle_of(const std::uint64_t* word_hashes, std::size_t count) {
  return hash64(word_hashes, count * sizeof(std::uint64_t), shingle_seed);
}

}  // namespace

std::vector<NormalisedLine> normalised_lines(std::string_view text) {
  std::vector<NormalisedLine> lines;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    NormalisedLine line;
    line.span = {static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end)};
    line.text = normalise(text.substr(begin, end - begin));
    if (!line.text.empty()) {
      line.hash = hash64(line.text, line_seed);
      line.words = count_words(line.text);
      lines.push_back(std::move(line));
    }
    begin = end + 1;
  }
  return lines;
}

std::unordered_set<std::uint64_t> find_boilerplate(const std::vector<std::vector<NormalisedLine>>& corpus_lines) {
  std::unordered_map<std::uint64_t, std::uint32_t> occurrences;
  for (const auto& lines : corpus_lines)
    for (const auto& line : lines)
      if (line.words <= max_boilerplate_words) ++occurrences[line.hash];
  std::unordered_set<std::uint64_t> boilerplate;
  for (const auto& [hash, count] : occurrences)
    if (count >= 2) boilerplate.insert(hash);
  return boilerplate;
}

namespace {

// What prepare() and anchor_spellings() both walk: every word of every content sentence.
struct WordVisitor {
  virtual ~WordVisitor() = default;
  virtual void sentence(Span span) = 0;
  virtual void word(std::string_view normalised_word) = 0;
  virtual void gram(std::uint64_t hash) = 0;
  virtual void anchor(std::uint64_t hash, std::string_view normalised_word) = 0;
  virtual void boilerplate_line() = 0;
};

void walk_words(const Document& document, const std::vector<NormalisedLine>& lines,
                const std::unordered_set<std::uint64_t>& boilerplate, WordVisitor& visitor) {
  const std::unordered_set<std::string> names = latin_names(document.text);
  std::string key;
  std::vector<std::uint64_t> grams;
  for (const auto& line : lines) {
    if (boilerplate.count(line.hash) != 0) {
      visitor.boilerplate_line();
      continue;
    }
    const std::string_view original = std::string_view(document.text).substr(line.span.begin, line.span.end - line.span.begin);
    for (const Span& sentence_span : sentences(original)) {
      visitor.sentence({line.span.begin + sentence_span.begin, line.span.begin + sentence_span.end});
      const std::string text = normalise(original.substr(sentence_span.begin, sentence_span.end - sentence_span.begin));
      for (const Span& word_span : words(text)) {
        const std::string_view word = std::string_view(text).substr(word_span.begin, word_span.end - word_span.begin);
        visitor.word(word);
        if (is_ascii_digits(word)) {
          visitor.anchor(hash64(word, anchor_seed), word);
          continue;
        }
        key.clear();
        append_phonetic_key(to_pivot(word), key);
        if (key.empty()) continue;
        assimilate_nasals(key);
        grams.clear();
        add_grams(key, grams);
        for (std::uint64_t gram : grams) visitor.gram(gram);
        const bool latin = starts_latin(word);
        if ((!latin && key.size() >= 3) || (latin && names.count(std::string(word)) != 0))
          visitor.anchor(hash64(name_key(key), anchor_seed), word);
      }
    }
  }
}

class FeatureCollector final : public WordVisitor {
 public:
  explicit FeatureCollector(PreparedDocument& prepared) : prepared_(prepared) {}
  void sentence(Span span) override {
    drop_empty_sentence();
    prepared_.sentences.push_back({span, {}, {}});
  }
  void word(std::string_view word) override { word_hashes.push_back(hash64(word, word_seed)); }
  void gram(std::uint64_t hash) override { prepared_.sentences.back().grams.push_back(hash); }
  void anchor(std::uint64_t hash, std::string_view) override { prepared_.sentences.back().anchors.push_back(hash); }
  void boilerplate_line() override { ++prepared_.boilerplate_lines; }
  void drop_empty_sentence() {
    if (!prepared_.sentences.empty() && prepared_.sentences.back().grams.empty() && prepared_.sentences.back().anchors.empty())
      prepared_.sentences.pop_back();
  }
  std::vector<std::uint64_t> word_hashes;

 private:
  PreparedDocument& prepared_;
};

class SpellingCollector final : public WordVisitor {
 public:
  void sentence(Span) override {}
  void word(std::string_view) override {}
  void gram(std::uint64_t) override {}
  void anchor(std::uint64_t hash, std::string_view word) override { spellings.try_emplace(hash, word); }
  void boilerplate_line() override {}
  std::unordered_map<std::uint64_t, std::string> spellings;
};

}  // namespace

PreparedDocument prepare(const Document& document, const std::vector<NormalisedLine>& lines,
                         const std::unordered_set<std::uint64_t>& boilerplate, std::uint32_t word_shingle) {
  PreparedDocument prepared;
  const ScriptProfile profile = profile_scripts(document.text);
  prepared.script = profile.dominant;
  prepared.script_share = profile.dominant_share;
  prepared.lang = document.lang.empty() ? detect_language(document.text, profile) : document.lang;

  std::string whole;
  for (const auto& line : lines) {
    if (!whole.empty()) whole.push_back(' ');
    whole += line.text;
  }
  prepared.exact_hash = hash64(whole, line_seed);

  // The title is the first line that reads as a phrase: one- to three-word lines at the top
  // are section labels ("Breaking News", "अन्तर्राष्ट्रीय").
  const NormalisedLine* title = nullptr;
  for (const auto& line : lines) {
    if (boilerplate.count(line.hash) != 0) continue;
    if (title == nullptr) title = &line;
    if (line.words >= min_title_words) {
      title = &line;
      break;
    }
  }
  if (title != nullptr) prepared.title = title->span;

  FeatureCollector collector(prepared);
  walk_words(document, lines, boilerplate, collector);
  collector.drop_empty_sentence();
  const std::vector<std::uint64_t>& word_hashes = collector.word_hashes;
  prepared.content_words = static_cast<std::uint32_t>(word_hashes.size());

  const std::size_t n = word_shingle;
  if (word_hashes.size() < n) {
    if (!word_hashes.empty()) prepared.word_shingles.push_back(shingle_of(word_hashes.data(), word_hashes.size()));
  } else {
    prepared.word_shingles.reserve(word_hashes.size() - n + 1);
    for (std::size_t i = 0; i + n <= word_hashes.size(); ++i) prepared.word_shingles.push_back(shingle_of(&word_hashes[i], n));
  }
  std::sort(prepared.word_shingles.begin(), prepared.word_shingles.end());
  prepared.word_shingles.erase(std::unique(prepared.word_shingles.begin(), prepared.word_shingles.end()),
                               prepared.word_shingles.end());
  return prepared;
}

std::unordered_map<std::uint64_t, std::string> anchor_spellings(const Document& document, const std::vector<NormalisedLine>& lines,
                                                               const std::unordered_set<std::uint64_t>& boilerplate) {
  SpellingCollector collector;
  walk_words(document, lines, boilerplate, collector);
  return std::move(collector.spellings);
}

}  // namespace neardup::detail
