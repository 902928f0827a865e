// The Markdown summary of a report: for terminals and CI logs, where the HTML page cannot be
// opened.
#include <algorithm>
#include <map>
#include <numeric>

#include "neardup/report.hpp"

namespace neardup {
namespace {

// A table cell: pipes would split it and line breaks end the row.
std::string cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += "\\|";
    else if (c == '\n' || c == '\r') out += ' ';
    else out.push_back(c);
  }
  return out;
}

std::string tally(const ReportData& data, std::string ReportDocument::*field) {
  std::map<std::string, std::uint64_t> counts;
  for (const ReportDocument& document : data.documents) ++counts[document.*field];
  std::vector<std::pair<std::string, std::uint64_t>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& x, const auto& y) { return x.second > y.second; });
  std::string out = std::to_string(sorted.size()) + ":";
  for (const auto& [key, count] : sorted) out += " " + cell(key) + " " + std::to_string(count) + ",";
  out.pop_back();
  return out;
}

}  // namespace

void write_markdown_report(std::ostream& out, const ReportData& data, std::size_t max_rows) {
  std::uint64_t by_relation[3] = {0, 0, 0};
  for (const ReportPair& report_pair : data.pairs) ++by_relation[static_cast<int>(report_pair.pair.relation)];
  std::size_t multi = 0;
  for (const Cluster& cluster : data.clusters) multi += cluster.members.size() > 1;

  out << "# neardup report\n\n"
      << "| | |\n|---|---|\n"
      << "| documents | " << data.documents.size() << " |\n"
      << "| languages | " << (data.documents.empty() ? "0" : tally(data, &ReportDocument::lang)) << " |\n"
      << "| scripts | " << (data.documents.empty() ? "0" : tally(data, &ReportDocument::script)) << " |\n"
      << "| clusters | " << data.clusters.size() << " (" << multi << " of two or more documents) |\n"
      << "| exact-duplicate pairs | " << by_relation[0] << " |\n"
      << "| near-duplicate pairs | " << by_relation[1] << " |\n"
      << "| translation pairs | " << by_relation[2] << " |\n"
      << "| removed by dedup | " << data.removed_by_dedup << " (" << cell(data.removed_by_dedup_method) << ") |\n\n";

  // Largest first; among equals, in the clusters' own order.
  std::vector<std::size_t> order(data.clusters.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    return data.clusters[x].members.size() > data.clusters[y].members.size();
  });
  const std::size_t rows = std::min(max_rows, order.size());
  out << "## Clusters, largest first\n\n| cluster | size | languages | title |\n|---:|---:|---|---|\n";
  for (std::size_t row = 0; row < rows; ++row) {
    const Cluster& cluster = data.clusters[order[row]];
    std::string langs;
    for (const std::string& lang : cluster.langs) langs += (langs.empty() ? "" : ", ") + cell(lang);
    out << "| " << order[row] << " | " << cluster.members.size() << " | " << langs << " | " << cell(cluster.title) << " |\n";
  }
  if (rows < order.size())
    out << "\n(" << rows << " of " << order.size() << " clusters shown; the HTML report lists them all.)\n";
}

}  // namespace neardup
