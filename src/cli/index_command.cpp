// neardup index create|add|query|info|compact: a persistent index from the command line.
#include <boost/program_options.hpp>
#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
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

double rounded(double value) { return std::round(value * 1e4) / 1e4; }

nlohmann::json matches_json(const std::vector<Match>& matches) {
  auto list = nlohmann::json::array();
  for (const auto& match : matches)
    list.push_back({{"id", match.id}, {"relation", std::string(relation_name(match.relation))}, {"score", rounded(match.score)}});
  return list;
}

ReadResult read(const std::vector<std::string>& inputs, const std::string& on_error) {
  if (inputs.empty()) throw UsageError{"no INPUT given"};
  if (on_error != "fail" && on_error != "skip") throw UsageError{"--on-error must be fail or skip"};
  ReadOptions options;
  options.on_error = on_error == "skip" ? OnError::skip : OnError::fail;
  ReadResult result = read_inputs(inputs, options);
  for (const auto& reject : result.rejected)
    std::cerr << "skipped: " << reject.source << (reject.line ? ":" + std::to_string(reject.line) : "") << ": " << reject.reason << "\n";
  return result;
}

}  // namespace

int run_index(const Arguments& arguments) {
  std::string action, path, spec_text, output_path = "-", on_error = "fail";
  std::vector<std::string> inputs;
  bool if_new = false;
  po::options_description description("options");
  description.add_options()
      ("help,h", "show this help")
      ("spec", po::value(&spec_text), ("create: the index spec (default: " + IndexSpec{}.to_string() + ")").c_str())
      ("if-new", po::bool_switch(&if_new), "add: only documents that are not exact or near duplicates of indexed ones")
      ("on-error", po::value(&on_error), "add, query: bad documents: fail (stop, exit 1) or skip (leave out and report)")
      ("output,o", po::value(&output_path), "query: write here instead of standard output");
  po::options_description hidden;
  hidden.add_options()("action", po::value(&action))("path", po::value(&path))("input", po::value(&inputs));
  po::positional_options_description positional;
  positional.add("action", 1).add("path", 1).add("input", -1);
  if (!parse_arguments(arguments, description, hidden, positional, usage)) return 0;
  if (action.empty() || path.empty()) throw UsageError{"give an action (create, add, query, info, compact) and the index PATH"};

  if (action == "create") {
    const IndexSpec spec = spec_text.empty() ? IndexSpec{} : IndexSpec::parse(spec_text);
    auto index = PersistentIndex::open(path, spec);
    std::cerr << "neardup index: " << path << " holds " << index.stats().documents << " documents (spec " << spec.to_string() << ")\n";
    return 0;
  }
  if (!spec_text.empty()) throw UsageError{"--spec is for create only; the other actions use the index's own spec"};
  auto index = PersistentIndex::open_existing(path);
  if (action == "add") {
    const ReadResult input = read(inputs, on_error);
    std::size_t skipped = 0;
    if (if_new) {
      for (const auto& document : input.documents)
        if (!index.add_if_new(document.id, document.text, document.lang).added) ++skipped;
    } else {
      index.add_batch(input.documents);
    }
    std::cerr << "neardup index: added " << input.documents.size() - skipped << " documents";
    if (skipped) std::cerr << " (" << skipped << " already seen, not added)";
    std::cerr << "; " << index.stats().documents << " in the index\n";
    return 0;
  }
  if (action == "query") {
    const ReadResult input = read(inputs, on_error);
    const auto results = index.query_batch(input.documents);
    Output output(output_path);
    for (std::size_t i = 0; i < results.size(); ++i)
      output.stream() << nlohmann::json{{"id", input.documents[i].id}, {"matches", matches_json(results[i])}}.dump() << "\n";
    output.commit();
    return 0;
  }
  if (!inputs.empty()) throw UsageError{"'" + action + "' takes no INPUT"};
  if (action == "info") {
    const IndexStats stats = index.stats();
    std::cout << nlohmann::json{{"path", path}, {"spec", index.spec().to_string()}, {"documents", stats.documents},
                                {"bytes_on_disk", stats.bytes_on_disk}, {"bytes_in_memory", stats.bytes_in_memory},
                                {"log_records", stats.log_records}}.dump()
              << "\n";
    return 0;
  }
  if (action == "compact") {
    index.checkpoint();
    std::cerr << "neardup index: " << path << " compacted: " << index.stats().bytes_on_disk << " bytes on disk\n";
    return 0;
  }
  throw UsageError{"unknown action '" + action + "' (create, add, query, info, compact)"};
}

}  // namespace neardup::cli
