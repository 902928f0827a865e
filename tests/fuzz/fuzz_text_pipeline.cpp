// libFuzzer target: any valid UTF-8 text through the text stages and the per-document features,
// as the readers would hand it on: normalise, pivot script, words and sentences, phonetic keys,
// script and language, and prepare() on a Document. normalise() must also give the bytes of its
// ICU reference, normalise_icu(), for every input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "ingest/utf8.hpp"
#include "neardup/document.hpp"
#include "shingle/features.hpp"
#include "text/language.hpp"
#include "text/normalise.hpp"
#include "text/phonetic.hpp"
#include "text/script.hpp"
#include "text/segment.hpp"
#include "text/transliterate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // The readers let nothing else through.
  if (!neardup::detail::is_valid_utf8(text) || neardup::detail::is_blank(text)) return 0;

  const std::string normalised = neardup::detail::normalise(text);
  if (normalised != neardup::detail::normalise_icu(text)) std::abort();
  const std::string pivot = neardup::detail::to_pivot(normalised);
  std::string keys;
  for (const neardup::detail::Span word : neardup::detail::words(pivot)) {
    const std::string_view spelling = std::string_view(pivot).substr(word.begin, word.end - word.begin);
    neardup::detail::append_phonetic_key(spelling, keys);
    keys += ' ';
  }
  neardup::detail::consonant_skeleton(keys);
  neardup::detail::sentences(text);
  const neardup::detail::ScriptProfile profile = neardup::detail::profile_scripts(normalised);
  neardup::detail::detect_language(normalised, profile);

  neardup::Document document;
  document.id = "fuzz";
  document.text = std::string(text);
  const std::vector<neardup::detail::NormalisedLine> lines = neardup::detail::normalised_lines(document.text);
  const std::unordered_set<std::uint64_t> boilerplate = neardup::detail::find_boilerplate({lines, lines});
  neardup::detail::prepare(document, lines, boilerplate, 3);
  neardup::detail::anchor_spellings(document, lines, boilerplate);
  return 0;
}
