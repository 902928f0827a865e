// The on-disk format of a PersistentIndex (format version 1). Both files of an index folder,
// `snapshot` and `log`, are a header followed by records; all integers little-endian.
//
// Header:
//   0   magic "NDUPIDX1"
//   8   u32 format version
//   12  u32 file kind (1 snapshot, 2 log)
//   16  u64 generation: a snapshot of generation g holds everything up to its checkpoint; the
//       log of generation g holds what came after. A log older than the snapshot was already
//       folded into it (a crash between the two renames of a checkpoint) and is ignored.
//   24  u32 body length B
//   28  body: string spec, string ICU version, u32 sample count, (string text, string pivot)...
//   28+B u32 CRC32 of bytes [0, 28+B)
// Record:
//   u32 payload length L, u8 type, u32 CRC32 of (type byte, payload), payload (L bytes)
//   type 1 add:    string id, string lang, u8 script, u64 exact hash, u32 k, k x u32 sketch
//                  slots, u32 G, G x (u64 gram hash, u8 count), u32 A, A x (u64 anchor hash,
//                  u8 count); hashes strictly ascending within each list
//   type 2 remove: string id
//   type 3 end:    u64 number of add records before it (last record of a snapshot only)
// A string is u32 byte length + bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace neardup::detail {

inline constexpr std::uint32_t index_format_version = 1;
inline constexpr std::size_t record_header_bytes = 9;
// No valid record comes near this (a document's is ~5 KB); larger lengths are damage.
inline constexpr std::uint32_t max_record_bytes = 1u << 20;
inline constexpr std::uint32_t max_id_bytes = 1u << 16;

// CRC-32 (IEEE 802.3, reflected, as zlib's crc32); continue a running one by passing it back.
std::uint32_t crc32(std::string_view bytes, std::uint32_t crc = 0) noexcept;

class ByteWriter {
 public:
  void u8(std::uint8_t value) { out_.push_back(static_cast<char>(value)); }
  void u32(std::uint32_t value);
  void u64(std::uint64_t value);
  void string(std::string_view value);
  std::string& data() { return out_; }

 private:
  std::string out_;
};

// Reads within bounds only: running past the end or an impossible length throws
// Error(corrupt_index) naming the file and the absolute offset.
class ByteReader {
 public:
  ByteReader(std::string_view data, const std::string& file, std::uint64_t base_offset)
      : data_(data), file_(file), base_(base_offset) {}
  std::uint8_t u8();
  std::uint32_t u32();
  std::uint64_t u64();
  std::string_view string(std::size_t max_bytes);
  bool at_end() const noexcept { return position_ == data_.size(); }
  std::uint64_t offset() const noexcept { return base_ + position_; }
  [[noreturn]] void fail(const std::string& problem) const;

 private:
  std::string_view take(std::size_t bytes);
  std::string_view data_;
  const std::string& file_;
  std::uint64_t base_;
  std::size_t position_ = 0;
};

[[noreturn]] void throw_corrupt(const std::string& file, std::uint64_t offset, const std::string& problem);

enum class FileKind : std::uint32_t { snapshot = 1, log = 2 };
enum class RecordType : std::uint8_t { add = 1, remove = 2, end = 3 };

struct SelfTestSample {
  std::string text;
  std::string pivot;  // to_pivot(normalise(text)) when the file was written
};

struct FileHeader {
  FileKind kind = FileKind::log;
  std::uint64_t generation = 0;
  std::string spec;
  std::string icu_version;
  std::vector<SelfTestSample> samples;
};

std::string encode_header(const FileHeader& header);
// Parses the header at the start of data and returns its size. Error(newer_format) for a newer
// version (checked before anything else it might lay out differently), Error(corrupt_index)
// for a bad magic, length or checksum.
std::size_t decode_header(std::string_view data, const std::string& file, FileHeader& header);

// A record with its framing, ready to append.
std::string encode_record(RecordType type, std::string_view payload);

struct Record {
  RecordType type = RecordType::add;
  std::uint64_t offset = 0;  // of its framing in the file
  std::string_view payload;
};

struct ScannedRecords {
  std::vector<Record> records;
  std::uint64_t valid_end = 0;  // where the last whole record ends
  bool torn = false;            // the bytes after valid_end are the torn end of an append
};

// Splits data[start..] into records. With allow_torn_tail (the log), damage that no whole,
// checksummed record follows is the torn end of the last append, cut short or left half
// written by a crash: scanning stops there and reports it as torn. Any other damage throws
// Error(corrupt_index) with the offset.
ScannedRecords scan_records(std::string_view data, std::size_t start, const std::string& file, bool allow_torn_tail);

// What an add record holds: everything matching needs, not the text.
struct StoredFeature {
  std::uint64_t hash = 0;
  std::uint8_t count = 0;  // occurrences, saturated at 255
};

struct StoredDocument {
  std::string id;
  std::string lang;
  std::uint8_t script = 0;
  std::uint64_t exact_hash = 0;
  std::vector<std::uint32_t> sketch;  // MinHash slots (low 32 bits); empty when no word shingles
  std::vector<StoredFeature> grams;   // hash ascending
  std::vector<StoredFeature> anchors; // hash ascending
};

std::string encode_add(const StoredDocument& document);
// Bounds and order checked; Error(corrupt_index) at the record's offset otherwise.
StoredDocument decode_add(const Record& record, const std::string& file);
std::string encode_remove(std::string_view id);
std::string decode_remove(const Record& record, const std::string& file);

// A whole file mapped read-only, for as long as the object lives. Opening an index reads
// gigabytes of snapshot: a copy in memory would need as much again at the peak, and copying it
// would cost time. Error(io) naming the file when it cannot be opened or mapped.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path);
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();
  std::string_view data() const noexcept { return {static_cast<const char*>(address_), size_}; }

 private:
  void* address_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace neardup::detail
