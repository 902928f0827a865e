#include "cli/output.hpp"

#include <cstdio>
#include <filesystem>
#include <fcntl.h>
#include <unistd.h>

#include "neardup/error.hpp"

namespace neardup::cli {

Output::Output(std::string path) : path_(path == "-" ? std::string() : std::move(path)) {
  if (path_.empty()) return;
  // A device or a pipe (/dev/null, a FIFO) is written in place: renaming over it would replace
  // it with a regular file.
  std::error_code error;
  const auto status = std::filesystem::status(path_, error);
  if (!error && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
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

void Output::commit() {
  if (path_.empty()) {
    std::cout.flush();
    if (!std::cout) throw Error(ErrorCode::io, "cannot write to standard output");
    return;
  }
  file_.flush();
  const bool written = static_cast<bool>(file_);
  file_.close();
  if (temporary_.empty()) {
    if (!written) throw Error(ErrorCode::io, path_ + ": writing failed");
    committed_ = true;
    return;
  }
  bool synced = false;
  if (const int fd = ::open(temporary_.c_str(), O_RDONLY); fd >= 0) {
    synced = ::fsync(fd) == 0;
    ::close(fd);
  }
  if (!written || !synced || std::rename(temporary_.c_str(), path_.c_str()) != 0)
    throw Error(ErrorCode::io, path_ + ": writing failed (disk full or not writable?); the previous file, if any, is unchanged");
  committed_ = true;
}

}  // namespace neardup::cli
