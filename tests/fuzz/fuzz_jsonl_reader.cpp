// libFuzzer target: any bytes as the contents of a JSON Lines file, in both error modes. Bad
// input must end as a neardup::Error (fail mode) or a Rejected record (skip mode); anything
// else escaping, a crash or a sanitizer report is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ingest/read.hpp"
#include "ingest/utf8.hpp"
#include "neardup/error.hpp"
#include "fuzz_check.hpp"

namespace {

using neardup::fuzz::check;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  neardup::ReadOptions options;
  options.on_error = neardup::OnError::skip;
  const neardup::ReadResult skipped = neardup::detail::read_jsonl_buffer(bytes, "fuzz.jsonl", options);
  for (const neardup::Document& document : skipped.documents) {
    // What the later stages rely on.
    check(!document.id.empty());
    check(!document.text.empty() && !neardup::detail::is_blank(document.text));
    check(neardup::detail::is_valid_utf8(document.text));
    check(document.line > 0);
  }

  options.on_error = neardup::OnError::fail;
  try {
    const neardup::ReadResult failed = neardup::detail::read_jsonl_buffer(bytes, "fuzz.jsonl", options);
    // Without an error, both modes read the same documents.
    check(skipped.rejected.empty() && failed.documents.size() == skipped.documents.size());
  } catch (const neardup::Error&) {
    check(!skipped.rejected.empty());
  }
  return 0;
}
