#include "bench_corpus.hpp"

#include <filesystem>
#include <iterator>
#include <map>
#include <random>

#include "neardup/ingest.hpp"

namespace neardup::bench {
namespace {

// Site furniture as news pages carry it, in English and Hindi, so that the boilerplate
// detector has real work.
constexpr std::string_view boilerplate_lines[] = {
    "Also read", "Related Articles", "Share this article", "Follow us on Twitter", "Advertisement",
    "Image copyright Getty Images", "Read more", "Subscribe to our newsletter", "ये भी पढ़ें",
    "संबंधित ख़बरें", "विज्ञापन", "हमें फ़ेसबुक पर फॉलो करें",
};

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    lines.emplace_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return lines;
}

void append_json_string(std::string& out, std::string_view text) {
  out.push_back('"');
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static constexpr char hex[] = "0123456789abcdef";
      out += "\\u00";
      out.push_back(hex[(c >> 4) & 0xF]);
      out.push_back(hex[c & 0xF]);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

// The lines of real stories that exist in the same versions, line-aligned across versions (the
// dev corpus translates line by line): lines[v][i] is line i in version variants[v].
struct LinePool {
  std::vector<std::string> variants;
  std::vector<std::vector<std::string>> lines;
};

// The largest pool of stories sharing one set of versions: the dev corpus's stories when it is
// present (1,007 lines in 17 versions), else the seeds.
LinePool line_pool_of(const std::vector<Document>& real) {
  std::map<std::string, std::map<std::string, std::vector<std::string>>> stories;  // story -> variant -> lines
  for (const auto& document : real) {
    const std::string_view id = document.id;
    const std::string story = variant_of(document) == "seed" ? document.id : std::string(id.substr(0, id.rfind('.')));
    stories[story][std::string(variant_of(document))] = split_lines(document.text);
  }
  std::map<std::vector<std::string>, LinePool> pools;  // by the story's set of versions
  for (auto& [name, versions] : stories) {
    const std::size_t count = versions.begin()->second.size();
    bool aligned = true;
    for (const auto& [variant, lines] : versions) aligned &= lines.size() == count;
    if (!aligned) continue;
    std::vector<std::string> variants;
    for (const auto& [variant, lines] : versions) variants.push_back(variant);
    LinePool& pool = pools[variants];
    pool.variants = variants;
    pool.lines.resize(variants.size());
    std::size_t v = 0;
    for (auto& [variant, lines] : versions) {
      auto& into = pool.lines[v++];
      into.insert(into.end(), std::make_move_iterator(lines.begin()), std::make_move_iterator(lines.end()));
    }
  }
  auto lines_in = [](const LinePool& pool) { return pool.lines.empty() ? 0 : pool.lines.size() * pool.lines.front().size(); };
  LinePool largest;
  for (auto& [variants, pool] : pools)
    if (lines_in(pool) > lines_in(largest)) largest = std::move(pool);
  return largest;
}

}  // namespace

std::vector<Document> load_real_documents() {
  std::vector<std::string> paths{NEARDUP_FIXTURES_DIR "/seeds"};
  const std::string dev = NEARDUP_SHARED_DIR "/data/ntrex-dev/docs.jsonl";
  if (std::filesystem::exists(dev)) paths.push_back(dev);
  return read_inputs(paths, {}).documents;
}

std::string_view variant_of(const Document& document) {
  const std::size_t dot = document.id.rfind('.');
  return dot == std::string::npos ? std::string_view("seed") : std::string_view(document.id).substr(dot + 1);
}

bool is_indic_variant(std::string_view variant) {
  return variant != "seed" && variant.substr(0, 3) != "eng";
}

std::string generate_corpus_jsonl(const std::vector<Document>& real, std::size_t count, std::uint64_t seed) {
  const LinePool pool = line_pool_of(real);
  const std::size_t pool_lines = pool.lines.front().size();
  std::mt19937_64 rng(seed);
  auto below = [&rng](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  auto chance = [&rng](double p) { return std::uniform_real_distribution<double>(0.0, 1.0)(rng) < p; };

  std::string out;
  std::size_t written = 0;
  auto emit = [&](const std::vector<std::string>& lines) {
    std::string text;
    for (const auto& line : lines) {
      if (!text.empty()) text.push_back('\n');
      text += line;
    }
    out += "{\"id\":\"g" + std::to_string(written++) + "\",\"text\":";
    append_json_string(out, text);
    out += "}\n";
  };
  for (std::uint64_t tag = 0; written < count; ++tag) {
    // Every line drawn from the whole pool, so that unrelated stories rarely share more than a
    // line and true pairs, not chance overlaps, grow with the corpus.
    std::vector<std::size_t> picked(4 + below(5));
    for (auto& line : picked) line = below(pool_lines);
    const std::size_t versions = 1 + below(3);
    for (std::size_t v = 0; v < versions && written < count; ++v) {
      const auto& source = pool.lines[below(pool.variants.size())];
      std::vector<std::string> lines;
      for (std::size_t line : picked) lines.push_back(source[line]);
      lines[0] += " (" + std::to_string(10000 + tag) + ")";
      if (chance(0.5)) lines.insert(chance(0.5) ? lines.begin() : lines.end(), std::string(boilerplate_lines[below(std::size(boilerplate_lines))]));
      emit(lines);
      if (written < count && chance(0.1)) emit(lines);
      if (written < count && chance(0.2)) {
        auto edited = lines;
        if (edited.size() > 3) edited.erase(edited.begin() + 1 + static_cast<std::ptrdiff_t>(below(edited.size() - 1)));
        const std::size_t repeated = below(edited.size());
        edited.insert(edited.begin() + static_cast<std::ptrdiff_t>(repeated), edited[repeated]);
        edited.emplace_back(boilerplate_lines[below(std::size(boilerplate_lines))]);
        emit(edited);
      }
    }
  }
  return out;
}

}  // namespace neardup::bench
