#include "ingest/spool.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <memory>
#include <system_error>
#include <unistd.h>

#include <zstd.h>

#include "neardup/error.hpp"

namespace neardup::detail {
namespace {

// Small enough that reading one record back decompresses little (about 0.1 ms), large enough
// to compress well.
constexpr std::size_t spool_block_bytes = std::size_t{1} << 17;
// Fast: the spool is written on the reader's thread during the first pass.
constexpr int spool_level = 1;

std::atomic<std::uint64_t> next_serial{1};

std::string errno_text() { return std::error_code(errno, std::generic_category()).message(); }

void put_length(std::string& out, std::uint64_t length) {
  while (length >= 0x80) {
    out.push_back(static_cast<char>((length & 0x7F) | 0x80));
    length >>= 7;
  }
  out.push_back(static_cast<char>(length));
}

// The last block a thread decompressed, so that records read in order cost one decompression
// a block.
struct CachedBlock {
  std::uint64_t serial = 0;
  std::size_t index = 0;
  std::string data;
};
thread_local CachedBlock cached;

struct DecompressorDeleter {
  void operator()(ZSTD_DCtx* context) const { ZSTD_freeDCtx(context); }
};
thread_local std::unique_ptr<ZSTD_DCtx, DecompressorDeleter> decompressor;

}  // namespace

Spool::Spool() : serial_(next_serial.fetch_add(1)) {
  const char* tmpdir = std::getenv("TMPDIR");
  std::string pattern = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/neardup-spool-XXXXXX";
  fd_ = ::mkstemp(pattern.data());
  if (fd_ < 0)
    throw Error(ErrorCode::io, "cannot make a temporary file in " + pattern.substr(0, pattern.rfind('/')) + ": " + errno_text() +
                                   " (set TMPDIR to a writable folder)");
  ::unlink(pattern.c_str());
  compressor_ = ZSTD_createCCtx();
  if (compressor_ == nullptr) {
    ::close(fd_);
    throw Error(ErrorCode::io, "cannot start zstd compression (out of memory?)");
  }
}

Spool::~Spool() {
  if (fd_ >= 0) ::close(fd_);
  ZSTD_freeCCtx(compressor_);
  if (cached.serial == serial_) cached = {};
}

std::uint64_t Spool::append(std::string_view record) {
  if (finished_) throw Error(ErrorCode::usage, "Spool::append after finish");
  const std::uint64_t offset = written_;
  const std::size_t before = pending_.size();
  put_length(pending_, record.size());
  pending_.append(record);
  written_ += pending_.size() - before;
  if (pending_.size() >= spool_block_bytes) flush_block();
  return offset;
}

void Spool::finish() {
  if (!pending_.empty()) flush_block();
  finished_ = true;
}

void Spool::flush_block() {
  std::string compressed(ZSTD_compressBound(pending_.size()), '\0');
  const std::size_t size = ZSTD_compressCCtx(compressor_, compressed.data(), compressed.size(), pending_.data(), pending_.size(), spool_level);
  if (ZSTD_isError(size)) throw Error(ErrorCode::io, std::string("cannot compress the spool: ") + ZSTD_getErrorName(size));
  for (std::size_t done = 0; done < size;) {
    const ssize_t n = ::pwrite(fd_, compressed.data() + done, size - done, static_cast<off_t>(file_size_ + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      throw Error(ErrorCode::io, "cannot write the temporary copy of the input: " + errno_text() +
                                     " (is the disk of TMPDIR full? set TMPDIR to a folder with room)");
    done += static_cast<std::size_t>(n);
  }
  blocks_.push_back({written_ - pending_.size(), file_size_, static_cast<std::uint32_t>(size), static_cast<std::uint32_t>(pending_.size())});
  file_size_ += size;
  pending_.clear();
}

const std::string& Spool::block(std::size_t index) const {
  if (cached.serial == serial_ && cached.index == index) return cached.data;
  const Block& b = blocks_[index];
  std::string compressed(b.compressed, '\0');
  for (std::size_t done = 0; done < compressed.size();) {
    const ssize_t n = ::pread(fd_, compressed.data() + done, compressed.size() - done, static_cast<off_t>(b.file_offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw Error(ErrorCode::io, "cannot read the temporary copy of the input again: " + errno_text());
    done += static_cast<std::size_t>(n);
  }
  cached.serial = 0;  // until the block is whole
  cached.data.resize(b.size);
  if (!decompressor) decompressor.reset(ZSTD_createDCtx());
  if (!decompressor) throw Error(ErrorCode::io, "cannot start zstd decompression (out of memory?)");
  const std::size_t size = ZSTD_decompressDCtx(decompressor.get(), cached.data.data(), cached.data.size(), compressed.data(), compressed.size());
  if (ZSTD_isError(size) || size != b.size) throw Error(ErrorCode::io, "the temporary copy of the input is damaged");
  cached.serial = serial_;
  cached.index = index;
  return cached.data;
}

std::string Spool::read(std::uint64_t offset) const {
  if (!finished_) throw Error(ErrorCode::usage, "Spool::read before finish");
  // The block holding `offset`, then bytes from it and the blocks after it: the length first.
  auto index = static_cast<std::size_t>(
      std::upper_bound(blocks_.begin(), blocks_.end(), offset, [](std::uint64_t o, const Block& b) { return o < b.start; }) -
      blocks_.begin());
  if (index == 0 || offset >= written_) throw Error(ErrorCode::usage, "Spool::read: no record at " + std::to_string(offset));
  --index;
  std::size_t at = static_cast<std::size_t>(offset - blocks_[index].start);
  const auto next_byte = [&]() -> unsigned char {
    while (at >= blocks_[index].size) {
      at = 0;
      if (++index == blocks_.size()) throw Error(ErrorCode::io, "the temporary copy of the input is damaged");
    }
    return static_cast<unsigned char>(block(index)[at++]);
  };
  std::uint64_t length = 0;
  for (int shift = 0;; shift += 7) {
    const unsigned char byte = next_byte();
    length |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) break;
  }
  std::string record;
  record.reserve(length);
  while (record.size() < length) {
    if (at >= blocks_[index].size) {
      at = 0;
      if (++index == blocks_.size()) throw Error(ErrorCode::io, "the temporary copy of the input is damaged");
    }
    const std::string& data = block(index);
    const std::size_t n = std::min<std::size_t>(length - record.size(), data.size() - at);
    record.append(data, at, n);
    at += n;
  }
  return record;
}

}  // namespace neardup::detail
