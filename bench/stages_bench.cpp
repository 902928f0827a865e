// Per-stage throughput on real text (fixtures/seeds and ntrex-dev): bytes/s and documents/s,
// with XXH3 over the same bytes as the bound. Text sets: 0 = all, 1 = Indic scripts, 2 = Latin.
#include <benchmark/benchmark.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <sstream>

#include "batch/corpus.hpp"
#include "bench_corpus.hpp"
#include "cluster/cluster.hpp"
#include "index/lsh.hpp"
#include "ingest/read.hpp"
#include "neardup/pipeline.hpp"
#include "score/align.hpp"
#include "score/translation.hpp"
#include "shingle/features.hpp"
#include "sketch/hash.hpp"
#include "text/language.hpp"
#include "text/normalise.hpp"
#include "text/script.hpp"
#include "text/transliterate.hpp"

namespace neardup::bench {
namespace {

const std::vector<Document>& all_documents() {
  static const std::vector<Document> documents = load_real_documents();
  return documents;
}

std::vector<Document> select(int set) {
  std::vector<Document> chosen;
  for (const auto& document : all_documents()) {
    const bool indic = is_indic_variant(variant_of(document));
    if (set == 0 || (set == 1 && indic) || (set == 2 && !indic)) chosen.push_back(document);
  }
  return chosen;
}

const std::vector<Document>& documents(int set) {
  static const std::vector<Document> sets[] = {select(0), select(1), select(2)};
  return sets[set];
}

std::size_t text_bytes(const std::vector<Document>& docs) {
  std::size_t bytes = 0;
  for (const auto& document : docs) bytes += document.text.size();
  return bytes;
}

void count(benchmark::State& state, const std::vector<Document>& docs) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text_bytes(docs)));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * docs.size()));
}

// Lines and boilerplate of a text set, as prepare_corpus finds them.
struct Lines {
  std::vector<std::vector<detail::NormalisedLine>> lines;
  std::unordered_set<std::uint64_t> boilerplate;
};

const Lines& lines_of(int set) {
  static const std::vector<Lines> per_set = [] {
    std::vector<Lines> all(3);
    for (int s = 0; s < 3; ++s) {
      for (const auto& document : documents(s)) all[s].lines.push_back(detail::normalised_lines(document.text));
      all[s].boilerplate = detail::find_boilerplate(all[s].lines);
    }
    return all;
  }();
  return per_set[set];
}

const std::vector<detail::PreparedDocument>& prepared(int set) {
  static const std::vector<std::vector<detail::PreparedDocument>> per_set = [] {
    std::vector<std::vector<detail::PreparedDocument>> all(3);
    for (int s = 0; s < 3; ++s) {
      const auto& docs = documents(s);
      for (std::size_t d = 0; d < docs.size(); ++d)
        all[s].push_back(detail::prepare(docs[d], lines_of(s).lines[d], lines_of(s).boilerplate, 3));
    }
    return all;
  }();
  return per_set[set];
}

void BM_xxh3(benchmark::State& state) {
  const auto& docs = documents(static_cast<int>(state.range(0)));
  for (auto _ : state)
    for (const auto& document : docs) benchmark::DoNotOptimize(detail::hash64(document.text, 0));
  count(state, docs);
}
BENCHMARK(BM_xxh3)->DenseRange(0, 2);

void BM_read_jsonl(benchmark::State& state) {
  const std::string path = NEARDUP_SHARED_DIR "/data/ntrex-dev/docs.jsonl";
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    state.SkipWithError("ntrex-dev corpus not present");
    return;
  }
  std::stringstream bytes;
  bytes << in.rdbuf();
  const std::string text = bytes.str();
  std::size_t docs = 0;
  for (auto _ : state) docs = detail::read_jsonl_buffer(text, path, {}).documents.size();
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * docs));
}
BENCHMARK(BM_read_jsonl);

// Reading each line of the dev corpus again, as the second pass of streaming dedup does: the
// whole document (0, read_again) or its text alone (1, read_text_again).
void BM_read_again(benchmark::State& state) {
  const std::string path = NEARDUP_SHARED_DIR "/data/ntrex-dev/docs.jsonl";
  if (!std::filesystem::exists(path)) {
    state.SkipWithError("ntrex-dev corpus not present");
    return;
  }
  std::vector<detail::DocumentLocation> locations;
  std::size_t bytes = 0;
  const detail::StreamedInputs inputs = detail::stream_inputs({path}, {}, [&](Document&& document, const detail::DocumentLocation& location) {
    locations.push_back(location);
    bytes += document.text.size();
  });
  const bool text_only = state.range(0) == 1;
  for (auto _ : state)
    for (const auto& location : locations) {
      if (text_only) benchmark::DoNotOptimize(detail::read_text_again(inputs, location));
      else benchmark::DoNotOptimize(detail::read_again(inputs, location));
    }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * locations.size()));
}
BENCHMARK(BM_read_again)->Arg(0)->Arg(1);

void BM_normalise(benchmark::State& state) {
  const auto& docs = documents(static_cast<int>(state.range(0)));
  for (auto _ : state)
    for (const auto& document : docs) benchmark::DoNotOptimize(detail::normalise(document.text));
  count(state, docs);
}
BENCHMARK(BM_normalise)->DenseRange(0, 2);

void BM_script_language(benchmark::State& state) {
  const auto& docs = documents(static_cast<int>(state.range(0)));
  for (auto _ : state)
    for (const auto& document : docs)
      benchmark::DoNotOptimize(detail::detect_language(document.text, detail::profile_scripts(document.text)));
  count(state, docs);
}
BENCHMARK(BM_script_language)->DenseRange(0, 2);

// Transliteration of the normalised text of the documents in the aligned Brahmic scripts (the
// ones ICU has a transliterator for): ICU's reference against the table-driven fast path.
struct Brahmic {
  std::vector<std::string> texts;
  std::vector<detail::Script> scripts;
  std::size_t bytes = 0;
};

const Brahmic& brahmic() {
  static const Brahmic cached = [] {
    Brahmic b;
    for (const auto& document : documents(1)) {
      const auto profile = detail::profile_scripts(document.text);
      if (!detail::is_brahmic_aligned(profile.dominant) || profile.dominant == detail::Script::devanagari) continue;
      b.texts.push_back(detail::normalise(document.text));
      b.scripts.push_back(profile.dominant);
      b.bytes += b.texts.back().size();
    }
    return b;
  }();
  return cached;
}

void BM_transliterate_icu(benchmark::State& state) {
  const Brahmic& b = brahmic();
  for (auto _ : state)
    for (std::size_t i = 0; i < b.texts.size(); ++i) benchmark::DoNotOptimize(detail::to_devanagari_icu(b.texts[i], b.scripts[i]));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * b.bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * b.texts.size()));
}
BENCHMARK(BM_transliterate_icu);

void BM_transliterate_fast(benchmark::State& state) {
  const Brahmic& b = brahmic();
  for (auto _ : state)
    for (const auto& text : b.texts) benchmark::DoNotOptimize(detail::to_devanagari(text));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * b.bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * b.texts.size()));
}
BENCHMARK(BM_transliterate_fast);

void BM_normalised_lines(benchmark::State& state) {
  const auto& docs = documents(static_cast<int>(state.range(0)));
  for (auto _ : state)
    for (const auto& document : docs) benchmark::DoNotOptimize(detail::normalised_lines(document.text));
  count(state, docs);
}
BENCHMARK(BM_normalised_lines)->DenseRange(0, 2);

// One of the preparations below, document after document, on lines already normalised.
template <class Prepare>
void prepare_each(benchmark::State& state, Prepare&& prepare_one) {
  const int set = static_cast<int>(state.range(0));
  const auto& docs = documents(set);
  const Lines& l = lines_of(set);
  for (auto _ : state)
    for (std::size_t d = 0; d < docs.size(); ++d) benchmark::DoNotOptimize(prepare_one(docs[d], l.lines[d], l.boilerplate));
  count(state, docs);
}

using NormalisedLines = std::vector<detail::NormalisedLine>;
using Boilerplate = std::unordered_set<std::uint64_t>;

// Segment and shingle: prepare() (script, language, sentences, words, pivot, phonetic grams,
// anchors, word shingles).
void BM_prepare(benchmark::State& state) {
  prepare_each(state, [](const Document& document, const NormalisedLines& lines, const Boilerplate& boilerplate) {
    return detail::prepare(document, lines, boilerplate, 3);
  });
}
BENCHMARK(BM_prepare)->DenseRange(0, 2);

// prepare() without the translation features, as sketch(features=False) of the Python module
// needs it: script and language still, but no sentences.
void BM_prepare_no_translation(benchmark::State& state) {
  prepare_each(state, [](const Document& document, const NormalisedLines& lines, const Boilerplate& boilerplate) {
    return detail::prepare(document, lines, boilerplate, 3, false);
  });
}
BENCHMARK(BM_prepare_no_translation)->DenseRange(0, 2);

// What streaming dedup prepares: the exact hash and word shingles alone, without script,
// language, or the translation features.
void BM_prepare_shingles(benchmark::State& state) {
  prepare_each(state, [](const Document& document, const NormalisedLines& lines, const Boilerplate& boilerplate) {
    return detail::prepare_shingles(document.text, lines, boilerplate, 3);
  });
}
BENCHMARK(BM_prepare_shingles)->DenseRange(0, 2);

// The sketching path on one core: text -> lines -> prepare -> MinHash and SimHash.
void BM_sketch_path(benchmark::State& state) {
  const int set = static_cast<int>(state.range(0));
  const auto& docs = documents(set);
  const Lines& l = lines_of(set);
  const MinHashParams params;
  for (auto _ : state)
    for (const auto& document : docs) {
      const auto lines = detail::normalised_lines(document.text);
      const auto p = detail::prepare(document, lines, l.boilerplate, 3);
      benchmark::DoNotOptimize(minhash(p.word_shingles.hashes, params));
      benchmark::DoNotOptimize(simhash(p.word_shingles.hashes, {}, 7));
    }
  count(state, docs);
}
BENCHMARK(BM_sketch_path)->DenseRange(0, 2);

// XXH3 over 8-byte pieces of Indic text: what hashing each word and gram separately costs.
void BM_xxh3_pieces(benchmark::State& state) {
  const auto& docs = documents(1);
  for (auto _ : state)
    for (const auto& document : docs)
      for (std::size_t i = 0; i + 8 <= document.text.size(); i += 8) benchmark::DoNotOptimize(detail::hash64(document.text.data() + i, 8, 1));
  count(state, docs);
}
BENCHMARK(BM_xxh3_pieces);

void BM_minhash(benchmark::State& state) {
  const auto& p = prepared(0);
  MinHashParams params;
  params.scheme = state.range(0) == 0 ? MinHashScheme::one_permutation : MinHashScheme::classic;
  for (auto _ : state)
    for (const auto& document : p) benchmark::DoNotOptimize(minhash(document.word_shingles.hashes, params));
  count(state, documents(0));
  state.SetLabel(params.to_string());
}
BENCHMARK(BM_minhash)->Arg(0)->Arg(1);

void BM_simhash(benchmark::State& state) {
  const auto& p = prepared(0);
  for (auto _ : state)
    for (const auto& document : p) benchmark::DoNotOptimize(simhash(document.word_shingles.hashes, {}, 7));
  count(state, documents(0));
}
BENCHMARK(BM_simhash);

// LSH over sketches of random distinct sets (every band key unique), index sizes swept.
MinHashSketch random_sketch(std::mt19937_64& rng, const MinHashParams& params) {
  std::vector<std::uint64_t> values(params.k);
  for (auto& v : values) v = rng();
  return MinHashSketch(params, std::move(values));
}

void BM_lsh_insert(benchmark::State& state) {
  const MinHashParams params;
  const auto banding = detail::choose_banding(params.k, 0.5);
  const auto n = static_cast<std::uint32_t>(state.range(0));
  std::mt19937_64 rng(1);
  std::vector<MinHashSketch> sketches;
  for (std::uint32_t i = 0; i < 1000; ++i) sketches.push_back(random_sketch(rng, params));
  for (auto _ : state) {
    detail::MinHashLshIndex index(params, banding);
    for (std::uint32_t i = 0; i < n; ++i) index.insert(i, sketches[i % sketches.size()]);
    benchmark::DoNotOptimize(index.size());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}
BENCHMARK(BM_lsh_insert)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond);

// An index of n random sketches and 1000 of them to look up (each finds itself), built once per
// size: Google Benchmark calls the function several times while it calibrates.
struct LshFixture {
  detail::MinHashLshIndex index;
  std::vector<MinHashSketch> probes;
};

const LshFixture& lsh_fixture(std::uint32_t n) {
  static std::map<std::uint32_t, std::unique_ptr<LshFixture>> cache;
  auto& entry = cache[n];
  if (!entry) {
    const MinHashParams params;
    std::mt19937_64 rng(2);
    entry = std::make_unique<LshFixture>(LshFixture{detail::MinHashLshIndex(params, detail::choose_banding(params.k, 0.5)), {}});
    for (std::uint32_t i = 0; i < n; ++i) {
      auto sketch = random_sketch(rng, params);
      entry->index.insert(i, sketch);
      if (i % (n / 1000) == 0) entry->probes.push_back(std::move(sketch));
    }
  }
  return *entry;
}

void BM_lsh_query(benchmark::State& state) {
  const LshFixture& fixture = lsh_fixture(static_cast<std::uint32_t>(state.range(0)));
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(fixture.index.query(fixture.probes[i++ % fixture.probes.size()]));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_lsh_query)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Repetitions(3)->ReportAggregatesOnly(true);

void BM_find_duplicates(benchmark::State& state) {
  const auto& p = prepared(0);
  for (auto _ : state) benchmark::DoNotOptimize(detail::find_duplicates(p, detail::duplicate_options({})));
  count(state, documents(0));
}
BENCHMARK(BM_find_duplicates)->Unit(benchmark::kMillisecond);

void BM_translation_candidates(benchmark::State& state) {
  std::vector<const detail::PreparedDocument*> representatives;
  for (const auto& document : prepared(0)) representatives.push_back(&document);
  for (auto _ : state) benchmark::DoNotOptimize(detail::score_translation_candidates(representatives, 0));
  count(state, documents(0));
}
BENCHMARK(BM_translation_candidates)->Unit(benchmark::kMillisecond);

// The aligner alone, per translation pair: every ntrex-dev document against the English version
// of its story (ids "source.N.variant"). Features are weighed uniformly, which costs what the
// scorer's rarity weights cost: the time is in the merge of the feature lists and the DP.
void BM_align_translation_pair(benchmark::State& state) {
  const auto& docs = documents(0);
  const auto& prepared_docs = prepared(0);
  std::unordered_map<std::uint64_t, std::uint32_t> ids;
  auto index_of = [&](const detail::PreparedDocument& document) {
    std::vector<detail::SparseVector> sentences;
    std::vector<float> lengths;
    for (const auto& sentence : document.sentences) {
      std::map<std::uint32_t, float> counts;
      for (const auto* hashes : {&sentence.grams, &sentence.anchors})
        for (std::uint64_t hash : *hashes) counts[ids.try_emplace(hash, static_cast<std::uint32_t>(ids.size())).first->second] += 1.0f;
      detail::SparseVector vector;
      for (const auto& [id, count] : counts) vector.push_back({id, 1.0f / std::sqrt(static_cast<float>(counts.size()))});
      sentences.push_back(std::move(vector));
      lengths.push_back(static_cast<float>(sentence.span.end - sentence.span.begin));
    }
    return detail::SentenceIndex(sentences, std::move(lengths));
  };
  auto story_of = [](const std::string& id) { return id.substr(0, id.rfind('.')); };
  std::map<std::string, std::size_t> english;
  for (std::size_t d = 0; d < docs.size(); ++d)
    if (variant_of(docs[d]) == "eng") english.emplace(story_of(docs[d].id), d);
  std::vector<detail::SentenceIndex> indexes;
  for (const auto& document : prepared_docs) indexes.push_back(index_of(document));
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  for (std::size_t d = 0; d < docs.size(); ++d)
    if (const auto it = english.find(story_of(docs[d].id)); it != english.end() && it->second != d) pairs.emplace_back(it->second, d);
  if (pairs.empty()) {
    state.SkipWithError("no ntrex-dev translation pairs (../shared/data/ntrex-dev absent)");
    return;
  }
  std::size_t sentences = 0;
  for (const auto& [a, b] : pairs) sentences += indexes[a].sentence_count() + indexes[b].sentence_count();
  for (auto _ : state)
    for (const auto& [a, b] : pairs) benchmark::DoNotOptimize(detail::align_sentences(indexes[a], indexes[b], 0.03f));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * pairs.size()));
  state.counters["sentences_per_pair"] = static_cast<double>(sentences) / static_cast<double>(pairs.size());
}
BENCHMARK(BM_align_translation_pair)->Unit(benchmark::kMillisecond);

void BM_cluster(benchmark::State& state) {
  static const Analysis analysis = analyse(all_documents());
  for (auto _ : state) benchmark::DoNotOptimize(cluster_stories(analysis));
  count(state, documents(0));
}
BENCHMARK(BM_cluster)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace neardup::bench

BENCHMARK_MAIN();
