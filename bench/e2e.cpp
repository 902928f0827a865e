// End to end: generates a corpus of N documents from real text (bench_corpus.hpp), writes it as
// JSON Lines to a temporary folder, and measures, each in a fresh process so that peak resident
// memory is the stage's own:
//   - streaming dedup (deduplicate_inputs, what `neardup dedup` runs), on one core and on all,
//     with the time of each pass, bytes of memory per document and XXH3 over the file as the bound;
//   - unless --dedup-only, the batch path of `pairs` and `cluster`: reading, sketching (with
//     XXH3 over the same texts as the bound), analyse, deduplicate and cluster_stories.
//
//   neardup_e2e N [--seed S] [--keep] [--dedup-only] [--all-cores-only]
#include <sched.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "base/parallel.hpp"
#include "bench_corpus.hpp"
#include "neardup/ingest.hpp"
#include "neardup/pipeline.hpp"
#include "neardup/report.hpp"
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

// User and system time of the process so far: on a machine shared with other jobs the wall
// time stretches, the work does not.
double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

void report(const char* stage, double seconds, std::size_t documents, std::size_t bytes, double cpu = -1.0) {
  std::printf("%-28s %9.3f s %10.0f docs/s %8.2f MB/s   peak RSS %8.1f MiB", stage, seconds,
              static_cast<double>(documents) / seconds, static_cast<double>(bytes) / seconds / 1e6, peak_resident_mib());
  if (cpu >= 0.0) std::printf("   CPU %.2f s", cpu);
  std::printf("\n");
  std::fflush(stdout);
}

// XXH3 over the file's bytes in 1 MiB blocks, on one core: the bound for a pass over the input.
double xxh3_file_seconds(const std::string& path, std::size_t& bytes) {
  const auto start = Clock::now();
  std::ifstream in(path, std::ios::binary);
  std::string block(std::size_t{1} << 20, '\0');
  std::uint64_t sink = 0;
  bytes = 0;
  while (in.read(block.data(), static_cast<std::streamsize>(block.size())) || in.gcount() > 0) {
    const auto got = static_cast<std::size_t>(in.gcount());
    sink ^= neardup::detail::hash64(block.data(), got, 0);
    bytes += got;
  }
  const double seconds = seconds_since(start);
  if (sink == 42) std::printf(" ");  // keeps the hashing from being optimised away
  return seconds;
}

// Streaming dedup as the command runs it, outputs written to /dev/null. The last line,
// "seconds=S", is for the parent.
int run_dedup(const std::string& path, int cores) {
  using namespace neardup;
  if (cores == 1) {
    // Pinned to one core, the workers share it: the one-core throughput of the same code.
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(0, &set);
    sched_setaffinity(0, sizeof set, &set);
  }
  const double rss_start = peak_resident_mib();
  std::ofstream kept_out("/dev/null"), removed_out("/dev/null");
  DedupSinks sinks;
  sinks.kept = [&](const Document& document) { write_kept_line(kept_out, document); };
  sinks.removed = [&](const Document& document, std::string_view duplicate_of, Relation relation, double score) {
    write_removed_line(removed_out, document.id, duplicate_of, relation, score);
  };
  std::string stage;
  Clock::time_point stage_start = Clock::now();
  double stage_cpu = cpu_seconds();
  Progress last;
  const auto finish_stage = [&] {
    if (!stage.empty()) report(("  " + stage).c_str(), seconds_since(stage_start), last.documents, last.bytes, cpu_seconds() - stage_cpu);
  };
  const auto start = Clock::now();
  PipelineOptions options;
  options.progress = [&](const Progress& progress) {
    if (progress.stage != stage) {
      finish_stage();
      stage = progress.stage;
      stage_start = Clock::now();
      stage_cpu = cpu_seconds();
    }
    last = progress;
  };
  const StreamedDedup result = deduplicate_inputs({path}, {}, options, sinks);
  finish_stage();
  const double seconds = seconds_since(start);
  const double cpu = cpu_seconds();
  const std::size_t n = result.kept + result.removed;
  std::size_t bytes = 0;
  const double xxh3_seconds = xxh3_file_seconds(path, bytes);
  char title[64];
  std::snprintf(title, sizeof title, "dedup on %d core%s", cores, cores == 1 ? "" : "s");
  report(title, seconds, n, bytes, cpu);
  report("  xxh3 over the file (bound)", xxh3_seconds, n, bytes);
  const double peak = peak_resident_mib();
  std::printf("  kept %llu, removed %llu; XXH3 is %.0fx faster; peak RSS %.1f MiB = %.0f bytes/document (%.0f beyond the "
              "%.1f MiB at start)\n",
              static_cast<unsigned long long>(result.kept), static_cast<unsigned long long>(result.removed), seconds / xxh3_seconds,
              peak, peak * 1048576.0 / static_cast<double>(n), (peak - rss_start) * 1048576.0 / static_cast<double>(n), rss_start);
  std::printf("seconds=%.6f cpu=%.6f\n", seconds, cpu);
  return 0;
}

// The batch path of `pairs` and `cluster`.
int run_batch(const std::string& path) {
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
  detail::parallel_for(0, n, [&](std::size_t d) { hashes[d] = detail::hash64(read.documents[d].text, 0); });
  const double xxh3_seconds = seconds_since(start);
  report("xxh3 (bound)", xxh3_seconds, n, bytes);

  // Sketching as analyse() does it: lines, boilerplate, prepare (normalise, script, language,
  // transliterate, shingle), then MinHash and SimHash of the word shingles.
  start = Clock::now();
  {
    const PipelineOptions options;
    std::vector<std::vector<detail::NormalisedLine>> lines(n);
    detail::parallel_for(0, n, [&](std::size_t d) { lines[d] = detail::normalised_lines(read.documents[d].text); });
    const auto boilerplate = detail::find_boilerplate(lines);
    detail::parallel_for(0, n, [&](std::size_t d) {
      const auto prepared = detail::prepare(read.documents[d], lines[d], boilerplate, options.word_shingle);
      hashes[d] ^= minhash(prepared.word_shingles.hashes, options.minhash).values()[0] ^
                   simhash(prepared.word_shingles.hashes, {}, options.simhash_seed).bits();
    });
  }
  const double sketch_seconds = seconds_since(start);
  report("sketch", sketch_seconds, n, bytes);
  std::printf("%-28s %9.1f x (XXH3 throughput / sketch throughput)\n", "bound ratio", sketch_seconds / xxh3_seconds);

  start = Clock::now();
  Analysis analysis = analyse(std::move(read.documents));
  const double analyse_seconds = seconds_since(start);
  report("analyse (pairs)", analyse_seconds, n, bytes);
  std::size_t duplicates = 0, translations = 0;
  for (const auto& pair : analysis.pairs) ++(pair.relation == Relation::translation ? translations : duplicates);

  start = Clock::now();
  const DedupResult dedup = deduplicate(analysis, KeepPolicy::first);
  report("deduplicate (batch)", seconds_since(start), n, bytes);

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

struct Times {
  double seconds = 0.0;
  double cpu = 0.0;
};

// Runs this program again with `arguments`, echoing its output; returns the "seconds= cpu=" it
// ends with (zeros when missing).
Times run_child(const std::string& self, const std::string& arguments) {
  Times times;
  FILE* pipe = ::popen((self + " " + arguments).c_str(), "r");
  if (pipe == nullptr) return times;
  char line[512];
  while (std::fgets(line, sizeof line, pipe) != nullptr) {
    if (std::sscanf(line, "seconds=%lf cpu=%lf", &times.seconds, &times.cpu) == 2) continue;
    std::fputs(line, stdout);
    std::fflush(stdout);
  }
  ::pclose(pipe);
  return times;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "--run-dedup") return run_dedup(argv[2], std::atoi(argv[3]));
  if (argc == 3 && std::string(argv[1]) == "--run-batch") return run_batch(argv[2]);
  if (argc < 2) {
    std::fprintf(stderr, "usage: neardup_e2e N [--seed S] [--keep] [--dedup-only] [--all-cores-only]\n");
    return 2;
  }
  const std::size_t count = std::stoull(argv[1]);
  std::uint64_t seed = 42;
  bool keep = false;
  bool dedup_only = false;
  bool all_cores_only = false;  // no run on one core (a long one at a million documents)
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--seed" && i + 1 < argc) seed = std::stoull(argv[++i]);
    else if (arg == "--keep") keep = true;
    else if (arg == "--dedup-only") dedup_only = true;
    else if (arg == "--all-cores-only") all_cores_only = true;
  }
  const auto folder = std::filesystem::temp_directory_path() / ("neardup_e2e_" + std::to_string(count));
  std::filesystem::create_directories(folder);
  const auto path = (folder / "corpus.jsonl").string();
  {
    const std::string jsonl = neardup::bench::generate_corpus_jsonl(neardup::bench::load_real_documents(), count, seed);
    std::ofstream(path, std::ios::binary) << jsonl;
  }
  std::printf("corpus: %zu documents, %.1f MB at %s; %u cores\n", count,
              static_cast<double>(std::filesystem::file_size(path)) / 1e6, path.c_str(), neardup::detail::thread_count(0));
  std::fflush(stdout);
  const std::string self = argv[0];
  const Times one = all_cores_only ? Times{} : run_child(self, "--run-dedup " + path + " 1");
  const Times all = run_child(self, "--run-dedup " + path + " " + std::to_string(neardup::detail::thread_count(0)));
  if (one.seconds > 0.0 && all.seconds > 0.0)
    std::printf("dedup on %u cores over one: %.2fx faster (wall); CPU %.2f s against %.2f s on one\n", neardup::detail::thread_count(0),
                one.seconds / all.seconds, all.cpu, one.cpu);
  if (!dedup_only) run_child(self, "--run-batch " + path);
  if (!keep) std::filesystem::remove_all(folder);
  return 0;
}
