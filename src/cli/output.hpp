// Output files that are never left half-written: lines go to a temporary file beside the
// target, which replaces the target only when everything was written. Devices and pipes
// (/dev/null, a FIFO) are written in place.
#pragma once

#include <fstream>
#include <iostream>
#include <string>

namespace neardup::cli {

class Output {
 public:
  // "-" or "" writes to standard output.
  explicit Output(std::string path);
  ~Output();
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;
  std::ostream& stream() { return path_.empty() ? std::cout : file_; }
  // Flushes, syncs and renames over the target. Throws Error(io) on failure.
  void commit();

 private:
  std::string path_;
  std::string temporary_;  // empty when writing in place
  std::ofstream file_;
  bool committed_ = false;
};

}  // namespace neardup::cli
