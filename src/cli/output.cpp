#include "cli/output.hpp"

#include <cstdio>
#include <filesystem>
#include <fcntl.h>
#include <unistd.h>

#include "cli/commands.hpp"
#include "neardup/error.hpp"

namespace neardup::cli {
namespace fs = std::filesystem;
namespace {

// A device or a pipe (/dev/null, a FIFO) is written in place: renaming over it would replace it
// with a regular file.
bool written_in_place(const std::string& path) {
  std::error_code error;
  const auto status = fs::status(path, error);
  return !error && fs::exists(status) && !fs::is_regular_file(status);
}

}  // namespace

Output::Output(std::string path) : path_(path == "-" ? std::string() : std::move(path)) {
  if (path_.empty()) return;
  if (written_in_place(path_)) {
    file_.open(path_, std::ios::binary);
    if (!file_) throw Error(ErrorCode::io, path_ + ": cannot write here");
    return;
  }
  temporary_ = path_ + ".tmp." + std::to_string(::getpid());
  file_.open(temporary_, std::ios::binary | std::ios::trunc);
  if (!file_) throw Error(ErrorCode::io, path_ + ": cannot write here (check that the folder exists and is writable)");
}

Output::~Output() {
  if (!temporary_.empty() && !committed_) {
    file_.close();
    std::remove(temporary_.c_str());
  }
}

void Output::finish() {
  if (finished_) return;
  if (path_.empty()) {
    std::cout.flush();
    if (!std::cout) throw Error(ErrorCode::io, "cannot write to standard output");
    finished_ = true;
    return;
  }
  file_.flush();
  const bool written = static_cast<bool>(file_);
  file_.close();
  if (temporary_.empty()) {
    if (!written) throw Error(ErrorCode::io, path_ + ": writing failed");
    finished_ = true;
    return;
  }
  bool synced = false;
  if (const int fd = ::open(temporary_.c_str(), O_RDONLY); fd >= 0) {
    synced = ::fsync(fd) == 0;
    ::close(fd);
  }
  if (!written || !synced)
    throw Error(ErrorCode::io, path_ + ": writing failed (disk full or not writable?); no output of this run was changed");
  finished_ = true;
}

void Output::commit() {
  finish();
  if (committed_) return;
  if (!temporary_.empty() && std::rename(temporary_.c_str(), path_.c_str()) != 0)
    throw Error(ErrorCode::io, path_ + ": cannot replace it with the new output (permissions?)");
  committed_ = true;
}

void commit_all(std::initializer_list<Output*> outputs) {
  for (Output* output : outputs)
    if (output != nullptr) output->finish();
  for (Output* output : outputs)
    if (output != nullptr) output->commit();
}

void check_outputs(const std::vector<std::string>& inputs, const std::vector<std::pair<std::string, std::string>>& outputs) {
  // Where a path leads, to compare paths that name one file differently (a/../b, ./b).
  const auto resolved = [](const std::string& path) {
    std::error_code error;
    const fs::path canonical = fs::weakly_canonical(path, error);
    return error ? fs::absolute(path).lexically_normal() : canonical;
  };
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const auto& [option, path] = outputs[i];
    if (path.empty() || path == "-" || written_in_place(path)) continue;
    const fs::path target = resolved(path);
    for (std::size_t j = i + 1; j < outputs.size(); ++j)
      if (!outputs[j].second.empty() && outputs[j].second != "-" && resolved(outputs[j].second) == target)
        throw UsageError{option + " and " + outputs[j].first + " both name " + path + "; give each output a file of its own"};
    std::error_code error;
    if (!fs::exists(target, error)) continue;
    for (const std::string& input : inputs) {
      if (input == "-") continue;
      const bool same = fs::equivalent(input, target, error) && !error;
      const fs::path folder = resolved(input);
      const auto relative = target.lexically_relative(folder);
      const bool inside = fs::is_directory(folder, error) && !relative.empty() && *relative.begin() != "..";
      if (same || inside)
        throw UsageError{option + " " + path + " is also an input" + (inside ? " (it is in " + input + ")" : "") +
                         ": writing it would replace what is read; write it elsewhere"};
    }
  }
}

}  // namespace neardup::cli
