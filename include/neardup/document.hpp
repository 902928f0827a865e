// neardup/document.hpp: a document as read, before any processing.
#pragma once

#include <cstdint>
#include <string>

namespace neardup {

struct Document {
  std::string id;
  std::string text;    // valid UTF-8, never empty
  std::string lang;    // as given in the input; empty when it must be detected
  std::string extra;   // the other fields of a JSON line, as a JSON object text ("" when none)
  std::string source;  // the file it came from ("-" for standard input)
  std::uint64_t line = 0;  // 1-based line in a JSON Lines file, 0 for a whole-file document
  // The JSON line it was read from, byte for byte (whole, even when the text was cut to the
  // size limit), when ReadOptions::keep_lines asked for it; else empty. Kept lines are written
  // from it unchanged.
  std::string original_line;
};

}  // namespace neardup
