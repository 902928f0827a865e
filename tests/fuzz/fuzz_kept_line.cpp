// libFuzzer target: any bytes as one JSON line, read and written back as a kept line. The line
// written must hold the same values as the line read (the fields the reader took out put back
// where they were), and with the line kept, be the line itself. The first byte picks the field
// names, so that named and nested fields are written back too.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ingest/read.hpp"
#include "neardup/report.hpp"
#include "fuzz_check.hpp"

namespace {

using neardup::fuzz::check;

const neardup::FieldNames field_choices[] = {
    {"id", "text", "lang"},
    {"doc_id", "content", "meta.lang"},
    {"meta.id", "body.text", "lang"},
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const neardup::FieldNames& fields = field_choices[data[0] % std::size(field_choices)];
  const std::string_view line(reinterpret_cast<const char*>(data) + 1, size - 1);
  // One line, as the reader hands it out: no line break, no byte order mark, no NUL.
  if (line.find_first_of(std::string_view("\n\r\0", 3)) != std::string_view::npos || line.starts_with("\xEF\xBB\xBF")) return 0;
  neardup::ReadOptions options;
  options.on_error = neardup::OnError::skip;
  options.fields = fields;
  for (const bool keep_lines : {false, true}) {
    options.keep_lines = keep_lines;
    const neardup::ReadResult read = neardup::detail::read_jsonl_buffer(line, "fuzz.jsonl", options);
    if (read.documents.empty()) return 0;
    check(read.documents.size() == 1);
    std::ostringstream out;
    neardup::write_kept_line(out, read.documents[0], fields);
    const std::string written = out.str();
    check(!written.empty() && written.back() == '\n');
    if (keep_lines) {
      check(written == std::string(line) + "\n");
      continue;
    }
    nlohmann::json expected = nlohmann::json::parse(line);
    const nlohmann::json actual = nlohmann::json::parse(written);
    // An integer id is written back as a string.
    nlohmann::json* id = &expected;
    for (std::size_t begin = 0, dot = 0; dot != std::string::npos; begin = dot + 1) {
      dot = fields.id.find('.', begin);
      id = &(*id)[fields.id.substr(begin, dot == std::string::npos ? std::string::npos : dot - begin)];
    }
    if (id->is_number_integer()) *id = id->dump();
    check(actual == expected);
  }
  return 0;
}
