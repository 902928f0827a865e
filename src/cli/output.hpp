// Output files that are never left half-written: lines go to a temporary file beside the
// target, which replaces the target only when everything was written. Devices and pipes
// (/dev/null, a FIFO) are written in place. The outputs of one run are committed together
// (commit_all), so that a run that fails changes none of them.
#pragma once

#include <fstream>
#include <initializer_list>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

namespace neardup::cli {

class Output {
 public:
  // "-" or "" writes to standard output.
  explicit Output(std::string path);
  ~Output();  // removes the temporary file unless committed
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;
  std::ostream& stream() { return path_.empty() ? std::cout : file_; }
  // Flushes and syncs; the target is not touched yet. Throws Error(io) on failure.
  void finish();
  // finish(), then renames over the target. Throws Error(io) on failure.
  void commit();

 private:
  std::string path_;
  std::string temporary_;  // empty when writing in place
  std::ofstream file_;
  bool finished_ = false;
  bool committed_ = false;
};

// Finishes every output, then renames each over its target: when one cannot be finished
// (a full disk), none replaces its target. Null entries are skipped.
void commit_all(std::initializer_list<Output*> outputs);

// Refuses, as bad usage and before anything is read, two outputs naming one file and an output
// that is also an input (the same file, by device and inode, or a file inside an input folder).
// Each output is (option, path); "-" and "" are standard output. Devices and pipes may repeat.
void check_outputs(const std::vector<std::string>& inputs, const std::vector<std::pair<std::string, std::string>>& outputs);

}  // namespace neardup::cli
