// Compressed inputs: gzip and zstd are recognised by their magic bytes, whatever the file is
// called, and decompressed as a stream; other containers (bzip2, xz, zip, 7z, Parquet) are
// named, with what to do instead.
#pragma once

#include <cstddef>
#include <memory>
#include <streambuf>
#include <string>
#include <string_view>

namespace neardup::detail {

enum class Compression { none, gzip, zstd };

// Enough leading bytes to recognise every format below.
inline constexpr std::size_t magic_size = 10;

struct InputFormat {
  Compression compression = Compression::none;
  std::string unsupported;  // when set: what the file is and what to do with it
};

// The format of an input from its first bytes (fewer when the input is shorter); `source`
// names it in the advice.
InputFormat sniff_format(std::string_view head, const std::string& source);

// A file name without the suffix of its compression (".gz", ".zst", ".zstd"), so that
// "a.jsonl.gz" reads as JSON Lines and "story.txt.zst" has the id "story".
std::string without_compression_suffix(const std::string& name);

// A stream buffer whose first bytes can be looked at before anyone reads it: the sniffed bytes
// are handed out again.
class PeekableBuffer : public std::streambuf {
 public:
  explicit PeekableBuffer(std::streambuf& in) : in_(in) {}
  // The first `count` bytes, fewer when the input is shorter.
  std::string_view head(std::size_t count);

 protected:
  std::streamsize xsgetn(char* out, std::streamsize count) override;

 private:
  std::streambuf& in_;
  std::string head_;
  std::size_t handed_out_ = 0;
};

// The decompressed bytes of `in`. Multi-member gzip and multi-frame zstd files are read whole.
// A damaged or truncated stream throws Error(bad_input) saying so, with the command that checks it.
std::unique_ptr<std::streambuf> decompressed(Compression compression, std::streambuf& in);

}  // namespace neardup::detail
