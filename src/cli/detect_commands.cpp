// pairs, dedup and cluster: read, analyse, write; dedup keeping the first streams instead.
#include <boost/program_options.hpp>
#include <iostream>
#include <optional>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/output.hpp"
#include "cli/progress.hpp"
#include "neardup/ingest.hpp"
#include "neardup/pipeline.hpp"
#include "neardup/report.hpp"

namespace neardup::cli {
namespace po = boost::program_options;
namespace {

struct CommonOptions {
  std::vector<std::string> inputs;
  std::string output = "-";
  std::string on_error = "fail";
  PipelineOptions pipeline;
  std::string sketch = "minhash";
  bool many = false;
  bool quiet = false;
};

po::options_description common_description(CommonOptions& options) {
  po::options_description description("options");
  description.add_options()
      ("help,h", "show this help")
      ("output,o", po::value(&options.output), "write here instead of standard output")
      ("on-error", po::value(&options.on_error), "bad documents: fail (stop, exit 1) or skip (leave out and count)")
      ("threshold", po::value(&options.pipeline.near_duplicate_threshold),
       "near-duplicate: word-shingle Jaccard at least this (default 0.5)")
      ("sketch", po::value(&options.sketch), "near-duplicate candidates from minhash (LSH bands) or simhash (Hamming tables)")
      ("many", po::bool_switch(&options.many), "let a document pair with several translations in one language")
      ("quiet,q", po::bool_switch(&options.quiet), "no summary on standard error");
  return description;
}

// Parses arguments; returns false when --help was asked (and printed).
bool parse(const Arguments& arguments, po::options_description& description, const char* usage, CommonOptions& options) {
  po::options_description hidden;
  hidden.add_options()("input", po::value(&options.inputs));
  po::positional_options_description positional;
  positional.add("input", -1);
  if (!parse_arguments(arguments, description, hidden, positional, usage)) return false;
  if (options.inputs.empty()) throw UsageError{"no INPUT given"};
  if (options.on_error != "fail" && options.on_error != "skip") throw UsageError{"--on-error must be fail or skip"};
  if (!(options.pipeline.near_duplicate_threshold > 0.0 && options.pipeline.near_duplicate_threshold <= 1.0))
    throw UsageError{"--threshold must be in (0, 1]"};
  if (options.sketch != "minhash" && options.sketch != "simhash") throw UsageError{"--sketch must be minhash or simhash"};
  options.pipeline.sketch = options.sketch == "simhash" ? SketchKind::simhash : SketchKind::minhash;
  options.pipeline.one_to_one = !options.many;
  return true;
}

ReadOptions read_options(const CommonOptions& options) {
  ReadOptions read_options;
  read_options.on_error = options.on_error == "skip" ? OnError::skip : OnError::fail;
  return read_options;
}

void report_reading(const CommonOptions& options, const std::vector<Rejected>& rejected, const std::vector<Warning>& warnings) {
  if (options.quiet) return;
  auto where = [](const std::string& source, std::uint64_t line) {
    return line ? source + ":" + std::to_string(line) : source;
  };
  for (const auto& reject : rejected) std::cerr << "skipped: " << where(reject.source, reject.line) << ": " << reject.reason << "\n";
  for (const auto& warning : warnings) std::cerr << "warning: " << where(warning.source, warning.line) << ": " << warning.message << "\n";
}

Analysis read_and_analyse(const CommonOptions& options, std::size_t& rejected) {
  ReadResult read = read_inputs(options.inputs, read_options(options));
  rejected = read.rejected.size();
  report_reading(options, read.rejected, read.warnings);
  ProgressLine progress(!options.quiet);
  PipelineOptions pipeline = options.pipeline;
  pipeline.progress = progress.callback();
  return analyse(std::move(read.documents), pipeline);
}

void summarise_dedup(const CommonOptions& options, std::uint64_t kept, std::uint64_t removed, std::uint64_t rejected) {
  if (!options.quiet)
    std::cerr << "neardup: " << kept + removed + rejected << " read = " << kept << " kept + " << removed << " removed + " << rejected
              << " rejected\n";
}

void summarise_pairs(const Analysis& analysis, std::size_t rejected) {
  std::size_t exact = 0, near = 0, translations = 0;
  for (const auto& pair : analysis.pairs)
    (pair.relation == Relation::exact_duplicate ? exact : pair.relation == Relation::near_duplicate ? near : translations)++;
  std::cerr << "neardup: " << analysis.documents.size() << " documents read";
  if (rejected) std::cerr << " (" << rejected << " rejected)";
  std::cerr << "; pairs: " << exact << " exact-duplicate, " << near << " near-duplicate, " << translations << " translation\n";
}

}  // namespace

int run_pairs(const Arguments& arguments) {
  CommonOptions options;
  auto description = common_description(options);
  if (!parse(arguments, description, "usage: neardup pairs INPUT... [-o PAIRS.jsonl]", options)) return 0;
  std::size_t rejected = 0;
  const Analysis analysis = read_and_analyse(options, rejected);
  Output output(options.output);
  write_pairs(output.stream(), analysis);
  output.commit();
  if (!options.quiet) summarise_pairs(analysis, rejected);
  return 0;
}

int run_cluster(const Arguments& arguments) {
  CommonOptions options;
  std::string report_path;
  auto description = common_description(options);
  description.add_options()
      ("report", po::value(&report_path), "also write a report: REPORT.html (a page to explore) or REPORT.md (a summary)");
  if (!parse(arguments, description, "usage: neardup cluster INPUT... [-o CLUSTERS.jsonl] [--report REPORT.html|REPORT.md]", options))
    return 0;
  const bool markdown = report_path.ends_with(".md") || report_path.ends_with(".markdown");
  if (!report_path.empty() && !markdown && !report_path.ends_with(".html") && !report_path.ends_with(".htm"))
    throw UsageError{"--report must name a .html or .md file"};
  std::size_t rejected = 0;
  const Analysis analysis = read_and_analyse(options, rejected);
  const auto clusters = cluster_stories(analysis);
  Output output(options.output);
  write_clusters(output.stream(), analysis, clusters);
  if (!report_path.empty()) {
    Output report(report_path);
    const ReportData data = report_data(analysis, clusters);
    if (markdown)
      write_markdown_report(report.stream(), data);
    else
      write_html_report(report.stream(), data);
    report.commit();
  }
  output.commit();
  if (!options.quiet) {
    summarise_pairs(analysis, rejected);
    std::size_t singletons = 0;
    for (const auto& cluster : clusters) singletons += cluster.members.size() == 1;
    std::cerr << "neardup: " << clusters.size() << " clusters (" << singletons << " of one document)\n";
  }
  return 0;
}

int run_dedup(const Arguments& arguments) {
  CommonOptions options;
  std::string removed_path;
  std::string keep = "first";
  auto description = common_description(options);
  description.add_options()
      ("removed", po::value(&removed_path), "write the removed documents here: id, duplicate_of, relation, score")
      ("keep", po::value(&keep), "which document of a group to keep: first (in input order) or longest");
  if (!parse(arguments, description, "usage: neardup dedup INPUT... -o KEPT.jsonl [--removed REMOVED.jsonl]", options)) return 0;
  if (keep != "first" && keep != "longest") throw UsageError{"--keep must be first or longest"};
  options.pipeline.find_translations = false;  // dedup keeps translations: no need to find them
  // Outputs are opened once the inputs are read: a folder given as input may be the output's.
  std::optional<Output> kept, removed;
  const auto open_outputs = [&] {
    if (kept) return;
    kept.emplace(options.output);
    if (!removed_path.empty()) removed.emplace(removed_path);
  };
  const auto commit = [&] {
    open_outputs();
    if (removed) removed->commit();
    kept->commit();
  };
  if (keep == "longest") {
    // The longest of a group may come last: every document must be seen before the first decision.
    std::size_t rejected = 0;
    const Analysis analysis = read_and_analyse(options, rejected);
    const DedupResult result = deduplicate(analysis, KeepPolicy::longest);
    open_outputs();
    write_kept(kept->stream(), analysis, result);
    if (removed) write_removed(removed->stream(), analysis, result);
    commit();
    summarise_dedup(options, result.kept.size(), result.removed.size(), rejected);
    return 0;
  }
  DedupSinks sinks;
  sinks.kept = [&](const Document& document) {
    open_outputs();
    write_kept_line(kept->stream(), document);
  };
  sinks.removed = [&](const Document& document, std::string_view duplicate_of, Relation relation, double score) {
    open_outputs();
    if (removed) write_removed_line(removed->stream(), document.id, duplicate_of, relation, score);
  };
  ProgressLine progress(!options.quiet);
  options.pipeline.progress = progress.callback();
  const StreamedDedup result = deduplicate_inputs(options.inputs, read_options(options), options.pipeline, sinks);
  progress.clear();
  report_reading(options, result.rejected, result.warnings);
  commit();
  summarise_dedup(options, result.kept, result.removed, result.rejected.size());
  return 0;
}

}  // namespace neardup::cli
