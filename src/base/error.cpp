#include "neardup/error.hpp"

#include <utility>

namespace neardup {

namespace {

std::string locate(const std::string& file, std::uint64_t line, std::uint64_t byte_offset,
                   const std::string& problem) {
  // "-" is how standard input is named on the command line, but reads badly in a message.
  const std::string shown = file == "-" ? std::string("<stdin>") : printable(file);
  if (line > 0) return shown + ":" + std::to_string(line) + ": " + problem;
  if (byte_offset > 0) return shown + ": byte " + std::to_string(byte_offset) + ": " + problem;
  return shown + ": " + problem;
}

}  // namespace

std::string printable(std::string_view text) {
  std::string shown;
  shown.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte != 0x7F) {
      shown += c;
    } else if (c == '\n') {
      shown += "\\n";
    } else if (c == '\t') {
      shown += "\\t";
    } else if (c == '\r') {
      shown += "\\r";
    } else {
      constexpr char digits[] = "0123456789ABCDEF";
      shown += "\\x";
      shown += digits[byte >> 4];
      shown += digits[byte & 0xF];
    }
  }
  return shown;
}

InputError::InputError(std::string file, std::uint64_t line, std::uint64_t byte_offset, const std::string& problem)
    : Error(ErrorCode::bad_input, locate(file, line, byte_offset, problem)),
      file_(std::move(file)),
      line_(line),
      byte_offset_(byte_offset),
      problem_(problem) {}

}  // namespace neardup
