// neardup/error.hpp: the one error model of the library.
//
// The library never prints and never aborts on bad input: it throws an Error whose
// code() a caller can switch on and whose what() says what is wrong and what to do.
//
//   try { auto docs = neardup::read_inputs({"corpus.jsonl"}, {}); }
//   catch (const neardup::InputError& e) { std::cerr << e.what(); return 1; }
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace neardup {

enum class ErrorCode {
  bad_input,            // a document or input file is malformed (see InputError)
  io,                   // a file cannot be opened, read or written
  usage,                // an option or parameter is out of range
  incompatible_sketch,  // two sketches (or a sketch and an index) have different parameters
  corrupt_index,        // an index file is damaged (bad magic, checksum or length; the offset is named)
  incompatible_index,   // an index was built with another spec or another transliteration (ICU)
  newer_format,         // an index file was written by a newer version of neardup
  id_conflict,          // add_if_new: the id is indexed with another text (add() replaces, remove() forgets)
  out_of_memory,        // a stage ran out of memory (the message names it); split the input or stream it
};

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const noexcept { return code_; }

 private:
  ErrorCode code_;
};

// A name or id as it is safe to show in one line of a message: control characters (a newline
// that would start a forged "skipped:" line, a terminal escape) written as \n, \t, \xNN.
std::string printable(std::string_view text);

// Bad input, located: the file, the 1-based line (0 when the input has no lines) and the
// byte offset of the line's start in the file.
class InputError : public Error {
 public:
  InputError(std::string file, std::uint64_t line, std::uint64_t byte_offset, const std::string& problem);
  const std::string& file() const noexcept { return file_; }
  std::uint64_t line() const noexcept { return line_; }
  std::uint64_t byte_offset() const noexcept { return byte_offset_; }
  const std::string& problem() const noexcept { return problem_; }

 private:
  std::string file_;
  std::uint64_t line_;
  std::uint64_t byte_offset_;
  std::string problem_;
};

}  // namespace neardup
