// libFuzzer target: any bytes as an index file (snapshot or log) through the readers that open
// one: header, spec, record framing, add/remove/end records. Damage must end as a
// neardup::Error; a crash, a sanitizer report, or a record that decodes but would not be written
// back the same way is a bug.
//
// The first input byte picks the mode. Bit 0: recompute the header and record checksums before
// reading, so that mutations reach the decoders behind them instead of stopping at a CRC
// mismatch (random bytes almost never carry a valid CRC32). Bit 1: read as a log (a torn tail
// allowed) rather than as a snapshot.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "neardup/error.hpp"
#include "neardup/persistent_index.hpp"
#include "store/index_file.hpp"

namespace {

namespace detail = neardup::detail;

using neardup::fuzz::check;

std::uint32_t load_u32(const std::string& bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (int i = 3; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(bytes[at + static_cast<std::size_t>(i)]);
  return value;
}

void store_u32(std::string& bytes, std::size_t at, std::uint32_t value) {
  for (std::size_t i = 0; i < 4; ++i) bytes[at + i] = static_cast<char>((value >> (8 * i)) & 0xff);
}

// Walks the layout of index_file.hpp as far as the lengths allow, rewriting each checksum.
void repair_checksums(std::string& bytes) {
  constexpr std::size_t header_fixed_bytes = 28;
  if (bytes.size() < header_fixed_bytes) return;
  const std::size_t header_end = header_fixed_bytes + static_cast<std::size_t>(load_u32(bytes, 24));
  if (header_end > bytes.size() || bytes.size() - header_end < 4) return;
  store_u32(bytes, header_end, detail::crc32(std::string_view(bytes).substr(0, header_end)));
  std::size_t position = header_end + 4;
  while (bytes.size() - position >= detail::record_header_bytes) {
    const std::size_t length = load_u32(bytes, position);
    if (length > bytes.size() - position - detail::record_header_bytes) return;
    const std::string_view type_and_payload_view(bytes);
    const std::uint32_t crc = detail::crc32(type_and_payload_view.substr(position + detail::record_header_bytes, length),
                                            detail::crc32(type_and_payload_view.substr(position + 4, 1)));
    store_u32(bytes, position + 5, crc);
    position += detail::record_header_bytes + length;
  }
}

void read_index_file(const std::string& bytes, bool as_log) {
  const std::string file = as_log ? "fuzz/log" : "fuzz/snapshot";
  detail::FileHeader header;
  const std::size_t start = detail::decode_header(bytes, file, header);
  check(start <= bytes.size());
  try {
    const neardup::IndexSpec spec = neardup::IndexSpec::parse(header.spec);
    check(neardup::IndexSpec::parse(spec.to_string()) == spec);
  } catch (const neardup::Error& error) {
    check(error.code() == neardup::ErrorCode::usage);
  }
  const detail::ScannedRecords scanned = detail::scan_records(bytes, start, file, as_log);
  check(scanned.valid_end <= bytes.size());
  check(as_log || !scanned.torn);
  for (const detail::Record& record : scanned.records) {
    check(record.offset >= start && record.offset < scanned.valid_end);
    switch (record.type) {
      case detail::RecordType::add: {
        const detail::StoredDocument document = detail::decode_add(record, file);
        check(detail::encode_add(document) == record.payload);
        break;
      }
      case detail::RecordType::remove:
        check(detail::encode_remove(detail::decode_remove(record, file)) == record.payload);
        break;
      case detail::RecordType::end: {
        detail::ByteReader reader(record.payload, file, record.offset + detail::record_header_bytes);
        reader.u64();
        break;
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const unsigned mode = data[0];
  std::string bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  if (mode & 1u) repair_checksums(bytes);
  try {
    read_index_file(bytes, (mode & 2u) != 0);
  } catch (const neardup::Error& error) {
    check(error.code() == neardup::ErrorCode::corrupt_index || error.code() == neardup::ErrorCode::newer_format);
    check(std::strlen(error.what()) > 0);
  }
  return 0;
}
