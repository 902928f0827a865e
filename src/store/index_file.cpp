#include "store/index_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "neardup/error.hpp"

namespace neardup::detail {
namespace {

// Where the fields of the header and of a record's framing begin (index_file.hpp).
constexpr std::string_view magic = "NDUPIDX1";
constexpr std::size_t header_version_at = 8;
constexpr std::size_t header_kind_at = 12;
constexpr std::size_t header_generation_at = 16;
constexpr std::size_t header_body_length_at = 24;
constexpr std::size_t header_fixed_bytes = 28;
constexpr std::size_t crc_bytes = 4;
constexpr std::size_t record_type_at = 4;
constexpr std::size_t record_crc_at = 5;
static_assert(magic.size() == header_version_at && header_kind_at + 4 == header_generation_at &&
              header_generation_at + 8 == header_body_length_at && header_body_length_at + 4 == header_fixed_bytes &&
              record_crc_at + crc_bytes == record_header_bytes);
constexpr std::uint32_t max_header_body_bytes = 1u << 20;
constexpr std::uint32_t max_samples = 1024;

// Slicing-by-8: table[k][b] is the CRC of byte b followed by k zero bytes, so eight bytes are
// folded per step. Every byte of a snapshot is checked on open, and a byte at a time made the
// checksum a seventh of the time of opening.
using CrcTables = std::array<std::array<std::uint32_t, 256>, 8>;
constexpr CrcTables make_crc_tables() {
  CrcTables tables{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int bit = 0; bit < 8; ++bit) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    tables[0][i] = c;
  }
  for (std::size_t k = 1; k < 8; ++k)
    for (std::uint32_t i = 0; i < 256; ++i) tables[k][i] = (tables[k - 1][i] >> 8) ^ tables[0][tables[k - 1][i] & 0xFFu];
  return tables;
}
constexpr CrcTables crc_tables = make_crc_tables();

std::uint32_t load_u32(const char* p) {
  std::uint32_t value = 0;
  for (int i = 3; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(p[i]);
  return value;
}

// Whether a whole record with a good checksum starts anywhere in data[from..]: then the bytes
// before it are damage, not the torn end of the last append (which nothing follows). Cheap on a
// real torn end: it is at most one record, and most positions fail on the type or the length.
bool whole_record_after(std::string_view data, std::size_t from) {
  for (std::size_t p = from; p + record_header_bytes <= data.size(); ++p) {
    const std::uint32_t length = load_u32(data.data() + p);
    const auto type = static_cast<unsigned char>(data[p + record_type_at]);
    if (type < 1 || type > 3 || length > max_record_bytes || length > data.size() - p - record_header_bytes) continue;
    if (crc32(data.substr(p + record_header_bytes, length), crc32(data.substr(p + record_type_at, 1))) ==
        load_u32(data.data() + p + record_crc_at))
      return true;
  }
  return false;
}

}  // namespace

std::uint32_t crc32(std::string_view bytes, std::uint32_t crc) noexcept {
  crc = ~crc;
  const char* p = bytes.data();
  std::size_t left = bytes.size();
  for (; left >= 8; p += 8, left -= 8) {
    const std::uint32_t low = crc ^ load_u32(p);
    const std::uint32_t high = load_u32(p + 4);
    crc = crc_tables[7][low & 0xFFu] ^ crc_tables[6][(low >> 8) & 0xFFu] ^ crc_tables[5][(low >> 16) & 0xFFu] ^ crc_tables[4][low >> 24] ^
          crc_tables[3][high & 0xFFu] ^ crc_tables[2][(high >> 8) & 0xFFu] ^ crc_tables[1][(high >> 16) & 0xFFu] ^ crc_tables[0][high >> 24];
  }
  for (; left > 0; ++p, --left) crc = crc_tables[0][(crc ^ static_cast<unsigned char>(*p)) & 0xFFu] ^ (crc >> 8);
  return ~crc;
}

void ByteWriter::u32(std::uint32_t value) {
  for (int i = 0; i < 4; ++i) out_.push_back(static_cast<char>((value >> (8 * i)) & 0xFFu));
}

void ByteWriter::u64(std::uint64_t value) {
  for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>((value >> (8 * i)) & 0xFFu));
}

void ByteWriter::string(std::string_view value) {
  u32(static_cast<std::uint32_t>(value.size()));
  out_.append(value);
}

void throw_corrupt(const std::string& file, std::uint64_t offset, const std::string& problem) {
  throw Error(ErrorCode::corrupt_index, file + ": byte " + std::to_string(offset) + ": " + problem +
                                            "; the index is damaged: restore it from a backup or rebuild it (the file was left as it is)");
}

void ByteReader::fail(const std::string& problem) const { throw_corrupt(file_, offset(), problem); }

std::string_view ByteReader::take(std::size_t bytes) {
  if (bytes > data_.size() - position_)
    fail("needs " + std::to_string(bytes) + " bytes where " + std::to_string(data_.size() - position_) + " remain");
  const std::string_view result = data_.substr(position_, bytes);
  position_ += bytes;
  return result;
}

std::uint8_t ByteReader::u8() { return static_cast<std::uint8_t>(take(1)[0]); }

std::uint32_t ByteReader::u32() { return load_u32(take(4).data()); }

std::uint64_t ByteReader::u64() {
  const std::string_view bytes = take(8);
  return static_cast<std::uint64_t>(load_u32(bytes.data())) | (static_cast<std::uint64_t>(load_u32(bytes.data() + 4)) << 32);
}

std::string_view ByteReader::string(std::size_t max_bytes) {
  const std::uint32_t length = u32();
  if (length > max_bytes) fail("a string of " + std::to_string(length) + " bytes (at most " + std::to_string(max_bytes) + " expected)");
  return take(length);
}

std::string encode_header(const FileHeader& header) {
  ByteWriter body;
  body.string(header.spec);
  body.string(header.icu_version);
  body.u32(static_cast<std::uint32_t>(header.samples.size()));
  for (const auto& sample : header.samples) {
    body.string(sample.text);
    body.string(sample.pivot);
  }
  ByteWriter out;
  out.data().append(magic);
  out.u32(index_format_version);
  out.u32(static_cast<std::uint32_t>(header.kind));
  out.u64(header.generation);
  out.u32(static_cast<std::uint32_t>(body.data().size()));
  out.data() += body.data();
  out.u32(crc32(out.data()));
  return std::move(out.data());
}

std::size_t decode_header(std::string_view data, const std::string& file, FileHeader& header) {
  if (data.size() < magic.size() || data.substr(0, magic.size()) != magic)
    throw_corrupt(file, 0, "not a neardup index file (no \"NDUPIDX1\" magic)");
  if (data.size() < header_kind_at) throw_corrupt(file, header_version_at, "the header is cut short");
  const std::uint32_t version = load_u32(data.data() + header_version_at);
  if (version > index_format_version)
    throw Error(ErrorCode::newer_format, file + ": written in index format " + std::to_string(version) + ", and this neardup reads up to " +
                                             std::to_string(index_format_version) + "; open it with a newer neardup (the file was left as it is)");
  if (version == 0) throw_corrupt(file, header_version_at, "format version 0");
  if (data.size() < header_fixed_bytes) throw_corrupt(file, data.size(), "the header is cut short");
  const std::uint32_t body_length = load_u32(data.data() + header_body_length_at);
  if (body_length > max_header_body_bytes)
    throw_corrupt(file, header_body_length_at, "impossible header length " + std::to_string(body_length));
  const std::size_t total = header_fixed_bytes + body_length + crc_bytes;
  if (data.size() < total) throw_corrupt(file, data.size(), "the header is cut short");
  if (crc32(data.substr(0, total - crc_bytes)) != load_u32(data.data() + total - crc_bytes))
    throw_corrupt(file, total - crc_bytes, "bad header checksum");

  ByteReader fixed(data.substr(header_kind_at, header_body_length_at - header_kind_at), file, header_kind_at);
  const std::uint32_t kind = fixed.u32();
  if (kind != 1 && kind != 2) throw_corrupt(file, header_kind_at, "unknown file kind " + std::to_string(kind));
  header.kind = static_cast<FileKind>(kind);
  header.generation = fixed.u64();
  ByteReader body(data.substr(header_fixed_bytes, body_length), file, header_fixed_bytes);
  header.spec = std::string(body.string(body_length));
  header.icu_version = std::string(body.string(body_length));
  const std::uint32_t samples = body.u32();
  if (samples > max_samples) body.fail("impossible sample count " + std::to_string(samples));
  header.samples.clear();
  for (std::uint32_t i = 0; i < samples; ++i) {
    SelfTestSample sample;
    sample.text = std::string(body.string(body_length));
    sample.pivot = std::string(body.string(body_length));
    header.samples.push_back(std::move(sample));
  }
  if (!body.at_end()) body.fail("unexpected bytes at the end of the header");
  return total;
}

std::string encode_record(RecordType type, std::string_view payload) {
  ByteWriter out;
  out.u32(static_cast<std::uint32_t>(payload.size()));
  const char type_byte = static_cast<char>(type);
  out.u8(static_cast<std::uint8_t>(type));
  out.u32(crc32(payload, crc32(std::string_view(&type_byte, 1))));
  out.data().append(payload);
  return std::move(out.data());
}

ScannedRecords scan_records(std::string_view data, std::size_t start, const std::string& file, bool allow_torn_tail) {
  ScannedRecords scanned;
  std::size_t position = start;
  auto torn_or_fail = [&](const std::string& problem) {
    if (allow_torn_tail && !whole_record_after(data, position + 1)) {
      scanned.torn = true;
      return;
    }
    throw_corrupt(file, position, problem);
  };
  while (position < data.size()) {
    const std::size_t remaining = data.size() - position;
    if (remaining < record_header_bytes) {
      torn_or_fail("a record header cut short (" + std::to_string(remaining) + " bytes)");
      break;
    }
    const std::uint32_t length = load_u32(data.data() + position);
    const auto type = static_cast<unsigned char>(data[position + record_type_at]);
    const std::uint32_t stored_crc = load_u32(data.data() + position + record_crc_at);
    if (length > max_record_bytes) {
      torn_or_fail("impossible record length " + std::to_string(length));
      break;
    }
    if (length > remaining - record_header_bytes) {
      torn_or_fail("a record of " + std::to_string(length) + " bytes runs past the end of the file (" + std::to_string(data.size()) + " bytes)");
      break;
    }
    const std::string_view payload = data.substr(position + record_header_bytes, length);
    const char type_byte = static_cast<char>(type);
    if (crc32(payload, crc32(std::string_view(&type_byte, 1))) != stored_crc) {
      torn_or_fail("bad record checksum");
      break;
    }
    if (type < 1 || type > 3) throw_corrupt(file, position, "unknown record type " + std::to_string(type));
    scanned.records.push_back({static_cast<RecordType>(type), position, payload});
    position += record_header_bytes + length;
  }
  scanned.valid_end = scanned.torn ? position : data.size();
  return scanned;
}

namespace {

void write_features(ByteWriter& out, const std::vector<StoredFeature>& features) {
  out.u32(static_cast<std::uint32_t>(features.size()));
  for (const auto& feature : features) {
    out.u64(feature.hash);
    out.u8(feature.count);
  }
}

std::vector<StoredFeature> read_features(ByteReader& in) {
  const std::uint32_t count = in.u32();
  if (count > max_record_bytes / 9) in.fail("impossible feature count " + std::to_string(count));
  std::vector<StoredFeature> features(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    features[i].hash = in.u64();
    features[i].count = in.u8();
    if (features[i].count == 0) in.fail("a feature counted 0 times");
    if (i > 0 && features[i].hash <= features[i - 1].hash) in.fail("feature hashes out of order");
  }
  return features;
}

}  // namespace

std::string encode_add(const StoredDocument& document) {
  ByteWriter out;
  out.string(document.id);
  out.string(document.lang);
  out.u8(document.script);
  out.u64(document.exact_hash);
  out.u32(static_cast<std::uint32_t>(document.sketch.size()));
  for (std::uint32_t slot : document.sketch) out.u32(slot);
  write_features(out, document.grams);
  write_features(out, document.anchors);
  return std::move(out.data());
}

StoredDocument decode_add(const Record& record, const std::string& file) {
  ByteReader in(record.payload, file, record.offset + record_header_bytes);
  StoredDocument document;
  document.id = std::string(in.string(max_id_bytes));
  if (document.id.empty()) in.fail("an empty document id");
  document.lang = std::string(in.string(256));
  document.script = in.u8();
  document.exact_hash = in.u64();
  const std::uint32_t k = in.u32();
  if (k > max_record_bytes / 4) in.fail("impossible sketch size " + std::to_string(k));
  document.sketch.resize(k);
  for (auto& slot : document.sketch) slot = in.u32();
  document.grams = read_features(in);
  document.anchors = read_features(in);
  if (!in.at_end()) in.fail("unexpected bytes at the end of an add record");
  return document;
}

std::string encode_remove(std::string_view id) {
  ByteWriter out;
  out.string(id);
  return std::move(out.data());
}

std::string decode_remove(const Record& record, const std::string& file) {
  ByteReader in(record.payload, file, record.offset + record_header_bytes);
  std::string id(in.string(max_id_bytes));
  if (!in.at_end()) in.fail("unexpected bytes at the end of a remove record");
  return id;
}

MappedFile::MappedFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(ErrorCode::io, path + ": cannot open for reading: " + std::strerror(errno));
  struct stat status {};
  if (::fstat(fd, &status) != 0) {
    const int error = errno;
    ::close(fd);
    throw Error(ErrorCode::io, path + ": cannot tell its size: " + std::strerror(error));
  }
  size_ = static_cast<std::size_t>(status.st_size);
  if (size_ > 0) {
    address_ = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (address_ == MAP_FAILED) {
      const int error = errno;
      ::close(fd);
      address_ = nullptr;
      throw Error(ErrorCode::io, path + ": cannot map for reading: " + std::strerror(error));
    }
    // Read front to back once: read ahead, and the kernel may drop pages behind.
    ::madvise(address_, size_, MADV_SEQUENTIAL);
  }
  ::close(fd);
}

MappedFile::~MappedFile() {
  if (address_ != nullptr) ::munmap(address_, size_);
}

}  // namespace neardup::detail
