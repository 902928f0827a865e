// End to end: generates a corpus of N documents from real text (bench_corpus.hpp), writes it as
// JSON Lines to a temporary folder, and times reading, sketching, the whole analysis,
// deduplication and clustering, with XXH3 over the same bytes as the bound.
//
//   neardup_e2e 10000 [--seed S] [--keep]
//
// The corpus is measured by a fresh process (neardup_e2e --run PATH), so that the peak resident
// memory counts the pipeline and not the generator.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "bench_corpus.hpp"
#include "core/parallel.hpp"
#include "neardup/ingest.hpp"
#include "neardup/pipeline.hpp"
#include "shingle/features.hpp"
#include "sketch/hash.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

double peak_resident_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

void report(const char* stage, double seconds, std::size_t documents, std::size_t bytes) {
  std::printf("%-24s %9.3f s %10.0f docs/s %8.2f MB/s   peak RSS %8.1f MiB\n", stage, seconds,
              static_cast<double>(documents) / seconds, static_cast<double>(bytes) / seconds / 1e6, peak_resident_mib());
  std::fflush(stdout);
}

int run(const std::string& path) {
  using namespace neardup;
  const double rss_before = peak_resident_mib();

  auto start = Clock::now();
  ReadResult read = read_inputs({path}, {});
  const double read_seconds = seconds_since(start);
  std::size_t bytes = 0;
  for (const auto& document : read.documents) bytes += document.text.size();
  const std::size_t n = read.documents.size();
  report("read", read_seconds, n, bytes);
  const double rss_read = peak_resident_mib();

  // The bound: XXH3 over the same text bytes, on the same threads.
  start = Clock::now();
  std::vector<std::uint64_t> hashes(n);
  detail::parallel_for(n, [&](std::size_t d) { hashes[d] = detail::hash64(read.documents[d].text, 0); });
  const double xxh3_seconds = seconds_since(start);
  report("xxh3 (bound)", xxh3_seconds, n, bytes);

  // Sketching as analyse() does it: lines, boilerplate, prepare (normalise, script, language,
  // transliterate, shingle), then MinHash and SimHash of the word shingles.
  start = Clock::now();
  {
    const PipelineOptions options;
    std::vector<std::vector<detail::NormalisedLine>> lines(n);
    detail::parallel_for(n, [&](std::size_t d) { lines[d] = detail::normalised_lines(read.documents[d].text); });
    const auto boilerplate = detail::find_boilerplate(lines);
    detail::parallel_for(n, [&](std::size_t d) {
      const auto prepared = detail::prepare(read.documents[d], lines[d], boilerplate, options.word_shingle);
      hashes[d] ^= minhash(prepared.word_shingles, options.minhash).values()[0] ^
                   simhash(prepared.word_shingles, {}, options.simhash_seed).bits();
    });
  }
  const double sketch_seconds = seconds_since(start);
  report("sketch", sketch_seconds, n, bytes);
  report("read+sketch", read_seconds + sketch_seconds, n, bytes);
  std::printf("%-24s %9.1f x (XXH3 throughput / read+sketch throughput)\n", "bound ratio",
              (read_seconds + sketch_seconds) / xxh3_seconds);

  start = Clock::now();
  Analysis analysis = analyse(std::move(read.documents));
  const double analyse_seconds = seconds_since(start);
  report("analyse", analyse_seconds, n, bytes);
  std::size_t duplicates = 0, translations = 0;
  for (const auto& pair : analysis.pairs) ++(pair.relation == Relation::translation ? translations : duplicates);

  start = Clock::now();
  const DedupResult dedup = deduplicate(analysis, KeepPolicy::first);
  report("deduplicate", seconds_since(start), n, bytes);

  start = Clock::now();
  const auto clusters = cluster_stories(analysis);
  report("cluster_stories", seconds_since(start), n, bytes);

  report("read+analyse", read_seconds + analyse_seconds, n, bytes);
  std::printf("pairs: %zu duplicate, %zu translation; kept %zu, removed %zu; %zu clusters\n", duplicates, translations,
              dedup.kept.size(), dedup.removed.size(), clusters.size());
  const double peak = peak_resident_mib();
  std::printf("memory: peak %.1f MiB (%.1f at start, %.1f after reading); %.0f bytes/document beyond the text\n", peak,
              rss_before, rss_read,
              ((peak - rss_before) * 1048576.0 - static_cast<double>(bytes)) / static_cast<double>(n));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--run") return run(argv[2]);
  if (argc < 2) {
    std::fprintf(stderr, "usage: neardup_e2e N [--seed S] [--keep]\n");
    return 2;
  }
  const std::size_t count = std::stoull(argv[1]);
  std::uint64_t seed = 42;
  bool keep = false;
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--seed" && i + 1 < argc) seed = std::stoull(argv[++i]);
    else if (arg == "--keep") keep = true;
  }
  const auto folder = std::filesystem::temp_directory_path() / ("neardup_e2e_" + std::to_string(count));
  std::filesystem::create_directories(folder);
  const auto path = (folder / "corpus.jsonl").string();
  {
    const std::string jsonl = neardup::bench::generate_corpus_jsonl(neardup::bench::load_real_documents(), count, seed);
    std::ofstream(path, std::ios::binary) << jsonl;
  }
  std::printf("corpus: %zu documents, %.1f MB at %s; %u threads\n", count,
              static_cast<double>(std::filesystem::file_size(path)) / 1e6, path.c_str(), neardup::detail::worker_count());
  std::fflush(stdout);
  const int status = std::system((std::string(argv[0]) + " --run " + path).c_str());
  if (!keep) std::filesystem::remove_all(folder);
  return status == 0 ? 0 : 1;
}
