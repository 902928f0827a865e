// The options of every command that reads documents, and what it says about what it read.
#pragma once

#include <boost/program_options.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cli/output.hpp"
#include "neardup/ingest.hpp"

namespace neardup::cli {

struct InputOptions {
  std::vector<std::string> inputs;
  std::string on_error;  // "fail", "skip", or empty: fail, unless --rejected asks to skip
  std::string rejected_path;
  FieldNames fields;
  unsigned threads = 0;
  bool quiet = false;
};

// --on-error, --rejected, --text-field, --id-field, --lang-field, --quiet, and --threads for a
// command that works in parallel.
boost::program_options::options_description input_description(InputOptions& options, bool threads = true);

// Throws UsageError for values out of range.
void check(InputOptions& options);

ReadOptions read_options(const InputOptions& options);

// After reading: the first rejections and warnings on standard error (unless quiet), and every
// rejection written to --rejected, returned uncommitted for the caller to commit with its other
// outputs. When no document was accepted (an empty input, or everything rejected) it throws
// Error(bad_input), having committed --rejected: the one output a failed run writes, since it
// says why.
std::unique_ptr<Output> report_reading(const InputOptions& options, const std::vector<Rejected>& rejected,
                                       const std::vector<Warning>& warnings, std::uint64_t accepted);

}  // namespace neardup::cli
