// What the HTML and Markdown reports show, gathered from an analysis or from saved outputs.
#include <algorithm>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <unordered_set>

#include "neardup/error.hpp"
#include "ingest/utf8.hpp"
#include "neardup/report.hpp"
#include "report/json_lines.hpp"
#include "shingle/features.hpp"
#include "text/normalise.hpp"
#include "text/phonetic.hpp"
#include "text/script.hpp"
#include "text/segment.hpp"
#include "text/transliterate.hpp"

namespace neardup {
namespace {


// A word as the pipeline's anchors see it (shingle/features.cpp): the phonetic key of its pivot
// spelling with a nasal before a consonant written n (`full`), and the key anchors are compared
// by (`name`): the consonants alone where there are three or more, so that पुतिन and Urdu's
// vowel-less spelling meet.
struct WordKey {
  std::string full;
  std::string name;
};

WordKey word_key(std::string_view word) {
  WordKey key;
  detail::append_phonetic_key(detail::to_pivot(detail::normalise(word)), key.full);
  key.name = detail::name_key(key.full);
  return key;
}

bool has_vowel(std::string_view key) { return key.find_first_of("aiueo") != std::string_view::npos; }

std::size_t edit_distance(std::string_view x, std::string_view y) {
  std::vector<std::size_t> row(y.size() + 1);
  for (std::size_t j = 0; j <= y.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= x.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= y.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (x[i - 1] == y[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[y.size()];
}

// Consonant keys collide (पड़ने, पुतिन and बाइडन are all "ptn"), which the model's statistics
// absorb but a highlight would show as nonsense: words are shown as shared only when their full
// keys also differ by at most a case ending or a vowel (पुतिन/પુતિને), or one side writes no
// vowels at all.
bool same_word(const WordKey& x, const WordKey& y) {
  if (x.name != y.name) return false;
  if (!has_vowel(x.full) || !has_vowel(y.full)) return true;
  return edit_distance(x.full, y.full) <= (std::min(x.full.size(), y.full.size()) >= 6 ? 2 : 1);
}

struct KeyedWord {
  Offsets span;
  WordKey key;
};

// The words that can be anchors, as the pipeline chooses them: numbers, words of other scripts
// with a key of three letters or more, and Latin words written capitalised (names).
std::vector<KeyedWord> anchor_candidates(const std::string& text) {
  std::vector<KeyedWord> keyed;
  for (const detail::Span& span : detail::words(text)) {
    const std::string_view word = std::string_view(text).substr(span.begin, span.end - span.begin);
    const char first = word.front();
    const bool digit = first >= '0' && first <= '9';
    const bool latin = (first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z');
    if (latin && !(first >= 'A' && first <= 'Z')) continue;
    WordKey key = word_key(word);
    if (key.full.empty() || (!digit && !latin && key.full.size() < 3)) continue;
    keyed.push_back({{span.begin, span.end}, std::move(key)});
  }
  return keyed;
}

// Finds, for every translation pair, the words its two texts share. Each document's words are
// keyed once, however many pairs it is in.
void mark_shared_words(const std::vector<std::string>& texts, std::vector<ReportPair>& pairs) {
  std::unordered_map<std::uint32_t, std::vector<KeyedWord>> words_of;
  auto words = [&](std::uint32_t d) -> const std::vector<KeyedWord>& {
    auto it = words_of.find(d);
    if (it == words_of.end()) it = words_of.emplace(d, anchor_candidates(texts[d])).first;
    return it->second;
  };
  for (ReportPair& report_pair : pairs) {
    const Pair& pair = report_pair.pair;
    if (is_copy(pair.relation)) continue;
    std::vector<WordKey> cited;
    for (const std::string& anchor : pair.evidence.anchors) cited.push_back(word_key(anchor));
    const auto& words_a = words(pair.a);
    const auto& words_b = words(pair.b);
    std::unordered_map<std::string, std::vector<std::uint32_t>> b_by_name;
    for (std::uint32_t j = 0; j < words_b.size(); ++j) b_by_name[words_b[j].key.name].push_back(j);
    std::unordered_map<std::string, std::uint32_t> groups;
    std::vector<char> b_shared(words_b.size(), 0);
    std::vector<std::uint32_t> b_group(words_b.size(), 0);
    for (const KeyedWord& word : words_a) {
      const auto it = b_by_name.find(word.key.name);
      if (it == b_by_name.end()) continue;
      std::vector<std::uint32_t> partners;
      for (std::uint32_t j : it->second)
        if (same_word(word.key, words_b[j].key)) partners.push_back(j);
      if (partners.empty()) continue;
      const std::uint32_t group = groups.try_emplace(word.key.name, static_cast<std::uint32_t>(groups.size())).first->second;
      for (std::uint32_t j : partners) b_shared[j] = 1, b_group[j] = group;
      const bool is_cited = std::any_of(cited.begin(), cited.end(), [&](const WordKey& key) { return same_word(key, word.key); });
      report_pair.shared_a.push_back({word.span, group, is_cited});
    }
    for (std::uint32_t j = 0; j < words_b.size(); ++j) {
      if (!b_shared[j]) continue;
      const bool is_cited = std::any_of(cited.begin(), cited.end(), [&](const WordKey& key) { return same_word(key, words_b[j].key); });
      report_pair.shared_b.push_back({words_b[j].span, b_group[j], is_cited});
    }
  }
}

// Texts are embedded only where a pair shows them, pivots only where a translation does: a
// report of 100k mostly unrelated documents stays small.
void keep_texts(ReportData& data, std::vector<std::string>&& texts) {
  std::vector<char> in_pair(texts.size(), 0), in_translation(texts.size(), 0);
  for (const ReportPair& report_pair : data.pairs) {
    in_pair[report_pair.pair.a] = in_pair[report_pair.pair.b] = 1;
    if (report_pair.pair.relation == Relation::translation)
      in_translation[report_pair.pair.a] = in_translation[report_pair.pair.b] = 1;
  }
  mark_shared_words(texts, data.pairs);
  for (std::size_t d = 0; d < texts.size(); ++d) {
    // Devanagari and Latin texts are their own pivot, up to case and spacing: nothing to show.
    const std::string& script = data.documents[d].script;
    if (in_translation[d] && script != "Deva" && script != "Latn")
      data.documents[d].pivot = detail::to_pivot(detail::normalise(texts[d]));
    if (in_pair[d]) data.documents[d].text = std::move(texts[d]);
  }
}

// Longer values are clipped: a page shows a link and a date, not whatever a field may hold.
constexpr std::size_t max_url_bytes = 2048;
constexpr std::size_t max_date_bytes = 64;

// The string or number at a dotted name in an object, or "" when it holds neither.
std::string field_text(const nlohmann::json& object, std::string_view dotted, std::size_t max_bytes) {
  const nlohmann::json* at = &object;
  for (std::size_t begin = 0; begin <= dotted.size();) {
    const std::size_t end = std::min(dotted.find('.', begin), dotted.size());
    if (!at->is_object()) return {};
    const auto found = at->find(std::string(dotted.substr(begin, end - begin)));
    if (found == at->end()) return {};
    at = &*found;
    begin = end + 1;
  }
  if (at->is_string()) return detail::clip_utf8(at->get_ref<const std::string&>(), max_bytes);
  if (at->is_number()) return at->dump();
  return {};
}

void carry_fields(ReportDocument& shown, const Document& document, const ReportFields& fields) {
  if (document.extra.empty()) return;
  const nlohmann::json extra = nlohmann::json::parse(document.extra, nullptr, false);
  if (!extra.is_object()) return;
  if (!fields.url.empty()) shown.url = field_text(extra, fields.url, max_url_bytes);
  if (!fields.date.empty()) shown.date = field_text(extra, fields.date, max_date_bytes);
}

std::string script_of_text(std::string_view text) {
  return std::string(detail::script_code(detail::profile_scripts(text).dominant));
}

// The first non-blank line, clipped at a code point boundary: the title of a document that
// saved outputs give no title for.
std::string first_line(std::string_view text) {
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(begin, end - begin);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (!line.empty()) return detail::clip_utf8(line, detail::max_title_bytes);
    begin = end + 1;
  }
  return {};
}

Relation relation_of(const std::string& name, const std::string& path, std::uint64_t line) {
  for (Relation relation : {Relation::exact_duplicate, Relation::near_duplicate, Relation::translation, Relation::same_story})
    if (relation_name(relation) == name) return relation;
  throw InputError(path, line, 0, "unknown relation \"" + printable(name) + "\"");
}

// A byte offset as the pairs output writes it: a whole number that fits 32 bits. (nlohmann's
// get<std::uint32_t> would cast 1e64 or -1 without a word; the cast of a double out of range is
// undefined behaviour, found by fuzz_report_data.)
std::uint32_t offset_of(const nlohmann::json& value, const std::string& path, std::uint64_t line) {
  if (!value.is_number_unsigned() || value.get<std::uint64_t>() > std::numeric_limits<std::uint32_t>::max())
    throw InputError(path, line, 0, "an evidence offset is not a whole number of bytes below 2^32: " + printable(value.dump()));
  return static_cast<std::uint32_t>(value.get<std::uint64_t>());
}

Offsets offsets_of(const nlohmann::json& pair, const std::string& path, std::uint64_t line) {
  return {offset_of(pair.at(0), path, line), offset_of(pair.at(1), path, line)};
}

// Evidence offsets index the texts; a saved file made from other documents must not index past them.
void check_offsets(const Offsets& offsets, const std::string& text, const std::string& path, std::uint64_t line) {
  if (offsets.begin > offsets.end || offsets.end > text.size())
    throw InputError(path, line, 0, "evidence offsets beyond the document's text: were the pairs made from these documents?");
}

PairEvidence evidence_of(const nlohmann::json& json, const std::string& path, std::uint64_t line) {
  PairEvidence evidence;
  evidence.raw_score = json.value("raw_score", 0.0);
  evidence.calibrated_score = json.value("calibrated_score", 0.0);
  evidence.coverage_a = json.value("coverage_a", 0.0);
  evidence.coverage_b = json.value("coverage_b", 0.0);
  evidence.anchors = json.value("anchors", std::vector<std::string>{});
  if (json.contains("sentences"))
    for (const auto& sentence : json.at("sentences"))
      evidence.sentences.push_back(
          {offsets_of(sentence.at("a"), path, line), offsets_of(sentence.at("b"), path, line), sentence.value("similarity", 0.0)});
  return evidence;
}

}  // namespace

ReportData report_data(const Analysis& analysis, const std::vector<Cluster>& clusters, const ReportFields& fields) {
  ReportData data;
  const std::size_t n = analysis.documents.size();
  data.documents.resize(n);
  std::vector<std::string> texts(n);
  for (std::size_t d = 0; d < n; ++d) {
    ReportDocument& document = data.documents[d];
    document.id = analysis.documents[d].id;
    document.lang = analysis.info[d].lang.empty() ? "?" : analysis.info[d].lang;
    document.script = analysis.info[d].script;
    document.title = analysis.info[d].title;
    carry_fields(document, analysis.documents[d], fields);
    texts[d] = analysis.documents[d].text;
  }
  for (const Pair& pair : analysis.pairs) data.pairs.push_back({pair, {}, {}});
  data.clusters = clusters;
  // The members that carry the headline their cluster is titled by are listed under it too.
  for (const Cluster& cluster : clusters)
    for (std::uint32_t member : cluster.members)
      if (analysis.info[member].headline == cluster.title) data.documents[member].title = cluster.title;
  data.removed_by_dedup = deduplicate(analysis, KeepPolicy::first).removed.size();
  data.removed_by_dedup_method = "deduplicate, keeping the first of each group";
  keep_texts(data, std::move(texts));
  return data;
}

ReportData report_data(const std::vector<Document>& documents, const std::string& pairs_path,
                       const std::string& clusters_path, const ReportFields& fields) {
  ReportData data;
  std::unordered_map<std::string, std::uint32_t> index;
  std::vector<std::string> texts;
  for (const Document& document : documents) {
    index.emplace(document.id, static_cast<std::uint32_t>(data.documents.size()));
    data.documents.push_back({document.id, "", script_of_text(document.text), first_line(document.text), "", "", "", ""});
    carry_fields(data.documents.back(), document, fields);
    texts.push_back(document.text);
  }
  auto find = [&](const nlohmann::json& id, const std::string& path, std::uint64_t line) {
    const auto it = index.find(id.get<std::string>());
    if (it == index.end())
      throw InputError(path, line, 0, "id \"" + printable(id.get<std::string>()) + "\" is not among the documents given");
    return it->second;
  };

  detail::for_each_json_line(pairs_path, [&](const nlohmann::json& line, std::uint64_t number) {
    ReportPair report_pair;
    Pair& pair = report_pair.pair;
    pair.a = find(line.at("a"), pairs_path, number);
    pair.b = find(line.at("b"), pairs_path, number);
    pair.relation = relation_of(line.at("relation").get<std::string>(), pairs_path, number);
    pair.score = line.at("score").get<double>();
    if (line.contains("evidence")) pair.evidence = evidence_of(line.at("evidence"), pairs_path, number);
    for (const auto& sentence : pair.evidence.sentences) {
      check_offsets(sentence.a, texts[pair.a], pairs_path, number);
      check_offsets(sentence.b, texts[pair.b], pairs_path, number);
    }
    data.documents[pair.a].lang = line.value("lang_a", data.documents[pair.a].lang);
    data.documents[pair.b].lang = line.value("lang_b", data.documents[pair.b].lang);
    if (pair.a > pair.b) {
      std::swap(pair.a, pair.b);
      for (auto& sentence : pair.evidence.sentences) std::swap(sentence.a, sentence.b);
    }
    data.pairs.push_back(std::move(report_pair));
  });
  std::sort(data.pairs.begin(), data.pairs.end(), [](const ReportPair& x, const ReportPair& y) {
    return std::pair(x.pair.a, x.pair.b) < std::pair(y.pair.a, y.pair.b);
  });

  std::vector<char> clustered(documents.size(), 0);
  detail::for_each_json_line(clusters_path, [&](const nlohmann::json& line, std::uint64_t number) {
    Cluster cluster;
    for (const auto& id : line.at("members")) cluster.members.push_back(find(id, clusters_path, number));
    std::sort(cluster.members.begin(), cluster.members.end());
    cluster.representative = find(line.at("representative"), clusters_path, number);
    if (!std::binary_search(cluster.members.begin(), cluster.members.end(), cluster.representative))
      throw InputError(clusters_path, number, 0, "the representative is not among the cluster's members");
    cluster.title = line.value("title", std::string());
    cluster.langs = line.value("langs", std::vector<std::string>{});
    data.documents[cluster.representative].title = cluster.title;
    // A document in no pair is alone in its cluster, whose languages are then its own.
    if (cluster.members.size() == 1 && cluster.langs.size() == 1 && data.documents[cluster.members[0]].lang.empty())
      data.documents[cluster.members[0]].lang = cluster.langs[0];
    for (std::uint32_t member : cluster.members) {
      if (clustered[member])
        throw InputError(clusters_path, number, 0, "id \"" + printable(data.documents[member].id) +
                                                       "\" is in two clusters; a document is in exactly one (was the file edited?)");
      clustered[member] = 1;
    }
    data.clusters.push_back(std::move(cluster));
  });
  // Documents the cluster file does not name (it was made from fewer documents) stand alone,
  // so that every document is in exactly one cluster, as cluster_stories promises.
  for (std::uint32_t d = 0; d < documents.size(); ++d)
    if (!clustered[d]) data.clusters.push_back({{d}, d, data.documents[d].title, {}});

  std::unordered_set<std::uint32_t> removed;
  for (const ReportPair& report_pair : data.pairs)
    if (is_copy(report_pair.pair.relation)) removed.insert(report_pair.pair.b);
  data.removed_by_dedup = removed.size();
  data.removed_by_dedup_method = "documents that are the later member of a duplicate pair";

  for (std::size_t d = 0; d < documents.size(); ++d) {
    ReportDocument& document = data.documents[d];
    if (document.lang.empty()) document.lang = documents[d].lang.empty() ? "?" : documents[d].lang;
  }
  for (Cluster& cluster : data.clusters)
    if (cluster.langs.empty()) cluster.langs.push_back(data.documents[cluster.representative].lang);
  keep_texts(data, std::move(texts));
  return data;
}

}  // namespace neardup
