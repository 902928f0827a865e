// The files of a persistent index as POSIX sees them: descriptors that close themselves, the
// folder's lock, whole writes, synced folders, and files replaced atomically. Every failure is
// Error(io) naming the path and the system's reason.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace neardup::detail {

[[noreturn]] void throw_io(const std::string& what, const std::string& path);

class FileDescriptor {
 public:
  FileDescriptor() = default;
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  FileDescriptor& operator=(FileDescriptor&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~FileDescriptor() { reset(); }
  int get() const { return fd_; }
  void reset();

 private:
  int fd_ = -1;
};

// The index folder's lock: flock on its lock file, for as long as the index is open. flock alone
// cannot tell a second open in this process (a new open file description, which conflicts like
// any other) from one in another process, and the two call for different fixes: the lock files
// held here are also listed process-wide, by device and inode.
class IndexLock {
 public:
  // Exclusive for a writer; shared among read-only opens, which create no lock file: without
  // one, no writer has ever opened the index, and a writer that comes later waits for none.
  static IndexLock acquire(const std::string& folder, bool shared);

  IndexLock() = default;
  IndexLock(IndexLock&& other) noexcept : fd_(std::move(other.fd_)), key_(std::exchange(other.key_, std::nullopt)) {}
  IndexLock& operator=(IndexLock&& other) noexcept {
    if (this != &other) {
      release();
      fd_ = std::move(other.fd_);
      key_ = std::exchange(other.key_, std::nullopt);
    }
    return *this;
  }
  ~IndexLock() { release(); }

 private:
  using FileKey = std::pair<dev_t, ino_t>;
  IndexLock(FileDescriptor fd, FileKey key) : fd_(std::move(fd)), key_(key) {}
  void release();

  FileDescriptor fd_;
  std::optional<FileKey> key_;
};

void write_all(int fd, std::string_view bytes, const std::string& path);
// fsync of the folder itself, so that a rename or a new file in it survives a crash.
void sync_folder(const std::string& folder);
// A checkpoint or a log start killed before its rename leaves its temporary file behind (a whole
// snapshot's size). Only a writer makes them, and the caller holds the writer's lock. Returns the
// names removed.
std::vector<std::string> remove_stale_temporaries(const std::string& folder);

// Writes a whole file beside its final name, syncs it, and renames it into place; a file never
// committed is removed.
class AtomicFile {
 public:
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  void append(std::string_view bytes) {
    buffer_.append(bytes);
    if (buffer_.size() >= (1u << 20)) drain();
  }
  std::uint64_t size() const { return written_ + buffer_.size(); }
  void commit();

 private:
  void drain();

  std::string path_, temporary_;
  FileDescriptor fd_;
  std::string buffer_;
  std::uint64_t written_ = 0;
  bool committed_ = false;
};

}  // namespace neardup::detail
