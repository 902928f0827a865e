// report and serve: the HTML or Markdown report made again from saved outputs, without detecting
// again; written to a file, or served to a browser on this machine.
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
namespace {

// What both commands are given: the documents and the saved pairs and clusters.
struct SavedOutputs {
  InputOptions input;
  std::string pairs_path, clusters_path;
  ReportFields fields;
};

po::options_description saved_outputs_description(SavedOutputs& saved) {
  po::options_description description("options");
  description.add_options()
      ("help,h", "show this help")
      ("documents", po::value(&saved.input.inputs)->multitoken()->value_name("INPUT..."), "the inputs the pairs and clusters were made from (for the texts)")
      ("pairs", po::value(&saved.pairs_path)->value_name("FILE"), "output of `neardup pairs`")
      ("clusters", po::value(&saved.clusters_path)->value_name("FILE"), "output of `neardup cluster`");
  return description;
}

void check(SavedOutputs& saved) {
  if (saved.input.inputs.empty()) throw UsageError{"--documents is required"};
  check(saved.input);
  if (saved.pairs_path.empty() || saved.clusters_path.empty()) throw UsageError{"--pairs and --clusters are required"};
}

ReportData read_saved(const SavedOutputs& saved, std::unique_ptr<Output>& rejected_output) {
  ReadResult read = read_inputs(saved.input.inputs, read_options(saved.input));
  rejected_output = report_reading(saved.input, read.rejected, read.warnings, read.documents.size());
  return report_data(std::move(read.documents), saved.pairs_path, saved.clusters_path, saved.fields);
}

}  // namespace

int run_report(const Arguments& arguments) {
  SavedOutputs saved;
  std::string report_path;
  auto description = saved_outputs_description(saved);
  description.add_options()("report", po::value(&report_path)->value_name("FILE"), "write FILE.html (a page to explore) or FILE.md (a summary)");
  description.add(report_fields_description(saved.fields));
  description.add(input_description(saved.input, false));
  if (!parse_arguments(arguments, description, {}, {},
                       "usage: neardup report --documents INPUT... --pairs PAIRS.jsonl --clusters CLUSTERS.jsonl "
                       "--report REPORT.html|REPORT.md"))
    return 0;
  check(saved);
  const bool markdown = report_path.ends_with(".md") || report_path.ends_with(".markdown");
  if (!markdown && !report_path.ends_with(".html") && !report_path.ends_with(".htm"))
    throw UsageError{"--report must name a .html or .md file"};
  std::vector<std::string> read_paths = saved.input.inputs;
  read_paths.insert(read_paths.end(), {saved.pairs_path, saved.clusters_path});
  check_outputs(read_paths, {{"--report", report_path}, {"--rejected", saved.input.rejected_path}});

  std::unique_ptr<Output> rejected_output;
  const ReportData data = read_saved(saved, rejected_output);
  Output report(report_path);
  if (markdown)
    write_markdown_report(report.stream(), data);
  else
    write_html_report(report.stream(), data);
  commit_all({&report, rejected_output.get()});
  return 0;
}

int run_serve(const Arguments& arguments) {
  SavedOutputs saved;
  unsigned port = 8040;
  auto description = saved_outputs_description(saved);
  description.add_options()("port", po::value(&port)->default_value(port)->value_name("N"),
                            "the port on 127.0.0.1 to serve at; 0: any free one (the address is printed)");
  description.add(report_fields_description(saved.fields));
  description.add(input_description(saved.input, false));
  if (!parse_arguments(arguments, description, {}, {},
                       "usage: neardup serve --documents INPUT... --pairs PAIRS.jsonl --clusters CLUSTERS.jsonl [--port N]"))
    return 0;
  check(saved);
  if (port > 65535) throw UsageError{"--port must be at most 65535"};
  check_outputs(saved.input.inputs, {{"--rejected", saved.input.rejected_path}});

  std::unique_ptr<Output> rejected_output;
  const ReportData data = read_saved(saved, rejected_output);
  commit_all({rejected_output.get()});
  serve_html_report(data, static_cast<std::uint16_t>(port), [&](std::uint16_t bound) {
    // On standard output, so that a script can read where to point a browser.
    std::cout << "http://127.0.0.1:" << bound << "/" << std::endl;
    if (!saved.input.quiet) std::cerr << "neardup: serving the report at http://127.0.0.1:" << bound << "/ until stopped (Ctrl-C)\n";
  });
  return 0;
}

}  // namespace neardup::cli
