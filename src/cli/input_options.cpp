#include "cli/input_options.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "neardup/error.hpp"

namespace neardup::cli {
namespace po = boost::program_options;
namespace {

// Enough to see what is wrong; the rest are counted (and all are in --rejected).
constexpr std::size_t rejections_shown = 20;

std::string where(const std::string& source, std::uint64_t line) {
  const std::string shown = source == "-" ? std::string("<stdin>") : printable(source);  // as InputError names it
  return line ? shown + ":" + std::to_string(line) : shown;
}

std::string inputs_named(const std::vector<std::string>& inputs) {
  std::string named;
  for (const auto& input : inputs) named += (named.empty() ? "" : ", ") + (input == "-" ? std::string("standard input") : input);
  return named;
}

std::unique_ptr<Output> write_rejected(const std::string& path, const std::vector<Rejected>& rejected) {
  auto output = std::make_unique<Output>(path);
  for (const auto& reject : rejected) {
    nlohmann::ordered_json line = {{"file", reject.source},
                                   {"line", reject.line ? nlohmann::ordered_json(reject.line) : nlohmann::ordered_json()},
                                   {"reason", reject.reason},
                                   {"raw", reject.line ? nlohmann::ordered_json(reject.raw) : nlohmann::ordered_json()}};
    // A line rejected for bad UTF-8 is written with U+FFFD for its bad bytes.
    output->stream() << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }
  return output;
}

}  // namespace

po::options_description input_description(InputOptions& options, bool threads) {
  po::options_description description("input options");
  description.add_options()
      ("on-error", po::value(&options.on_error)->value_name("fail|skip"),
       "bad documents: fail (stop, exit 1) or skip (leave out, count, go on); default fail, or skip with --rejected")
      ("rejected", po::value(&options.rejected_path)->value_name("FILE"),
       "write every rejected document here as a JSON line {\"file\",\"line\",\"reason\",\"raw\"}")
      ("text-field", po::value(&options.fields.text)->default_value(options.fields.text)->value_name("NAME"),
       "JSON Lines: the field holding the text; a dotted path (meta.body) reaches into objects")
      ("id-field", po::value(&options.fields.id)->default_value(options.fields.id)->value_name("NAME"), "JSON Lines: the field holding the id")
      ("lang-field", po::value(&options.fields.lang)->default_value(options.fields.lang)->value_name("NAME"),
       "JSON Lines: the field holding the language, if any (else it is detected)")
      ("quiet,q", po::bool_switch(&options.quiet), "no summary or progress on standard error");
  if (threads)
    description.add_options()("threads", po::value(&options.threads)->default_value(0)->value_name("N"), "threads to use; 0: one per core");
  return description;
}

void check(InputOptions& options) {
  if (options.inputs.empty()) throw UsageError{"no INPUT given"};
  if (options.on_error.empty()) options.on_error = options.rejected_path.empty() ? "fail" : "skip";
  if (options.on_error != "fail" && options.on_error != "skip") throw UsageError{"--on-error must be fail or skip"};
  if (!options.rejected_path.empty() && options.on_error == "fail")
    throw UsageError{"--rejected lists what --on-error skip leaves out; drop --on-error fail"};
  for (const std::string* name : {&options.fields.text, &options.fields.id, &options.fields.lang})
    if (name->empty()) throw UsageError{"a field name must not be empty"};
  if (options.fields.text == options.fields.id || options.fields.text == options.fields.lang || options.fields.id == options.fields.lang)
    throw UsageError{"--text-field, --id-field and --lang-field must name three different fields"};
  if (options.threads > 1024) throw UsageError{"--threads must be at most 1024 (0: one per core)"};
}

ReadOptions read_options(const InputOptions& options) {
  ReadOptions read;
  read.on_error = options.on_error == "skip" ? OnError::skip : OnError::fail;
  read.fields = options.fields;
  return read;
}

std::unique_ptr<Output> report_reading(const InputOptions& options, const std::vector<Rejected>& rejected,
                                       const std::vector<Warning>& warnings, std::uint64_t accepted) {
  std::unique_ptr<Output> rejected_output;
  if (!options.rejected_path.empty()) rejected_output = write_rejected(options.rejected_path, rejected);
  if (!options.quiet) {
    for (std::size_t i = 0; i < std::min(rejected.size(), rejections_shown); ++i)
      std::cerr << "skipped: " << where(rejected[i].source, rejected[i].line) << ": " << rejected[i].reason << "\n";
    if (rejected.size() > rejections_shown)
      std::cerr << "skipped: " << rejected.size() - rejections_shown << " more"
                << (options.rejected_path.empty() ? " (--rejected FILE lists them all)" : " (all are in " + options.rejected_path + ")") << "\n";
    for (const auto& warning : warnings) std::cerr << "warning: " << where(warning.source, warning.line) << ": " << warning.message << "\n";
  }
  if (accepted > 0) return rejected_output;
  if (rejected_output) rejected_output->commit();
  if (rejected.empty()) throw Error(ErrorCode::bad_input, "no documents in " + inputs_named(options.inputs));
  throw Error(ErrorCode::bad_input, "every document was rejected (" + std::to_string(rejected.size()) + ")" +
                                        (options.rejected_path.empty() ? "; --rejected FILE lists them" : "; they are listed in " + options.rejected_path));
}

}  // namespace neardup::cli
