#include <cmath>
#include <nlohmann/json.hpp>

#include "ingest/json_fields.hpp"
#include "neardup/report.hpp"

namespace neardup {
namespace {

using ordered_json = nlohmann::ordered_json;

// Scores are printed rounded so that outputs compare across machines and runs.
double rounded(double value) { return std::round(value * 1e4) / 1e4; }

void write_line(std::ostream& out, const ordered_json& line) {
  out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

ordered_json evidence_json(const PairEvidence& evidence) {
  ordered_json sentences = ordered_json::array();
  for (const auto& sentence : evidence.sentences)
    sentences.push_back({{"a", {sentence.a.begin, sentence.a.end}},
                         {"b", {sentence.b.begin, sentence.b.end}},
                         {"similarity", rounded(sentence.similarity)}});
  return {{"raw_score", rounded(evidence.raw_score)},
          {"calibrated_score", rounded(evidence.calibrated_score)},
          {"coverage_a", rounded(evidence.coverage_a)},
          {"coverage_b", rounded(evidence.coverage_b)},
          {"anchors", evidence.anchors},
          {"sentences", std::move(sentences)}};
}

// The document's script (ISO 15924) as analyse() names it. An Analysis assembled elsewhere (the
// Python module's) may leave it empty: the script part of the language code ("hin_Deva") stands in.
std::string script_of(const DocumentInfo& info) {
  if (!info.script.empty()) return info.script;
  const std::size_t underscore = info.lang.rfind('_');
  return underscore == std::string::npos ? std::string() : info.lang.substr(underscore + 1);
}

}  // namespace

void write_pairs(std::ostream& out, const Analysis& analysis) {
  for (const auto& pair : analysis.pairs) {
    ordered_json line = {{"a", analysis.documents[pair.a].id},
                         {"b", analysis.documents[pair.b].id},
                         {"relation", relation_name(pair.relation)},
                         {"score", rounded(pair.score)},
                         {"lang_a", analysis.info[pair.a].lang},
                         {"lang_b", analysis.info[pair.b].lang},
                         {"script_a", script_of(analysis.info[pair.a])},
                         {"script_b", script_of(analysis.info[pair.b])}};
    if (!is_copy(pair.relation)) line["evidence"] = evidence_json(pair.evidence);
    write_line(out, line);
  }
}

void write_clusters(std::ostream& out, const Analysis& analysis, const std::vector<Cluster>& clusters) {
  for (std::size_t c = 0; c < clusters.size(); ++c) {
    const auto& cluster = clusters[c];
    ordered_json members = ordered_json::array();
    for (std::uint32_t member : cluster.members) members.push_back(analysis.documents[member].id);
    write_line(out, {{"cluster", c},
                     {"size", cluster.members.size()},
                     {"members", std::move(members)},
                     {"langs", cluster.langs},
                     {"representative", analysis.documents[cluster.representative].id},
                     {"title", cluster.title}});
  }
}

void write_kept_line(std::ostream& out, const Document& document, const FieldNames& fields) {
  if (!document.original_line.empty()) {
    out << document.original_line << '\n';
    return;
  }
  const detail::FieldPath id(fields.id), text(fields.text), lang(fields.lang);
  ordered_json line = ordered_json::object();
  // Top-level fields first, in the usual order; the other fields after them; a field read from
  // inside an object goes back into it once that object is there.
  const auto set = [&](const detail::FieldPath& field, const std::string& value, bool nested) {
    if (field.nested() == nested) field.set(line, value);
  };
  for (const bool nested : {false, true}) {
    set(id, document.id, nested);
    set(text, document.text, nested);
    if (!document.lang.empty()) set(lang, document.lang, nested);
    if (nested || document.extra.empty()) continue;
    ordered_json extra = ordered_json::parse(document.extra);
    for (auto& [key, value] : extra.items()) line[key] = std::move(value);
  }
  write_line(out, line);
}

void write_removed_line(std::ostream& out, std::string_view id, std::string_view duplicate_of, Relation relation, double score) {
  write_line(out, {{"id", id}, {"duplicate_of", duplicate_of}, {"relation", relation_name(relation)}, {"score", rounded(score)}});
}

void write_kept(std::ostream& out, const Analysis& analysis, const DedupResult& result, const FieldNames& fields) {
  for (std::uint32_t d : result.kept) write_kept_line(out, analysis.documents[d], fields);
}

void write_removed(std::ostream& out, const Analysis& analysis, const DedupResult& result) {
  for (const auto& removal : result.removed)
    write_removed_line(out, analysis.documents[removal.removed].id,
                       removal.prior_original.empty() ? analysis.documents[removal.duplicate_of].id : removal.prior_original,
                       removal.relation, removal.score);
}

}  // namespace neardup
