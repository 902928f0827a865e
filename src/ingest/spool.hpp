// Records kept for a second reading of inputs that cannot be read twice (standard input) or
// cannot be read at an offset (compressed files): appended during the first pass, compressed in
// small zstd blocks into a temporary file, and read back at random by many threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

struct ZSTD_CCtx_s;

namespace neardup::detail {

class Spool {
 public:
  // An unnamed temporary file in $TMPDIR (else /tmp), unlinked at once, so that nothing is left
  // behind on any exit, a crash included. Throws Error(io) when it cannot be made.
  Spool();
  ~Spool();
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  // Appends a record; returns the offset that read() takes. Not thread-safe. Throws Error(io)
  // when the disk is full.
  std::uint64_t append(std::string_view record);
  // Writes what append() buffered; appends after it are not allowed.
  void finish();
  // The record at `offset`; safe from many threads once finish() returned.
  std::string read(std::uint64_t offset) const;

 private:
  struct Block {
    std::uint64_t start = 0;        // offset of its first byte among the uncompressed records
    std::uint64_t file_offset = 0;  // where its compressed bytes are
    std::uint32_t compressed = 0;
    std::uint32_t size = 0;
  };
  void flush_block();
  const std::string& block(std::size_t index) const;

  int fd_ = -1;
  ZSTD_CCtx_s* compressor_ = nullptr;
  std::uint64_t serial_;  // tells this spool's blocks apart in the readers' caches
  std::string pending_;   // the block being filled
  std::uint64_t written_ = 0;  // uncompressed bytes appended
  std::uint64_t file_size_ = 0;
  std::vector<Block> blocks_;
  bool finished_ = false;
};

}  // namespace neardup::detail
