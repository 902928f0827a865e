// neardup/report.hpp: the JSON Lines formats of the command's outputs. They are a contract
// (golden tests hold them):
//   pairs:    {"a":ID,"b":ID,"relation":"exact-duplicate"|"near-duplicate"|"translation"|"same-story","score":S,
//              "lang_a":L,"lang_b":L[,"evidence":{...}]}
//   clusters: {"cluster":N,"size":N,"members":[ID...],"langs":[L...],"representative":ID,"title":T}
//   removed:  {"id":ID,"duplicate_of":ID,"relation":R,"score":S}
//   kept:     the input line, byte for byte (Document::original_line); for a document read
//             otherwise, {"id":ID,"text":T[,"lang":L],...other input fields}, with the field
//             names the input was read with (FieldNames; a dotted one back in its object; an
//             integer id as a string)
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "neardup/pipeline.hpp"

namespace neardup {

void write_pairs(std::ostream& out, const Analysis& analysis);
void write_clusters(std::ostream& out, const Analysis& analysis, const std::vector<Cluster>& clusters);
void write_kept(std::ostream& out, const Analysis& analysis, const DedupResult& result, const FieldNames& fields = {});
void write_removed(std::ostream& out, const Analysis& analysis, const DedupResult& result);
// One line of each, for writers that get documents one at a time (deduplicate_inputs).
void write_kept_line(std::ostream& out, const Document& document, const FieldNames& fields = {});
void write_removed_line(std::ostream& out, std::string_view id, std::string_view duplicate_of, Relation relation, double score);

// ---------------------------------------------------------------------------------------------
// Reports for people: one self-contained HTML page (no network, data embedded as one JSON blob,
// rendered lazily so that it stays usable at 100k documents) and a Markdown summary for
// terminals and CI logs.
//
//   const auto clusters = neardup::cluster_stories(analysis);
//   neardup::ReportData data = neardup::report_data(analysis, clusters);
//   neardup::write_html_report(file, data);
//
// or, from the outputs of earlier runs, without detecting again:
//   neardup::ReportData data = neardup::report_data(documents, "pairs.jsonl", "clusters.jsonl");

struct ReportDocument {
  std::string id;
  std::string lang;    // from the analysis, the saved pairs or clusters, the input, or "?"
  std::string script;  // ISO 15924 of the dominant script ("Deva"), "Zyyy" when it has no letters
  std::string title;
  std::string text;    // the original text, kept only for documents in some pair
  std::string pivot;   // its pivot transliteration, for documents in a translation pair not
                       // already in the pivot's scripts (Devanagari, Latin)
  std::string url;     // the input's fields named by ReportFields, as written ("" when absent)
  std::string date;
};

// The input fields shown beside each document, where the documents carry them (in
// Document::extra; a dotted name such as meta.published reaches into objects). A date that
// begins as ISO 8601 does (2024-05-17, 2024-05-17T09:30Z) also places the document on its
// cluster's timeline.
struct ReportFields {
  std::string url = "url";
  std::string date = "date";
};

// A word that a translation pair's two texts share: the same name, number or cognate, matched
// by phonetic key across scripts (Kirby, किर्बी, કિર્બીએ).
struct SharedWord {
  Offsets span;             // byte offsets into the side's text
  std::uint32_t group = 0;  // the words of both sides with one group are one shared word
  bool cited = false;       // one of the pair's evidence anchors (the rarest shared words)
};

struct ReportPair {
  Pair pair;
  std::vector<SharedWord> shared_a;  // ascending by offset; empty unless a translation
  std::vector<SharedWord> shared_b;
};

struct ReportData {
  std::vector<ReportDocument> documents;  // in input order
  std::vector<ReportPair> pairs;          // sorted by (a, b)
  std::vector<Cluster> clusters;          // as cluster_stories orders them
  // Documents that deduplication removes. From an Analysis: deduplicate(analysis,
  // KeepPolicy::first). From saved outputs: the documents that are the later member (in input
  // order) of at least one exact or near-duplicate pair (equal unless duplicates chain).
  std::uint64_t removed_by_dedup = 0;
  std::string removed_by_dedup_method;  // says which of the two counts this is
};

// Builds the report of an analysis. Cost: one normalisation and transliteration of every
// document in a translation pair; the rest is linear in documents and pairs.
ReportData report_data(const Analysis& analysis, const std::vector<Cluster>& clusters, const ReportFields& fields = {});

// Builds the report from saved outputs of `neardup pairs` and `neardup cluster` and the documents
// they were made from (for the texts). Languages come from the pairs and clusters. Throws
// InputError for a line that is not an output line or names an id missing from the documents,
// Error(io) for a file that cannot be read.
ReportData report_data(const std::vector<Document>& documents, const std::string& pairs_path,
                       const std::string& clusters_path, const ReportFields& fields = {});

// One HTML file with inline CSS and JavaScript, no external resources. Opening it with the hash
// #pair=ID_A:ID_B or #cluster=N shows that pair's evidence or that cluster at once.
void write_html_report(std::ostream& out, const ReportData& data);

// The same page served on the loopback address (127.0.0.1) until the process is stopped, for a
// corpus too large for one file to open quickly: the page with what its first render needs at
// /, and each chunk of texts, evidence and input fields at /detail/ID when the page asks for
// it. Requests for another host name (DNS rebinding) are refused. `port` 0 takes a free one;
// `listening` hears the port once the server accepts connections. Throws Error(io) when the
// address cannot be bound.
void serve_html_report(const ReportData& data, std::uint16_t port, const std::function<void(std::uint16_t)>& listening);

// The overview and a table of the largest clusters (at most max_rows, with a note when cut).
void write_markdown_report(std::ostream& out, const ReportData& data, std::size_t max_rows = 100);

}  // namespace neardup
