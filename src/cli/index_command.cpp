// neardup index create|add|query|info|compact: a persistent index from the command line.
#include <algorithm>
#include <array>
#include <boost/program_options.hpp>
#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/input_options.hpp"
#include "cli/options.hpp"
#include "cli/output.hpp"
#include "neardup/ingest.hpp"
#include "neardup/persistent_index.hpp"

namespace neardup::cli {
namespace po = boost::program_options;
namespace {

constexpr const char* usage =
    "usage: neardup index create PATH [--spec SPEC]\n"
    "       neardup index add PATH INPUT... [--if-new] [--on-error skip]\n"
    "       neardup index query PATH INPUT... [-o MATCHES.jsonl]\n"
    "       neardup index info PATH\n"
    "       neardup index compact PATH\n"
    "query writes one line per input document: {\"id\":ID,\"matches\":[{\"id\":ID,\"relation\":R,\"score\":S}...]}";

constexpr std::array<std::string_view, 5> actions = {"create", "add", "query", "info", "compact"};

double rounded(double value) { return std::round(value * 1e4) / 1e4; }

nlohmann::json matches_json(const std::vector<Match>& matches) {
  auto list = nlohmann::json::array();
  for (const auto& match : matches)
    list.push_back({{"id", match.id}, {"relation", std::string(relation_name(match.relation))}, {"score", rounded(match.score)}});
  return list;
}

// The documents, and --rejected written for the caller to commit.
ReadResult read(InputOptions& input, std::unique_ptr<Output>& rejected_output) {
  ReadResult result = read_inputs(input.inputs, read_options(input));
  rejected_output = report_reading(input, result.rejected, result.warnings, result.documents.size());
  return result;
}

}  // namespace

void report_recovery(const std::string& path, const PersistentIndex& index) {
  const Recovery recovery = index.stats().recovery;
  if (!recovery.empty()) std::cerr << "neardup: index " << printable(path) << ": " << recovery.describe() << "\n";
}

int run_index(const Arguments& arguments) {
  std::string action, path, spec_text, output_path = "-";
  InputOptions input;
  bool if_new = false;
  po::options_description description("options");
  description.add_options()
      ("help,h", "show this help")
      ("spec", po::value(&spec_text)->value_name("SPEC"), ("create: the index spec (default: " + IndexSpec{}.to_string() + ")").c_str())
      ("if-new", po::bool_switch(&if_new), "add: only documents that are not exact or near duplicates of indexed ones")
      ("output,o", po::value(&output_path)->value_name("FILE"), "query: write here instead of standard output");
  description.add(input_description(input));
  po::options_description hidden;
  hidden.add_options()("action", po::value(&action))("path", po::value(&path))("input", po::value(&input.inputs));
  po::positional_options_description positional;
  positional.add("action", 1).add("path", 1).add("input", -1);
  if (!parse_arguments(arguments, description, hidden, positional, usage)) return 0;
  if (action.empty() || path.empty()) throw UsageError{"give an action (create, add, query, info, compact) and the index PATH"};
  if (std::find(actions.begin(), actions.end(), action) == actions.end())
    throw UsageError{"unknown action '" + action + "' (create, add, query, info, compact)"};
  IndexOptions index_options;
  index_options.threads = input.threads;

  if (action == "create") {
    const IndexSpec spec = spec_text.empty() ? IndexSpec{} : IndexSpec::parse(spec_text);
    auto index = PersistentIndex::open(path, spec, index_options);
    report_recovery(path, index);
    if (!input.quiet)
      std::cerr << "neardup index: " << path << " holds " << index.stats().documents << " documents (spec " << spec.to_string() << ")\n";
    return 0;
  }
  if (!spec_text.empty()) throw UsageError{"--spec is for create only; the other actions use the index's own spec"};
  if (action != "add" && action != "query" && !input.inputs.empty()) throw UsageError{"'" + action + "' takes no INPUT"};
  if (action == "add" || action == "query") {
    check(input);
    check_outputs(input.inputs, {{"--output", action == "query" ? output_path : ""}, {"--rejected", input.rejected_path}});
  }
  // Looking changes nothing on disk and may run beside other readers.
  index_options.read_only = action == "info" || action == "query";
  auto index = PersistentIndex::open_existing(path, index_options);
  report_recovery(path, index);
  std::unique_ptr<Output> rejected_output;
  if (action == "add") {
    const ReadResult documents = read(input, rejected_output);
    std::size_t skipped = 0;
    if (if_new) {
      for (const auto& document : documents.documents)
        if (!index.add_if_new(document.id, document.text, document.lang).added) ++skipped;
    } else {
      index.add_batch(documents.documents);
    }
    if (!input.quiet) {
      std::cerr << "neardup index: added " << documents.documents.size() - skipped << " documents";
      if (skipped) std::cerr << " (" << skipped << " already seen, not added)";
      std::cerr << "; " << index.stats().documents << " in the index\n";
    }
    if (rejected_output) rejected_output->commit();
    return 0;
  }
  if (action == "query") {
    const ReadResult documents = read(input, rejected_output);
    const auto results = index.query_batch(documents.documents);
    Output output(output_path);
    for (std::size_t i = 0; i < results.size(); ++i)
      output.stream() << nlohmann::json{{"id", documents.documents[i].id}, {"matches", matches_json(results[i])}}.dump() << "\n";
    commit_all({&output, rejected_output.get()});
    return 0;
  }
  if (action == "info") {
    const IndexStats stats = index.stats();
    const Recovery& recovery = stats.recovery;
    std::cout << nlohmann::json{{"path", path}, {"spec", index.spec().to_string()}, {"documents", stats.documents},
                                {"bytes_on_disk", stats.bytes_on_disk}, {"bytes_in_memory", stats.bytes_in_memory},
                                {"log_records", stats.log_records},
                                {"recovery", {{"torn_offset", recovery.torn_offset}, {"torn_bytes", recovery.torn_bytes},
                                              {"stale_log", recovery.stale_log}, {"removed_files", recovery.removed_files}}}}.dump()
              << "\n";
    return 0;
  }
  index.checkpoint();  // compact
  std::cerr << "neardup index: " << path << " compacted: " << index.stats().bytes_on_disk << " bytes on disk\n";
  return 0;
}

}  // namespace neardup::cli
