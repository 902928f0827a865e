// The options of every command that reads documents, and what it says about what it read.
#pragma once

#include <boost/program_options.hpp>
#include <cstdint>
#include <string>
#include <vector>

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

// After reading: the first rejections and warnings on standard error (unless quiet), every
// rejection to --rejected, and an Error(bad_input) when no document was accepted (an empty
// input, or everything rejected).
void report_reading(const InputOptions& options, const std::vector<Rejected>& rejected, const std::vector<Warning>& warnings,
                    std::uint64_t accepted);

}  // namespace neardup::cli
