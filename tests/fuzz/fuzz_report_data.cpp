// libFuzzer target: any bytes as the three inputs of `neardup report` (documents, saved pairs,
// saved clusters), cut at 0xFF bytes (never in UTF-8), through report_data and both reports.
// A saved file that does not fit the documents must end as a neardup::Error naming it; data that
// gets through must be what the page's script relies on: every index in range, shared words
// ascending and inside their text, every document in exactly one cluster, the first render's
// JSON without a '<' that could end its <script> element, and every text read back whole from
// the page's gzip chunks.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ingest/read.hpp"
#include "neardup/error.hpp"
#include "neardup/report.hpp"
#include "support/report_page.hpp"
#include "fuzz_check.hpp"

namespace {

using neardup::fuzz::check;

// One folder per process for the two saved files, which report_data reads by path.
const std::string& scratch_folder() {
  static const std::string folder = [] {
    char name[] = "/tmp/fuzz_report_data.XXXXXX";
    check(mkdtemp(name) != nullptr);
    return std::string(name);
  }();
  return folder;
}

std::string write_file(const std::string& name, std::string_view bytes) {
  const std::string path = scratch_folder() + "/" + name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  check(static_cast<bool>(out.flush()));
  return path;
}

void check_words(const std::vector<neardup::SharedWord>& words, const std::string& text) {
  std::uint32_t previous_end = 0;
  for (const neardup::SharedWord& word : words) {
    check(previous_end <= word.span.begin && word.span.begin < word.span.end && word.span.end <= text.size());
    previous_end = word.span.end;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t first_cut = input.find('\xFF');
  if (first_cut == std::string_view::npos) return 0;
  const std::size_t second_cut = input.find('\xFF', first_cut + 1);
  if (second_cut == std::string_view::npos) return 0;

  neardup::ReadOptions options;
  options.on_error = neardup::OnError::skip;
  const std::vector<neardup::Document> documents =
      neardup::detail::read_jsonl_buffer(input.substr(0, first_cut), "docs.jsonl", options).documents;
  const std::string pairs_path = write_file("pairs.jsonl", input.substr(first_cut + 1, second_cut - first_cut - 1));
  const std::string clusters_path = write_file("clusters.jsonl", input.substr(second_cut + 1));

  neardup::ReportData report;
  try {
    report = neardup::report_data(documents, pairs_path, clusters_path);
  } catch (const neardup::Error& error) {
    check(error.code() == neardup::ErrorCode::bad_input);
    return 0;
  }

  const std::size_t n = report.documents.size();
  check(n == documents.size());
  std::vector<int> clusters_of(n, 0);
  for (const neardup::Cluster& cluster : report.clusters) {
    check(cluster.representative < n && !cluster.langs.empty());
    for (const std::uint32_t member : cluster.members) {
      check(member < n);
      ++clusters_of[member];
    }
  }
  for (std::size_t d = 0; d < n; ++d) check(clusters_of[d] >= 1);
  for (std::size_t p = 0; p < report.pairs.size(); ++p) {
    const neardup::ReportPair& pair = report.pairs[p];
    check(pair.pair.a <= pair.pair.b && pair.pair.b < n);
    if (p > 0) check(std::pair(report.pairs[p - 1].pair.a, report.pairs[p - 1].pair.b) <= std::pair(pair.pair.a, pair.pair.b));
    check_words(pair.shared_a, report.documents[pair.pair.a].text);
    check_words(pair.shared_b, report.documents[pair.pair.b].text);
  }

  std::ostringstream page;
  neardup::write_html_report(page, report);
  const std::string html = page.str();
  // What the page parses must not be able to end its element: the JSON has no '<', and the
  // chunks are base64.
  check(neardup::testing::script_text(html, "application/json", "neardup-data").find('<') == std::string_view::npos);
  const nlohmann::json embedded = neardup::testing::embedded_data(html);
  check(embedded.at("docs").size() == n && embedded.at("pairs").size() == report.pairs.size() &&
        embedded.at("clusters").size() == report.clusters.size());
  const nlohmann::json& texts = embedded.at("texts");
  for (std::size_t d = 0; d < n; ++d) {
    const std::string key = std::to_string(d);
    check(report.documents[d].text.empty() ? !texts.contains(key) : texts.contains(key) && texts.at(key) == report.documents[d].text);
  }

  std::ostringstream markdown;
  neardup::write_markdown_report(markdown, report);
  check(!markdown.str().empty());
  return 0;
}
