// report: the HTML or Markdown report made again from saved outputs, without detecting again.
#include <boost/program_options.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/input_options.hpp"
#include "cli/options.hpp"
#include "cli/output.hpp"
#include "neardup/ingest.hpp"
#include "neardup/report.hpp"

namespace neardup::cli {
namespace po = boost::program_options;

int run_report(const Arguments& arguments) {
  InputOptions input;
  std::string pairs_path, clusters_path, report_path;
  po::options_description description("options");
  description.add_options()
      ("help,h", "show this help")
      ("documents", po::value(&input.inputs)->multitoken()->value_name("INPUT..."), "the inputs the pairs and clusters were made from (for the texts)")
      ("pairs", po::value(&pairs_path)->value_name("FILE"), "output of `neardup pairs`")
      ("clusters", po::value(&clusters_path)->value_name("FILE"), "output of `neardup cluster`")
      ("report", po::value(&report_path)->value_name("FILE"), "write FILE.html (a page to explore) or FILE.md (a summary)");
  ReportFields fields;
  description.add(report_fields_description(fields));
  description.add(input_description(input, false));
  if (!parse_arguments(arguments, description, {}, {},
                       "usage: neardup report --documents INPUT... --pairs PAIRS.jsonl --clusters CLUSTERS.jsonl "
                       "--report REPORT.html|REPORT.md"))
    return 0;
  if (input.inputs.empty()) throw UsageError{"--documents is required"};
  check(input);
  if (pairs_path.empty() || clusters_path.empty()) throw UsageError{"--pairs and --clusters are required"};
  const bool markdown = report_path.ends_with(".md") || report_path.ends_with(".markdown");
  if (!markdown && !report_path.ends_with(".html") && !report_path.ends_with(".htm"))
    throw UsageError{"--report must name a .html or .md file"};
  std::vector<std::string> read_paths = input.inputs;
  read_paths.insert(read_paths.end(), {pairs_path, clusters_path});
  check_outputs(read_paths, {{"--report", report_path}, {"--rejected", input.rejected_path}});

  ReadResult read = read_inputs(input.inputs, read_options(input));
  const auto rejected_output = report_reading(input, read.rejected, read.warnings, read.documents.size());
  const ReportData data = report_data(std::move(read.documents), pairs_path, clusters_path, fields);
  Output report(report_path);
  if (markdown)
    write_markdown_report(report.stream(), data);
  else
    write_html_report(report.stream(), data);
  commit_all({&report, rejected_output.get()});
  return 0;
}

}  // namespace neardup::cli
