// pairs, dedup and cluster: read, analyse, write; dedup keeping the first streams instead.
#include <boost/program_options.hpp>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli/commands.hpp"
#include "cli/input_options.hpp"
#include "cli/options.hpp"
#include "cli/output.hpp"
#include "cli/progress.hpp"
#include "neardup/error.hpp"
#include "neardup/ingest.hpp"
#include "neardup/persistent_index.hpp"
#include "neardup/pipeline.hpp"
#include "neardup/report.hpp"

namespace neardup::cli {
namespace po = boost::program_options;
namespace {

struct CommonOptions {
  InputOptions input;
  std::string output = "-";
  PipelineOptions pipeline;
  std::string sketch = "minhash";
  std::string measure = PipelineOptions{}.measure == DuplicateMeasure::jaccard ? "jaccard" : "containment";
  bool many = false;
  bool no_same_story = false;
};

// The options every analysing command has: output, input and near-duplicate matching;
// `translations` adds those of translation finding.
po::options_description common_description(CommonOptions& options, bool translations) {
  po::options_description description("options");
  description.add_options()
      ("help,h", "show this help")
      ("output,o", po::value(&options.output)->value_name("FILE"), "write here instead of standard output")
      ("threshold", po::value(&options.pipeline.near_duplicate_threshold)->default_value(options.pipeline.near_duplicate_threshold),
       "near-duplicate: the --measure of the word shingles at least this, in (0, 1]")
      ("measure", po::value(&options.measure)->default_value(options.measure)->value_name("containment|jaccard"),
       "near-duplicate measure: containment (shared shingles / the shorter document's: finds copies cut from a longer "
       "text and articles holding most of a shorter one) or jaccard (shared / all of both: the same text at about the "
       "same length); pair scores are its value")
      ("sketch", po::value(&options.sketch)->default_value(options.sketch)->value_name("minhash|simhash"),
       "near-duplicate candidates from MinHash (LSH bands) or SimHash (Hamming tables); both verified exactly. SimHash "
       "suits --measure jaccard: under containment nearly every pair is a candidate");
  if (translations)
    description.add_options()("many", po::bool_switch(&options.many), "let a document pair with several translations in one language")
        ("no-same-story", po::bool_switch(&options.no_same_story), "do not seek same-story pairs (rewrites, second translations)");
  description.add(input_description(options.input));
  return description;
}

// Parses arguments; returns false when --help was asked (and printed).
bool parse(const Arguments& arguments, po::options_description& description, const char* usage, CommonOptions& options) {
  po::options_description hidden;
  hidden.add_options()("input", po::value(&options.input.inputs));
  po::positional_options_description positional;
  positional.add("input", -1);
  if (!parse_arguments(arguments, description, hidden, positional, usage)) return false;
  check(options.input);
  if (!(options.pipeline.near_duplicate_threshold > 0.0 && options.pipeline.near_duplicate_threshold <= 1.0))
    throw UsageError{"--threshold must be in (0, 1]"};
  if (options.sketch != "minhash" && options.sketch != "simhash") throw UsageError{"--sketch must be minhash or simhash"};
  if (options.measure != "containment" && options.measure != "jaccard")
    throw UsageError{"--measure must be containment or jaccard, not '" + printable(options.measure) + "'"};
  options.pipeline.measure = options.measure == "jaccard" ? DuplicateMeasure::jaccard : DuplicateMeasure::containment;
  options.pipeline.sketch = options.sketch == "simhash" ? SketchKind::simhash : SketchKind::minhash;
  options.pipeline.one_to_one = !options.many;
  options.pipeline.find_same_story = !options.no_same_story;
  options.pipeline.threads = options.input.threads;
  return true;
}

// `rejected_output` gets --rejected, written, for the caller to commit with its outputs;
// `keep_lines` keeps each JSON line, for dedup to write kept lines unchanged.
Analysis read_and_analyse(const CommonOptions& options, std::size_t& rejected, std::unique_ptr<Output>& rejected_output,
                          bool keep_lines = false) {
  ReadOptions read = read_options(options.input);
  read.keep_lines = keep_lines;
  ReadResult result = read_inputs(options.input.inputs, read);
  rejected = result.rejected.size();
  rejected_output = report_reading(options.input, result.rejected, result.warnings, result.documents.size());
  ProgressLine progress(!options.input.quiet);
  PipelineOptions pipeline = options.pipeline;
  pipeline.progress = progress.callback();
  return analyse(std::move(result.documents), pipeline);
}

void summarise_pairs(const Analysis& analysis, std::size_t rejected) {
  std::size_t by_relation[4] = {0, 0, 0, 0};
  for (const auto& pair : analysis.pairs) ++by_relation[static_cast<std::size_t>(pair.relation)];
  std::cerr << "neardup: " << analysis.documents.size() << " documents read";
  if (rejected) std::cerr << " (" << rejected << " rejected)";
  std::cerr << "; pairs: " << by_relation[0] << " exact-duplicate, " << by_relation[1] << " near-duplicate, " << by_relation[2]
            << " translation, " << by_relation[3] << " same-story\n";
}

// What dedup did, for the summary and --stats.
struct DedupSummary {
  std::uint64_t kept = 0;
  std::uint64_t exact = 0;  // removed as exact duplicates
  std::uint64_t near = 0;   // removed as near-duplicates
  std::uint64_t rejected = 0;
  std::map<std::string, LanguageTally> languages;

  void count(const std::string& lang, std::size_t bytes, std::optional<Relation> removed_as) {
    LanguageTally& tally = languages[lang];
    if (!removed_as) {
      ++kept;
      ++tally.kept;
      tally.kept_bytes += bytes;
      return;
    }
    ++(*removed_as == Relation::exact_duplicate ? exact : near);
    ++tally.removed;
    tally.removed_bytes += bytes;
  }
  std::uint64_t bytes(bool kept_side) const {
    std::uint64_t total = 0;
    for (const auto& [lang, tally] : languages) total += kept_side ? tally.kept_bytes : tally.removed_bytes;
    return total;
  }

  nlohmann::ordered_json json() const {
    nlohmann::ordered_json by_language = nlohmann::ordered_json::object();
    for (const auto& [lang, tally] : languages)
      by_language[lang] = {{"kept", tally.kept}, {"removed", tally.removed}, {"kept_bytes", tally.kept_bytes}, {"removed_bytes", tally.removed_bytes}};
    return {{"read", kept + exact + near + rejected},
            {"kept", kept},
            {"removed", exact + near},
            {"exact_duplicates", exact},
            {"near_duplicates", near},
            {"rejected", rejected},
            {"kept_bytes", bytes(true)},
            {"removed_bytes", bytes(false)},
            {"languages", std::move(by_language)}};
  }

  void print(std::ostream& out) const {
    out << "neardup: " << kept + exact + near + rejected << " read = " << kept << " kept + " << exact + near << " removed + " << rejected
        << " rejected\n";
    out << "neardup: removed " << exact << " exact and " << near << " near-duplicates; text kept " << megabytes(bytes(true))
        << ", removed " << megabytes(bytes(false)) << "\n";
    // The languages with most documents first; the long tail summed.
    std::vector<std::pair<std::string, LanguageTally>> ordered(languages.begin(), languages.end());
    std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
      return a.second.kept + a.second.removed > b.second.kept + b.second.removed;
    });
    constexpr std::size_t shown = 12;
    out << "neardup: by language (kept/removed):";
    std::uint64_t other_kept = 0, other_removed = 0;
    for (std::size_t i = 0; i < ordered.size(); ++i) {
      if (i < shown) {
        out << " " << ordered[i].first << " " << ordered[i].second.kept << "/" << ordered[i].second.removed;
      } else {
        other_kept += ordered[i].second.kept;
        other_removed += ordered[i].second.removed;
      }
    }
    if (ordered.size() > shown) out << " and " << ordered.size() - shown << " more " << other_kept << "/" << other_removed;
    out << "\n";
  }

  static std::string megabytes(std::uint64_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
    return text;
  }
};

}  // namespace

int run_pairs(const Arguments& arguments) {
  CommonOptions options;
  auto description = common_description(options, true);
  description.add_options()("all-pairs", po::bool_switch(&options.pipeline.all_pairs),
                            "write every couple of a group of exact copies (n(n-1)/2 lines), not each copy with the first");
  if (!parse(arguments, description, "usage: neardup pairs INPUT... [-o PAIRS.jsonl]", options)) return 0;
  check_outputs(options.input.inputs, {{"--output", options.output}, {"--rejected", options.input.rejected_path}});
  std::size_t rejected = 0;
  std::unique_ptr<Output> rejected_output;
  const Analysis analysis = read_and_analyse(options, rejected, rejected_output);
  Output output(options.output);
  write_pairs(output.stream(), analysis);
  commit_all({&output, rejected_output.get()});
  if (!options.input.quiet) summarise_pairs(analysis, rejected);
  return 0;
}

int run_cluster(const Arguments& arguments) {
  CommonOptions options;
  std::string report_path;
  ReportFields fields;
  auto description = common_description(options, true);
  description.add_options()
      ("report", po::value(&report_path)->value_name("FILE"), "also write a report: FILE.html (a page to explore) or FILE.md (a summary)");
  description.add(report_fields_description(fields));
  if (!parse(arguments, description, "usage: neardup cluster INPUT... [-o CLUSTERS.jsonl] [--report REPORT.html|REPORT.md]", options))
    return 0;
  const bool markdown = report_path.ends_with(".md") || report_path.ends_with(".markdown");
  if (!report_path.empty() && !markdown && !report_path.ends_with(".html") && !report_path.ends_with(".htm"))
    throw UsageError{"--report must name a .html or .md file"};
  check_outputs(options.input.inputs,
                {{"--output", options.output}, {"--report", report_path}, {"--rejected", options.input.rejected_path}});
  std::size_t rejected = 0;
  std::unique_ptr<Output> rejected_output;
  const Analysis analysis = read_and_analyse(options, rejected, rejected_output);
  const auto clusters = cluster_stories(analysis);
  Output output(options.output);
  write_clusters(output.stream(), analysis, clusters);
  std::optional<Output> report;
  if (!report_path.empty()) {
    report.emplace(report_path);
    const ReportData data = report_data(analysis, clusters, fields);
    if (markdown)
      write_markdown_report(report->stream(), data);
    else
      write_html_report(report->stream(), data);
  }
  commit_all({&output, report ? &*report : nullptr, rejected_output.get()});
  if (!options.input.quiet) {
    summarise_pairs(analysis, rejected);
    std::size_t singletons = 0;
    for (const auto& cluster : clusters) singletons += cluster.members.size() == 1;
    std::cerr << "neardup: " << clusters.size() << " clusters (" << singletons << " of one document)\n";
  }
  return 0;
}

// The best of the index's copies of a document (exact ones first, then by descending score), for
// dedup --index.
PriorOriginal copies_in(const PersistentIndex& index) {
  return [&index](const Document& document) -> std::optional<Match> {
    std::vector<Match> copies = index.copies(document.text, document.lang);
    if (copies.empty()) return std::nullopt;
    return std::move(copies.front());
  };
}

int run_dedup(const Arguments& arguments) {
  CommonOptions options;
  std::string removed_path, stats_path, index_path;
  std::string keep = "first";
  auto description = common_description(options, false);
  description.add_options()
      ("removed", po::value(&removed_path)->value_name("FILE"), "write the removed documents here: id, duplicate_of, relation, score")
      ("keep", po::value(&keep)->default_value(keep)->value_name("first|longest"),
       "which document of a group to keep: first (in input order; streams in two passes) or longest (holds the corpus)")
      ("stats", po::value(&stats_path)->value_name("FILE"), "write the summary here as JSON: counts, bytes, languages")
      ("index", po::value(&index_path)->value_name("PATH"),
       "a persistent index of what earlier runs kept (created when absent): documents that duplicate one of its documents "
       "are removed too, naming it, and the kept ones are added to it once the outputs are written");
  if (!parse(arguments, description,
             "usage: neardup dedup INPUT... -o KEPT.jsonl [--removed REMOVED.jsonl] [--stats STATS.json] [--index PATH]\n"
             "Kept lines are the input lines, unchanged. Standard input (-) and compressed inputs are copied,\n"
             "compressed, to a temporary file in $TMPDIR for the second pass; it is removed on every exit.",
             options))
    return 0;
  if (keep != "first" && keep != "longest") throw UsageError{"--keep must be first or longest"};
  check_outputs(options.input.inputs, {{"--output", options.output},
                                       {"--removed", removed_path},
                                       {"--stats", stats_path},
                                       {"--rejected", options.input.rejected_path}});
  options.pipeline.find_translations = false;  // dedup keeps translations: no need to find them
  // Opened first: an index that another process holds, or that is damaged, fails the run before any work.
  std::optional<PersistentIndex> index;
  if (!index_path.empty())
    index.emplace(PersistentIndex::exists(index_path) ? PersistentIndex::open_existing(index_path)
                                                      : PersistentIndex::open(index_path, IndexSpec{}));
  if (index) report_recovery(index_path, *index);
  const PriorOriginal prior_original = index ? copies_in(*index) : PriorOriginal{};
  // The kept documents, added to the index only once every output is committed: a run that
  // fails leaves the index as it was, and a rerun finds the same documents new.
  std::vector<Document> to_index;
  const auto add_to_index = [&] {
    if (!index || to_index.empty()) return;
    try {
      index->add_batch(to_index);
    } catch (const Error& error) {
      throw Error(error.code(), std::string(error.what()) + " (the outputs are written; the index " + index_path +
                                    " was not changed: run again once it is fixed)");
    }
    if (!options.input.quiet) std::cerr << "neardup: added " << to_index.size() << " kept documents to the index " << index_path << "\n";
  };
  const auto remember = [&](const Document& document) {
    if (index) to_index.push_back({document.id, document.text, document.lang, {}, {}, 0, {}});
  };
  DedupSummary summary;
  // Outputs are opened once the inputs are read: a folder given as input may be the output's.
  std::optional<Output> kept, removed;
  const auto open_outputs = [&] {
    if (kept) return;
    kept.emplace(options.output);
    if (!removed_path.empty()) removed.emplace(removed_path);
  };
  // Once the documents are decided and --rejected written: the other outputs, committed with it.
  const auto finish = [&](std::unique_ptr<Output> rejected_output) {
    open_outputs();
    std::optional<Output> stats;
    if (!stats_path.empty()) {
      stats.emplace(stats_path);
      stats->stream() << summary.json().dump(2) << "\n";
    }
    commit_all({&*kept, removed ? &*removed : nullptr, stats ? &*stats : nullptr, rejected_output.get()});
    if (!options.input.quiet) summary.print(std::cerr);
  };
  if (keep == "longest") {
    // The longest of a group may come last: every document must be seen before the first decision.
    std::unique_ptr<Output> rejected_output;
    const Analysis analysis = read_and_analyse(options, summary.rejected, rejected_output, true);
    const DedupResult result = deduplicate(analysis, KeepPolicy::longest, prior_original);
    for (std::uint32_t d : result.kept) remember(analysis.documents[d]);
    for (std::uint32_t d : result.kept) summary.count(analysis.info[d].lang, analysis.documents[d].text.size(), std::nullopt);
    for (const auto& removal : result.removed)
      summary.count(analysis.info[removal.removed].lang, analysis.documents[removal.removed].text.size(), removal.relation);
    open_outputs();
    write_kept(kept->stream(), analysis, result, options.input.fields);
    if (removed) write_removed(removed->stream(), analysis, result);
    finish(std::move(rejected_output));
    add_to_index();
    return 0;
  }
  DedupSinks sinks;
  sinks.kept = [&](const Document& document) {
    open_outputs();
    write_kept_line(kept->stream(), document, options.input.fields);
    remember(document);
  };
  sinks.prior_original = prior_original;
  sinks.removed = [&](const Document& document, std::string_view duplicate_of, Relation relation, double score) {
    open_outputs();
    if (removed) write_removed_line(removed->stream(), document.id, duplicate_of, relation, score);
    ++(relation == Relation::exact_duplicate ? summary.exact : summary.near);
  };
  ProgressLine progress(!options.input.quiet);
  options.pipeline.progress = progress.callback();
  const StreamedDedup result = deduplicate_inputs(options.input.inputs, read_options(options.input), options.pipeline, sinks);
  progress.clear();
  summary.kept = result.kept;
  summary.rejected = result.rejected.size();
  summary.languages = result.languages;
  finish(report_reading(options.input, result.rejected, result.warnings, result.kept + result.removed));
  add_to_index();
  return 0;
}

}  // namespace neardup::cli
