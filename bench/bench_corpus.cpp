#include "bench_corpus.hpp"

#include <filesystem>
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

// One real story: its versions, line-aligned (the dev corpus translates line by line).
struct Story {
  std::vector<std::string> variants;
  std::vector<std::vector<std::string>> lines;  // per variant
};

std::vector<Story> stories_of(const std::vector<Document>& real) {
  std::map<std::string, Story> by_story;
  for (const auto& document : real) {
    const std::string_view id = document.id;
    const std::string story(id.substr(0, id.rfind('.')));
    Story& s = by_story[variant_of(document) == "seed" ? document.id : story];
    s.variants.emplace_back(variant_of(document));
    s.lines.push_back(split_lines(document.text));
  }
  std::vector<Story> stories;
  for (auto& [name, story] : by_story) {
    bool aligned = true;
    for (const auto& lines : story.lines) aligned &= lines.size() == story.lines.front().size();
    if (aligned) stories.push_back(std::move(story));
  }
  return stories;
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
  const std::vector<Story> stories = stories_of(real);
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
    const Story& base = stories[below(stories.size())];
    const Story& other = stories[below(stories.size())];
    const std::size_t length = std::min<std::size_t>(4 + below(5), base.lines[0].size());
    const std::size_t start = below(base.lines[0].size() - length + 1);
    const std::size_t other_line = below(other.lines[0].size());
    const std::size_t versions = 1 + below(3);
    for (std::size_t v = 0; v < versions && written < count; ++v) {
      const std::size_t variant = below(base.variants.size());
      std::vector<std::string> lines(base.lines[variant].begin() + static_cast<std::ptrdiff_t>(start),
                                     base.lines[variant].begin() + static_cast<std::ptrdiff_t>(start + length));
      // The other story's line in the same language when it has one.
      for (std::size_t w = 0; w < other.variants.size(); ++w)
        if (other.variants[w] == base.variants[variant]) lines.insert(lines.begin() + 1 + below(lines.size()), other.lines[w][other_line]);
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
