// The HTML report: the template of report/html_template.hpp with the report's data embedded as
// one JSON blob, which the page's script renders lazily (a page of clusters at a time, a
// cluster's members and a pair's evidence only when opened).
#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <zlib.h>

#include "neardup/report.hpp"
#include "report/html.hpp"
#include "report/html_template.hpp"

namespace neardup {
namespace {

using json = nlohmann::json;

double rounded(double value) { return std::round(value * 1e4) / 1e4; }

// Relation codes of the embedded data, as the page's script reads them.
constexpr int representative_code = -1;
// A member linked to the representative only through other members.
constexpr int linked_via_code = 4;
int relation_code(Relation relation) { return static_cast<int>(relation); }

// JavaScript indexes strings in UTF-16 code units, the library in UTF-8 bytes: the offset in
// code units of every byte position of a text (continuation bytes map like their lead byte).
std::vector<std::uint32_t> utf16_positions(const std::string& text) {
  std::vector<std::uint32_t> at(text.size() + 1);
  std::uint32_t units = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    at[i] = units;
    const auto byte = static_cast<unsigned char>(text[i]);
    if ((byte & 0xC0) != 0x80) units += byte >= 0xF0 ? 2 : 1;  // four-byte sequences are surrogate pairs
  }
  at[text.size()] = units;
  return at;
}

class Utf16Offsets {
 public:
  explicit Utf16Offsets(const ReportData& data) : data_(data), positions_(data.documents.size()) {}
  std::uint32_t operator()(std::uint32_t document, std::uint32_t byte) {
    auto& at = positions_[document];
    if (at.empty()) at = utf16_positions(data_.documents[document].text);
    return at[std::min<std::size_t>(byte, at.size() - 1)];
  }

 private:
  const ReportData& data_;
  std::vector<std::vector<std::uint32_t>> positions_;
};

// Shared words are the bulk of the data (hundreds per translation pair), so they are flat and
// small numbers: for each word, its start after the previous word's end, its length, and
// group * 2 + cited, all in UTF-16 code units.
json shared_words_json(const std::vector<SharedWord>& words, std::uint32_t document, Utf16Offsets& utf16) {
  json out = json::array();
  std::uint32_t previous_end = 0;
  for (const SharedWord& word : words) {
    const std::uint32_t begin = utf16(document, word.span.begin), end = utf16(document, word.span.end);
    out.push_back(begin - previous_end);
    out.push_back(end - begin);
    out.push_back(word.group * 2 + (word.cited ? 1 : 0));
    previous_end = end;
  }
  return out;
}

json evidence_json(const ReportPair& report_pair, Utf16Offsets& utf16) {
  const Pair& pair = report_pair.pair;
  const PairEvidence& evidence = pair.evidence;
  json sentences = json::array();
  for (const AlignedSentence& sentence : evidence.sentences)
    sentences.push_back({utf16(pair.a, sentence.a.begin), utf16(pair.a, sentence.a.end), utf16(pair.b, sentence.b.begin),
                         utf16(pair.b, sentence.b.end), rounded(sentence.similarity)});
  return {{"raw", rounded(evidence.raw_score)},
          {"calibrated", rounded(evidence.calibrated_score)},
          {"coverage_a", rounded(evidence.coverage_a)},
          {"coverage_b", rounded(evidence.coverage_b)},
          {"anchors", evidence.anchors},
          {"sentences", std::move(sentences)},
          {"shared_a", shared_words_json(report_pair.shared_a, pair.a, utf16)},
          {"shared_b", shared_words_json(report_pair.shared_b, pair.b, utf16)}};
}

std::vector<std::pair<std::string, std::uint64_t>> tally(const ReportData& data, std::string ReportDocument::*field) {
  std::map<std::string, std::uint64_t> counts;
  for (const ReportDocument& document : data.documents) ++counts[document.*field];
  std::vector<std::pair<std::string, std::uint64_t>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& x, const auto& y) { return x.second > y.second; });
  return sorted;
}

// The pair joining a and b, if the data has one.
const ReportPair* find_pair(const ReportData& data, std::uint32_t a, std::uint32_t b) {
  if (a > b) std::swap(a, b);
  const auto it = std::lower_bound(data.pairs.begin(), data.pairs.end(), std::pair(a, b), [](const ReportPair& x, const auto& key) {
    return std::pair(x.pair.a, x.pair.b) < key;
  });
  return it != data.pairs.end() && it->pair.a == a && it->pair.b == b ? &*it : nullptr;
}

// What the first render needs (overview, documents, pairs, clusters), and what only an opened
// pair needs (texts, pivots, evidence: most of the bytes) in chunks of detail_chunk documents
// or evidence entries, which the page decompresses and parses when a pair in them is opened.
struct ReportJson {
  json index;
  std::vector<json> document_chunks;  // {"texts":{D:..},"pivots":{D:..}}, D the document's index
  std::vector<json> evidence_chunks;  // [evidence...], evidence E at chunk E / detail_chunk
  std::vector<json> field_chunks;     // {urls, dates}: document D's at chunk D / detail_chunk
};

constexpr std::size_t detail_chunk = 500;

json& chunk_for(std::vector<json>& chunks, std::size_t item, const json& empty) {
  const std::size_t chunk = item / detail_chunk;
  if (chunks.size() <= chunk) chunks.resize(chunk + 1, empty);
  return chunks[chunk];
}

ReportJson report_json(const ReportData& data) {
  Utf16Offsets utf16(data);
  const std::size_t n = data.documents.size();
  std::vector<std::uint32_t> cluster_of(n, 0);
  for (std::uint32_t c = 0; c < data.clusters.size(); ++c)
    for (std::uint32_t member : data.clusters[c].members) cluster_of[member] = c;

  ReportJson report;
  json documents = json::array();
  const json empty_documents = {{"texts", json::object()}, {"pivots", json::object()}};
  const json empty_fields = {{"urls", json::object()}, {"dates", json::object()}};
  for (std::uint32_t d = 0; d < n; ++d) {
    const ReportDocument& document = data.documents[d];
    documents.push_back({document.id, document.lang, document.script, document.title, cluster_of[d]});
    if (!document.text.empty()) chunk_for(report.document_chunks, d, empty_documents)["texts"][std::to_string(d)] = document.text;
    if (!document.pivot.empty()) chunk_for(report.document_chunks, d, empty_documents)["pivots"][std::to_string(d)] = document.pivot;
    if (!document.url.empty()) chunk_for(report.field_chunks, d, empty_fields)["urls"][std::to_string(d)] = document.url;
    if (!document.date.empty()) chunk_for(report.field_chunks, d, empty_fields)["dates"][std::to_string(d)] = document.date;
  }

  json pairs = json::array();
  std::size_t evidence_count = 0;
  std::uint64_t by_relation[4] = {0, 0, 0, 0};
  for (const ReportPair& report_pair : data.pairs) {
    const Pair& pair = report_pair.pair;
    ++by_relation[relation_code(pair.relation)];
    json line = {pair.a, pair.b, relation_code(pair.relation), rounded(pair.score)};
    if (!is_copy(pair.relation)) {
      line.push_back(evidence_count);
      chunk_for(report.evidence_chunks, evidence_count++, json::array()).push_back(evidence_json(report_pair, utf16));
    }
    pairs.push_back(std::move(line));
  }

  // Each member's relation to the representative: a direct pair, or the same story through
  // others (then shown with its strongest pair inside the cluster).
  std::vector<std::vector<std::uint32_t>> pairs_of(n);
  for (std::uint32_t p = 0; p < data.pairs.size(); ++p) {
    const Pair& pair = data.pairs[p].pair;
    if (cluster_of[pair.a] != cluster_of[pair.b]) continue;
    pairs_of[pair.a].push_back(p);
    pairs_of[pair.b].push_back(p);
  }
  json clusters = json::array();
  for (const Cluster& cluster : data.clusters) {
    json members = json::array();
    members.push_back({cluster.representative, representative_code, 1.0, -1});
    for (std::uint32_t member : cluster.members) {
      if (member == cluster.representative) continue;
      if (const ReportPair* direct = find_pair(data, cluster.representative, member)) {
        members.push_back({member, relation_code(direct->pair.relation), rounded(direct->pair.score), direct - data.pairs.data()});
        continue;
      }
      std::int64_t strongest = -1;
      for (std::uint32_t p : pairs_of[member])
        if (strongest < 0 || data.pairs[p].pair.score > data.pairs[static_cast<std::size_t>(strongest)].pair.score) strongest = p;
      members.push_back({member, linked_via_code, strongest < 0 ? 0.0 : rounded(data.pairs[static_cast<std::size_t>(strongest)].pair.score), strongest});
    }
    clusters.push_back({cluster.representative, cluster.title, cluster.langs, std::move(members)});
  }

  json langs = json::array(), scripts = json::array();
  for (const auto& [lang, count] : tally(data, &ReportDocument::lang)) langs.push_back({lang, count});
  for (const auto& [script, count] : tally(data, &ReportDocument::script)) scripts.push_back({script, count});
  report.index = {{"overview",
                   {{"documents", n},
                    {"langs", std::move(langs)},
                    {"scripts", std::move(scripts)},
                    {"pairs", {by_relation[0], by_relation[1], by_relation[2], by_relation[3]}},
                    {"removed", data.removed_by_dedup},
                    {"removed_method", data.removed_by_dedup_method}}},
                  {"docs", std::move(documents)},
                  {"pairs", std::move(pairs)},
                  {"clusters", std::move(clusters)},
                  {"detail_chunk", detail_chunk}};
  return report;
}

std::string dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

// Inside <script>, "</script" or "<!--" in a text would end or confuse the element: '<' only
// occurs inside JSON strings, where \u003c means the same.
void write_script_json(std::ostream& out, const json& value) {
  const std::string blob = dump(value);
  std::size_t written = 0;
  for (std::size_t lt = blob.find('<'); lt != std::string::npos; lt = blob.find('<', written)) {
    out.write(blob.data() + written, static_cast<std::streamsize>(lt - written));
    out << "\\u003c";
    written = lt + 1;
  }
  out.write(blob.data() + written, static_cast<std::streamsize>(blob.size() - written));
}

// gzip, which the page's DecompressionStream reads. Texts compress about fourfold, evidence
// (mostly numbers) about threefold: 20,000 generated documents make a page 0.83 of its input.
std::string gzip(const std::string& bytes) {
  z_stream stream{};
  if (deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) throw std::bad_alloc();
  std::string out;
  char buffer[1 << 16];
  const char* next = bytes.data();
  std::size_t left = bytes.size();
  int flush = Z_NO_FLUSH;
  while (flush != Z_FINISH) {
    const auto take = static_cast<uInt>(std::min<std::size_t>(left, std::size_t{1} << 30));
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(next));
    stream.avail_in = take;
    next += take;
    left -= take;
    flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
    do {
      stream.next_out = reinterpret_cast<Bytef*>(buffer);
      stream.avail_out = sizeof buffer;
      deflate(&stream, flush);
      out.append(buffer, sizeof buffer - stream.avail_out);
    } while (stream.avail_out == 0);
  }
  deflateEnd(&stream);
  return out;
}

std::string base64(const std::string& bytes) {
  static constexpr char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t left = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t group = 0;
    for (std::size_t k = 0; k < 3; ++k) group = group << 8 | (k < left ? static_cast<unsigned char>(bytes[i + k]) : 0u);
    for (std::size_t k = 0; k < 4; ++k) out += k <= left ? digits[(group >> (18 - 6 * k)) & 63] : '=';
  }
  return out;
}

// One chunk of detail as <script type="application/gzip-base64" id="ID">: base64 has no '<'.
void write_script_gzip(std::ostream& out, const std::string& id, const json& value) {
  out << "<script type=\"application/gzip-base64\" id=\"" << id << "\">" << base64(gzip(dump(value))) << "</script>\n";
}

// Every detail chunk with the id the page looks it up by.
template <class Visit>
void for_each_chunk(const ReportJson& blobs, Visit visit) {
  for (std::size_t k = 0; k < blobs.document_chunks.size(); ++k) visit(detail::document_chunk_id(k), blobs.document_chunks[k]);
  for (std::size_t k = 0; k < blobs.evidence_chunks.size(); ++k) visit(detail::evidence_chunk_id(k), blobs.evidence_chunks[k]);
  for (std::size_t k = 0; k < blobs.field_chunks.size(); ++k) visit(detail::field_chunk_id(k), blobs.field_chunks[k]);
}

}  // namespace

void write_html_report(std::ostream& out, const ReportData& data) {
  const ReportJson blobs = report_json(data);
  out << detail::html_before_data;
  write_script_json(out, blobs.index);
  out << detail::html_between_data;
  for_each_chunk(blobs, [&](const std::string& id, const json& chunk) { write_script_gzip(out, id, chunk); });
  out << detail::html_after_data;
}

namespace detail {

ServedReport served_report(const ReportData& data) {
  ReportJson blobs = report_json(data);
  blobs.index["served"] = true;
  std::ostringstream page;
  page << html_before_data;
  write_script_json(page, blobs.index);
  page << html_between_data << html_after_data;
  ServedReport served;
  served.page = std::move(page).str();
  for_each_chunk(blobs, [&](const std::string& id, const json& chunk) { served.chunks.emplace(id, gzip(dump(chunk))); });
  return served;
}

}  // namespace detail

}  // namespace neardup
