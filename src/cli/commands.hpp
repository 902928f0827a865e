// The subcommands of `neardup`: each parses its own options and returns an exit code
// (0 success, 1 bad input, 2 bad usage; errors are thrown and mapped in main).
#pragma once

#include <string>
#include <vector>

namespace neardup {
class PersistentIndex;
}

namespace neardup::cli {

using Arguments = std::vector<std::string>;

struct Command {
  const char* name;
  const char* summary;
  int (*run)(const Arguments& arguments);
};

int run_pairs(const Arguments& arguments);
int run_dedup(const Arguments& arguments);
int run_cluster(const Arguments& arguments);
int run_evaluate(const Arguments& arguments);
int run_index(const Arguments& arguments);
int run_report(const Arguments& arguments);
int run_serve(const Arguments& arguments);

// Says on standard error what opening the index at path repaired or ignored (a torn log end,
// stale temporary files), when anything: recovery is never silent.
void report_recovery(const std::string& path, const PersistentIndex& index);

// Thrown for bad usage (exit code 2), with the message to print.
struct UsageError {
  std::string message;
};

}  // namespace neardup::cli
