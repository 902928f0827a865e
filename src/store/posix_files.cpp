#include "store/posix_files.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <set>

#include "neardup/error.hpp"

namespace neardup::detail {
namespace {

// The lock files this process holds (IndexLock), by device and inode.
std::mutex& registry_mutex() {
  static std::mutex mutex;
  return mutex;
}
std::set<std::pair<dev_t, ino_t>>& registry() {
  static std::set<std::pair<dev_t, ino_t>> keys;
  return keys;
}

}  // namespace

void throw_io(const std::string& what, const std::string& path) {
  throw Error(ErrorCode::io, path + ": " + what + ": " + std::strerror(errno));
}

void FileDescriptor::reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

IndexLock IndexLock::acquire(const std::string& folder, bool shared) {
  const std::string path = folder + "/lock";
  FileDescriptor fd(::open(path.c_str(), shared ? O_RDONLY | O_CLOEXEC : O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (fd.get() < 0 && shared && errno == ENOENT) return IndexLock();
  if (fd.get() < 0) throw_io("cannot open the lock file", path);
  struct stat status {};
  if (::fstat(fd.get(), &status) != 0) throw_io("cannot stat the lock file", path);
  const FileKey key{status.st_dev, status.st_ino};
  std::lock_guard guard(registry_mutex());
  if (registry().contains(key))
    throw Error(ErrorCode::io, folder + ": the index is already open in this process; use that PersistentIndex "
                                        "(it is safe to share between threads) or close it first");
  if (::flock(fd.get(), (shared ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK)
      throw Error(ErrorCode::io, folder + (shared ? ": the index is open for writing in another process; read it when that one closes it"
                                                  : ": the index is open in another process; close it there first"));
    throw_io("cannot lock", path);
  }
  registry().insert(key);
  return IndexLock(std::move(fd), key);
}

// Closing the descriptor drops the flock; the entry goes under the same mutex, after it, so that
// an open racing with this one never finds the entry gone while the flock is still held.
void IndexLock::release() {
  if (!key_) return;
  std::lock_guard guard(registry_mutex());
  fd_.reset();
  registry().erase(*key_);
  key_.reset();
}

void write_all(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      throw_io("write failed", path);
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
}

void sync_folder(const std::string& folder) {
  FileDescriptor fd(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) throw_io("cannot open folder to sync it", folder);
  if (::fsync(fd.get()) != 0) throw_io("fsync of the folder failed", folder);
}

std::vector<std::string> remove_stale_temporaries(const std::string& folder) {
  std::vector<std::string> removed;
  for (const char* name : {"snapshot.tmp", "log.tmp"}) {
    const std::string path = folder + "/" + name;
    if (::unlink(path.c_str()) == 0) removed.emplace_back(name);
    else if (errno != ENOENT) throw_io("cannot remove a stale temporary file", path);
  }
  if (!removed.empty()) sync_folder(folder);
  return removed;
}

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)), temporary_(path_ + ".tmp") {
  fd_ = FileDescriptor(::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (fd_.get() < 0) throw_io("cannot create", temporary_);
}

AtomicFile::~AtomicFile() {
  if (!committed_) {
    fd_.reset();
    ::unlink(temporary_.c_str());
  }
}

void AtomicFile::commit() {
  drain();
  if (::fsync(fd_.get()) != 0) throw_io("fsync failed", temporary_);
  fd_.reset();
  if (::rename(temporary_.c_str(), path_.c_str()) != 0) throw_io("cannot rename into place", temporary_);
  committed_ = true;
  sync_folder(std::filesystem::path(path_).parent_path().string());
}

void AtomicFile::drain() {
  write_all(fd_.get(), buffer_, temporary_);
  written_ += buffer_.size();
  buffer_.clear();
}

}  // namespace neardup::detail
