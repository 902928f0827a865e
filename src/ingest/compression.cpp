#include "ingest/compression.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <vector>

#include <zlib.h>
#include <zstd.h>

#include "neardup/error.hpp"

namespace neardup::detail {
namespace {

using namespace std::string_view_literals;

constexpr std::size_t input_chunk = std::size_t{1} << 18;

// A path quoted for the shell commands in the messages.
std::string quoted(const std::string& source) { return "'" + source + "'"; }

// Input bytes for a decompressor, refilled from the compressed stream.
class CompressedInput {
 public:
  explicit CompressedInput(std::streambuf& in) : in_(in), buffer_(input_chunk) {}
  // True when bytes are waiting, reading more when none are; false at the end.
  bool available() {
    if (begin_ < end_) return true;
    const std::streamsize got = in_.sgetn(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    begin_ = 0;
    end_ = got > 0 ? static_cast<std::size_t>(got) : 0;
    return end_ > 0;
  }
  const unsigned char* data() const { return reinterpret_cast<const unsigned char*>(buffer_.data()) + begin_; }
  std::size_t size() const { return end_ - begin_; }
  void consume(std::size_t count) { begin_ += count; }

 private:
  std::streambuf& in_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
};

class GzipBuffer : public std::streambuf {
 public:
  explicit GzipBuffer(std::streambuf& in) : input_(in) {
    if (inflateInit2(&stream_, 15 + 16) != Z_OK) throw Error(ErrorCode::io, "cannot start gzip decompression (out of memory?)");
  }
  ~GzipBuffer() override { inflateEnd(&stream_); }
  GzipBuffer(const GzipBuffer&) = delete;
  GzipBuffer& operator=(const GzipBuffer&) = delete;

 protected:
  std::streamsize xsgetn(char* out, std::streamsize count) override {
    std::size_t produced = 0;
    const auto wanted = static_cast<std::size_t>(count);
    while (produced < wanted && !finished_) {
      if (!input_.available()) {
        if (between_members_) {
          finished_ = true;
          break;
        }
        throw Error(ErrorCode::bad_input, "the gzip data ends early (a truncated file?); check it with gzip -t");
      }
      if (between_members_) {
        // Another member follows (as `cat a.gz b.gz` makes), or the stream is over.
        if (input_.data()[0] != 0x1F) throw Error(ErrorCode::bad_input, "data after the end of the gzip stream; check it with gzip -t");
        inflateReset(&stream_);
        between_members_ = false;
      }
      stream_.next_in = const_cast<unsigned char*>(input_.data());
      stream_.avail_in = static_cast<uInt>(std::min<std::size_t>(input_.size(), UINT32_MAX));
      const std::size_t room = std::min<std::size_t>(wanted - produced, UINT32_MAX);
      stream_.next_out = reinterpret_cast<unsigned char*>(out + produced);
      stream_.avail_out = static_cast<uInt>(room);
      const uInt before_in = stream_.avail_in;
      const int status = inflate(&stream_, Z_NO_FLUSH);
      input_.consume(before_in - stream_.avail_in);
      produced += room - stream_.avail_out;
      if (status == Z_STREAM_END) {
        between_members_ = true;
      } else if (status != Z_OK && status != Z_BUF_ERROR) {
        throw Error(ErrorCode::bad_input, std::string("the gzip data is damaged (") + (stream_.msg ? stream_.msg : "zlib error " + std::to_string(status)) +
                                       "); check it with gzip -t");
      }
    }
    return static_cast<std::streamsize>(produced);
  }

 private:
  CompressedInput input_;
  z_stream stream_{};
  bool between_members_ = false;
  bool finished_ = false;
};

class ZstdBuffer : public std::streambuf {
 public:
  explicit ZstdBuffer(std::streambuf& in) : input_(in), stream_(ZSTD_createDStream()) {
    if (stream_ == nullptr) throw Error(ErrorCode::io, "cannot start zstd decompression (out of memory?)");
  }
  ~ZstdBuffer() override { ZSTD_freeDStream(stream_); }
  ZstdBuffer(const ZstdBuffer&) = delete;
  ZstdBuffer& operator=(const ZstdBuffer&) = delete;

 protected:
  std::streamsize xsgetn(char* out, std::streamsize count) override {
    ZSTD_outBuffer output{out, static_cast<std::size_t>(count), 0};
    while (output.pos < output.size) {
      if (!input_.available()) {
        // 0 once the last frame is decoded and flushed: anything else is a frame cut short.
        if (frame_open_) throw Error(ErrorCode::bad_input, "the zstd data ends early (a truncated file?); check it with zstd -t");
        break;
      }
      ZSTD_inBuffer input{input_.data(), input_.size(), 0};
      const std::size_t status = ZSTD_decompressStream(stream_, &output, &input);
      input_.consume(input.pos);
      if (ZSTD_isError(status))
        throw Error(ErrorCode::bad_input, std::string("the zstd data is damaged (") + ZSTD_getErrorName(status) + "); check it with zstd -t");
      frame_open_ = status != 0;
    }
    return static_cast<std::streamsize>(output.pos);
  }

 private:
  CompressedInput input_;
  ZSTD_DStream* stream_;
  bool frame_open_ = false;
};

}  // namespace

InputFormat sniff_format(std::string_view head, const std::string& source) {
  if (head.starts_with("\x1F\x8B"sv)) return {Compression::gzip, {}};
  if (head.starts_with("\x28\xB5\x2F\xFD"sv)) return {Compression::zstd, {}};
  const std::string file = source == "-" ? std::string("FILE") : quoted(source);  // standard input: the file it came from
  // "a.jsonl.bz2" becomes "a.jsonl.zst".
  const std::string to_zstd =
      source == "-" ? "" : " > " + quoted(std::filesystem::path(source).replace_extension(".zst").string());
  struct Container {
    std::string_view magic;
    std::string_view name;
    std::string advice;
  };
  const Container containers[] = {
      {"BZh"sv, "bzip2-compressed", "recompress it as zstd or gzip (bzip2 -dc " + file + " | zstd" + to_zstd + ")"},
      {"\xFD" "7zXZ\0"sv, "xz-compressed", "recompress it as zstd or gzip (xz -dc " + file + " | zstd" + to_zstd + ")"},
      {"PK\x03\x04"sv, "a zip archive", "unpack it (unzip " + file + ") and give the folder"},
      {"7z\xBC\xAF\x27\x1C"sv, "a 7-Zip archive", "unpack it (7z x " + file + ") and give the folder"},
      {"PAR1"sv, "a Parquet file",
       "export it to JSON Lines first, e.g. duckdb -c \"COPY (SELECT * FROM " + file + ") TO 'out.jsonl' (FORMAT JSON)\""},
  };
  // Magic bytes that a text could start with are checked further: bzip2's level digit and
  // block (or end) marker, and the binary header that follows Parquet's.
  const auto is_bzip2 = [&] {
    return head.size() >= 10 && head[3] >= '1' && head[3] <= '9' &&
           (head.substr(4, 6) == "1AY&SY"sv || head.substr(4, 6) == "\x17\x72\x45\x38\x50\x90"sv);
  };
  const auto is_parquet = [&] {
    const auto next = head.size() > 4 ? static_cast<unsigned char>(head[4]) : ' ';
    return next < 0x20 && next != '\t' && next != '\n' && next != '\r';
  };
  for (const auto& container : containers)
    if (head.starts_with(container.magic) && (container.magic != "BZh"sv || is_bzip2()) && (container.magic != "PAR1"sv || is_parquet()))
      return {Compression::none, "the input is " + std::string(container.name) +
                                     "; neardup reads text, JSON Lines, and JSON Lines or text compressed with gzip or zstd: " +
                                     container.advice};
  return {};
}

std::string without_compression_suffix(const std::string& name) {
  for (const std::string_view suffix : {".gz"sv, ".zst"sv, ".zstd"sv}) {
    if (name.size() <= suffix.size()) continue;
    const std::string_view tail = std::string_view(name).substr(name.size() - suffix.size());
    if (std::equal(tail.begin(), tail.end(), suffix.begin(),
                   [](char a, char b) { return (a >= 'A' && a <= 'Z' ? a - 'A' + 'a' : a) == b; }))
      return name.substr(0, name.size() - suffix.size());
  }
  return name;
}

std::string_view PeekableBuffer::head(std::size_t count) {
  while (head_.size() < count) {
    const std::size_t have = head_.size();
    head_.resize(count);
    const std::streamsize got = in_.sgetn(head_.data() + have, static_cast<std::streamsize>(count - have));
    head_.resize(have + static_cast<std::size_t>(std::max<std::streamsize>(0, got)));
    if (got <= 0) break;
  }
  return std::string_view(head_).substr(0, std::min(count, head_.size()));
}

std::streamsize PeekableBuffer::xsgetn(char* out, std::streamsize count) {
  std::streamsize got = 0;
  if (handed_out_ < head_.size()) {
    const std::size_t n = std::min(head_.size() - handed_out_, static_cast<std::size_t>(count));
    std::memcpy(out, head_.data() + handed_out_, n);
    handed_out_ += n;
    got = static_cast<std::streamsize>(n);
  }
  if (got < count) got += std::max<std::streamsize>(0, in_.sgetn(out + got, count - got));
  return got;
}

std::unique_ptr<std::streambuf> decompressed(Compression compression, std::streambuf& in) {
  switch (compression) {
    case Compression::gzip: return std::make_unique<GzipBuffer>(in);
    case Compression::zstd: return std::make_unique<ZstdBuffer>(in);
    case Compression::none: break;
  }
  throw Error(ErrorCode::usage, "decompressed: no compression to undo");
}

}  // namespace neardup::detail
