// Real text for the benchmarks: the seed fixtures and, when present, the ntrex-dev corpus; and a
// generator of larger corpora made from them by sentence-level mixes and edits.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "neardup/document.hpp"

namespace neardup::bench {

// fixtures/seeds, then ../shared/data/ntrex-dev/docs.jsonl when it exists, in that order.
std::vector<Document> load_real_documents();

// The part of a dev-corpus id after its last dot ("hin", "eng-GB", "snd-Arab"); "seed" for the
// fixtures, whose ids have no dot.
std::string_view variant_of(const Document& document);

// True for the variants written in a Brahmic, Sinhala or Perso-Arabic script.
bool is_indic_variant(std::string_view variant);

// A JSON Lines corpus of `count` documents (about 1 KB each) with a fixed seed. Each synthetic
// story is 4 to 8 lines drawn at random from the real stories' aligned lines, tagged with a
// number, and written in one to three of their real versions (so real translations and English
// near-duplicates pair up); documents get boilerplate lines, and some are copied exactly or with
// sentences dropped and repeated. Stories are new combinations, so their number grows with the
// corpus as in real news, rather than every document being cut from one of a few dozen stories.
std::string generate_corpus_jsonl(const std::vector<Document>& real, std::size_t count, std::uint64_t seed);

}  // namespace neardup::bench
