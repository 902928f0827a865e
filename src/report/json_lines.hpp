// Reading neardup's own JSON Lines outputs back (pairs, clusters), for evaluation and reports.
#pragma once

#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "neardup/error.hpp"

namespace neardup::detail {

// Calls on_line(json, line_number) for every non-blank line of a JSON Lines file; a line that
// does not parse, or that on_line rejects with a JSON error (a missing or ill-typed field), is an
// InputError naming the file and line.
template <class OnLine>
void for_each_json_line(const std::string& path, OnLine&& on_line) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::io, path + ": cannot open");
  std::string line;
  for (std::uint64_t number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      on_line(nlohmann::json::parse(line), number);
    } catch (const nlohmann::json::exception& error) {
      throw InputError(path, number, 0, std::string("not an output line of neardup: ") + error.what());
    }
  }
}

}  // namespace neardup::detail
