// Bytes in: a file read with read(2), and the lines of any stream handed out without copying.
#pragma once

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <streambuf>
#include <string>
#include <string_view>
#include <system_error>
#include <unistd.h>

#include "neardup/error.hpp"

namespace neardup::detail {

inline constexpr std::size_t read_block_size = std::size_t{1} << 20;

// A file read with read(2), because std::filebuf reports a read error (EIO, EISDIR) as the end
// of the file, which would cut a document short without a word.
class FileBuffer : public std::streambuf {
 public:
  explicit FileBuffer(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
  ~FileBuffer() override {
    if (fd_ >= 0) ::close(fd_);
  }
  FileBuffer(const FileBuffer&) = delete;
  FileBuffer& operator=(const FileBuffer&) = delete;

  bool is_open() const noexcept { return fd_ >= 0; }
  bool seek(std::uint64_t offset) noexcept { return ::lseek(fd_, static_cast<off_t>(offset), SEEK_SET) >= 0; }

 protected:
  // Throws Error(io) on a read error; the reader turns it into an unreadable input.
  std::streamsize xsgetn(char* out, std::streamsize count) override {
    std::streamsize got = 0;
    while (got < count) {
      const ssize_t n = ::read(fd_, out + got, static_cast<std::size_t>(count - got));
      if (n == 0) break;
      if (n < 0) {
        if (errno == EINTR) continue;
        throw Error(ErrorCode::io, "cannot read: " + std::error_code(errno, std::generic_category()).message());
      }
      got += n;
    }
    return got;
  }

 private:
  int fd_;
};

// Hands out the lines of a stream as views into one large buffer, so that a line costs no
// allocation; a line longer than the buffer grows it.
class LineReader {
 public:
  // `in` may be null when `contents` already holds the whole input.
  explicit LineReader(std::streambuf* in, std::string contents = {})
      : in_(in), buf_(std::move(contents)), end_(buf_.size()), eof_(in == nullptr) {}

  // The unread input from the current position: at least `want` bytes unless the input is shorter.
  std::string_view peek(std::size_t want) {
    while (end_ - pos_ < want && fill()) {
    }
    return {buf_.data() + pos_, end_ - pos_};
  }

  // Drops `count` peeked bytes (a byte order mark) so that they are not part of line 1.
  void skip(std::size_t count) {
    pos_ += count;
    scan_ = pos_;
  }

  // The next line without its '\n' and a trailing '\r'; false at the end of the input. The
  // view stays valid until the next call.
  bool next(std::string_view& line) {
    for (;;) {
      if (const void* nl = std::memchr(buf_.data() + scan_, '\n', end_ - scan_)) {
        hand_out(line, static_cast<std::size_t>(static_cast<const char*>(nl) - buf_.data()), 1);
        return true;
      }
      scan_ = end_;
      if (!fill()) {
        if (pos_ == end_) return false;
        hand_out(line, end_, 0);  // a last line without '\n'
        return true;
      }
    }
  }

  // Everything not yet handed out, at most `limit` bytes (the rest is left unread).
  std::string rest(std::size_t limit) {
    while (end_ - pos_ < limit && fill()) {
    }
    std::string out = buf_.substr(pos_, std::min(limit, end_ - pos_));
    pos_ = end_ = scan_ = 0;
    buf_.clear();
    return out;
  }

  std::uint64_t number() const noexcept { return number_; }  // 1-based number of the last line
  std::uint64_t offset() const noexcept { return offset_; }  // byte offset of its start

 private:
  void hand_out(std::string_view& line, std::size_t end, std::size_t terminator) {
    line = std::string_view(buf_.data() + pos_, end - pos_);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    offset_ = base_ + pos_;
    ++number_;
    pos_ = end + terminator;
    scan_ = pos_;
  }

  bool fill() {
    if (eof_) return false;
    if (pos_ > 0) {  // keep only the unfinished line
      std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
      end_ -= pos_;
      scan_ -= pos_;
      base_ += pos_;
      pos_ = 0;
    }
    if (buf_.size() - end_ < read_block_size / 2) buf_.resize(std::max(buf_.size() * 2, end_ + read_block_size));
    const std::streamsize got = in_->sgetn(buf_.data() + end_, static_cast<std::streamsize>(buf_.size() - end_));
    if (got <= 0) {
      eof_ = true;
      return false;
    }
    end_ += static_cast<std::size_t>(got);
    return true;
  }

  std::streambuf* in_;
  std::string buf_;
  std::size_t pos_ = 0;   // start of the unread input in buf_
  std::size_t scan_ = 0;  // where the search for '\n' goes on
  std::size_t end_ = 0;   // end of the bytes read into buf_
  bool eof_ = false;
  std::uint64_t base_ = 0;  // offset in the input of buf_[0]
  std::uint64_t number_ = 0;
  std::uint64_t offset_ = 0;
};

}  // namespace neardup::detail
