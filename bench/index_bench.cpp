// The crawler index at scale: fills a PersistentIndex with N generated documents (bench_corpus.hpp)
// through add_batch, then measures, in a fresh process, what a restarted crawler sees: how long
// opening takes, what the index costs in memory and on disk per document, add_if_new throughput
// from 1 and 2 threads and query latency.
//
//   neardup_index_bench [N=1000000] [--probes P=2000] [--queries Q=3000] [--seed S] [--dir D] [--keep]
//
// Probes (for add_if_new and queries) are, in turn, two new documents (generated after the
// indexed ones: new stories, some with translations or copies among the probes themselves), an
// exact copy of an indexed document and a near copy (one line dropped, one appended), each under
// a new id. The 1-thread and 2-thread runs add different probes; queries add nothing.
//
// Three processes: this one generates the corpus and probes into D (default
// /tmp/neardup_index_bench_N), `--fill D` builds the index and checkpoints it, and `--measure D`
// reopens it, so that memory is counted for the index alone, as a restart would load it.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench_corpus.hpp"
#include "neardup/ingest.hpp"
#include "neardup/persistent_index.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

double peak_resident_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // KiB on Linux
}

double resident_mib() {
  long pages = 0, resident = 0;
  if (std::FILE* statm = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(statm, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(statm);
  }
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / 1048576.0;
}

std::vector<neardup::Document> read_jsonl(const fs::path& path) { return neardup::read_inputs({path.string()}, {}).documents; }

void write_jsonl(const fs::path& path, const std::vector<neardup::Document>& documents) {
  std::ofstream out(path, std::ios::binary);
  for (const auto& document : documents) {
    std::string line = "{\"id\":\"" + document.id + "\",\"text\":\"";
    for (char c : document.text) {
      if (static_cast<unsigned char>(c) < 0x20) {
        char escaped[8];
        std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
        line += escaped;
        continue;
      }
      if (c == '"' || c == '\\') line.push_back('\\');
      line.push_back(c);
    }
    out << line << "\"}\n";
  }
}

// --fill: add_batch in chunks (one fdatasync each, as a bulk load would), then a checkpoint.
int fill(const fs::path& folder) {
  auto documents = read_jsonl(folder / "corpus.jsonl");
  const fs::path index_path = folder / "index";
  fs::remove_all(index_path);
  std::size_t bytes = 0;
  for (const auto& document : documents) bytes += document.text.size();
  {
    auto index = neardup::PersistentIndex::open(index_path.string(), {});
    constexpr std::size_t chunk = 10000;
    const auto start = Clock::now();
    for (std::size_t at = 0; at < documents.size(); at += chunk) {
      const std::vector<neardup::Document> part(documents.begin() + static_cast<std::ptrdiff_t>(at),
                                                documents.begin() + static_cast<std::ptrdiff_t>(std::min(at + chunk, documents.size())));
      index.add_batch(part);
    }
    const double seconds = seconds_since(start);
    std::printf("fill (add_batch)          %9.1f s  %8.0f docs/s  %6.2f MB/s of text\n", seconds,
                static_cast<double>(documents.size()) / seconds, static_cast<double>(bytes) / seconds / 1e6);
    std::fflush(stdout);
  }
  documents = {};
  {
    const auto start = Clock::now();
    auto index = neardup::PersistentIndex::open_existing(index_path.string());
    std::printf("open (log replay)         %9.1f s  %8zu documents\n", seconds_since(start), static_cast<std::size_t>(index.stats().documents));
    std::fflush(stdout);
    const auto checkpoint_start = Clock::now();
    index.checkpoint();
    std::printf("checkpoint                %9.1f s\n", seconds_since(checkpoint_start));
    std::fflush(stdout);
  }
  return 0;
}

double add_if_new_rate(neardup::PersistentIndex& index, const std::vector<neardup::Document>& probes, unsigned threads,
                       std::size_t& added) {
  std::atomic<std::size_t> next{0}, added_count{0};
  const auto start = Clock::now();
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < threads; ++t)
    workers.emplace_back([&] {
      for (std::size_t i; (i = next++) < probes.size();)
        if (index.add_if_new(probes[i].id, probes[i].text).added) ++added_count;
    });
  for (auto& worker : workers) worker.join();
  added = added_count;
  return static_cast<double>(probes.size()) / seconds_since(start);
}

// --measure: a restart (open from the snapshot), then the crawler's operations.
int measure(const fs::path& folder) {
  const auto add_one = read_jsonl(folder / "add1.jsonl");
  const auto add_two = read_jsonl(folder / "add2.jsonl");
  const auto queries = read_jsonl(folder / "queries.jsonl");
  // A copy, so that --measure can be run again on the same filled index; the copy also leaves
  // the files in the page cache, as they are after a crawler's restart on the same machine.
  const fs::path run_path = folder / "index-run";
  fs::remove_all(run_path);
  fs::copy(folder / "index", run_path);
  const double resident_before = resident_mib();

  auto start = Clock::now();
  auto index = neardup::PersistentIndex::open_existing(run_path.string());
  const double open_seconds = seconds_since(start);
  const double resident_open = resident_mib();
  const double peak_open = peak_resident_mib();
  const neardup::IndexStats stats = index.stats();
  const auto n = static_cast<double>(stats.documents);
  std::printf("open (snapshot)           %9.1f s  %8.0f documents\n", open_seconds, n);
  std::printf("on disk                   %9.0f bytes/document (%.1f MB)\n", static_cast<double>(stats.bytes_on_disk) / n,
              static_cast<double>(stats.bytes_on_disk) / 1e6);
  std::printf("in memory (RSS growth)    %9.0f bytes/document (%.1f MiB; stats() estimate %.0f bytes/document; peak RSS while opening %.1f MiB)\n",
              (resident_open - resident_before) * 1048576.0 / n, resident_open - resident_before,
              static_cast<double>(stats.bytes_in_memory) / n, peak_open);
  std::fflush(stdout);

  std::vector<double> latencies;
  std::size_t matched = 0;
  for (const auto& query : queries) {
    const auto query_start = Clock::now();
    matched += index.query(query.text).empty() ? 0 : 1;
    latencies.push_back(seconds_since(query_start) * 1e3);
  }
  std::sort(latencies.begin(), latencies.end());
  const auto at = [&](double q) { return latencies[std::min(latencies.size() - 1, static_cast<std::size_t>(q * static_cast<double>(latencies.size())))]; };
  std::printf("query latency             median %.2f ms, p99 %.2f ms, max %.2f ms (%zu queries, %zu with matches)\n", at(0.5), at(0.99),
              latencies.back(), latencies.size(), matched);
  std::fflush(stdout);

  for (const unsigned threads : {1u, 2u}) {
    const auto& probes = threads == 1 ? add_one : add_two;
    std::size_t added = 0;
    const double rate = add_if_new_rate(index, probes, threads, added);
    std::printf("add_if_new, %u thread%s      %9.0f /s  (%zu probes, %zu added)\n", threads, threads == 1 ? " " : "s", rate, probes.size(), added);
    std::fflush(stdout);
  }
  return 0;
}

neardup::Document near_copy(const neardup::Document& original, std::mt19937_64& rng, const std::string& id) {
  std::vector<std::string> lines;
  std::size_t begin = 0;
  while (begin <= original.text.size()) {
    std::size_t end = original.text.find('\n', begin);
    if (end == std::string::npos) end = original.text.size();
    lines.push_back(original.text.substr(begin, end - begin));
    begin = end + 1;
  }
  if (lines.size() > 2) lines.erase(lines.begin() + 1 + static_cast<std::ptrdiff_t>(rng() % (lines.size() - 1)));
  lines.emplace_back("Share this article");
  neardup::Document copy;
  copy.id = id;
  for (const auto& line : lines) copy.text += (copy.text.empty() ? "" : "\n") + line;
  return copy;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--fill") return fill(argv[2]);
  if (argc == 3 && std::string(argv[1]) == "--measure") return measure(argv[2]);
  std::size_t count = 1000000, probes = 2000, queries = 3000;
  std::uint64_t seed = 42;
  bool keep = false;
  std::string dir;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--probes" && i + 1 < argc) probes = std::stoull(argv[++i]);
    else if (arg == "--queries" && i + 1 < argc) queries = std::stoull(argv[++i]);
    else if (arg == "--seed" && i + 1 < argc) seed = std::stoull(argv[++i]);
    else if (arg == "--dir" && i + 1 < argc) dir = argv[++i];
    else if (arg == "--keep") keep = true;
    else if (!arg.empty() && arg[0] != '-') count = std::stoull(arg);
    else {
      std::fprintf(stderr, "usage: neardup_index_bench [N] [--probes P] [--queries Q] [--seed S] [--dir D] [--keep]\n");
      return 2;
    }
  }
  const fs::path folder = dir.empty() ? fs::temp_directory_path() / ("neardup_index_bench_" + std::to_string(count)) : fs::path(dir);
  fs::create_directories(folder);
  {
    const std::size_t fresh_needed = probes + queries / 2 + 1;
    const auto start = Clock::now();
    {
      const std::string jsonl = neardup::bench::generate_corpus_jsonl(neardup::bench::load_real_documents(), count + fresh_needed, seed);
      std::ofstream(folder / "all.jsonl", std::ios::binary) << jsonl;
    }
    auto all = read_jsonl(folder / "all.jsonl");
    fs::remove(folder / "all.jsonl");
    std::vector<neardup::Document> fresh(all.begin() + static_cast<std::ptrdiff_t>(count), all.end());
    all.resize(count);
    std::mt19937_64 rng(seed);
    std::size_t next_fresh = 0;
    auto make = [&](std::size_t size, const std::string& prefix) {
      std::vector<neardup::Document> set;
      for (std::size_t i = 0; i < size; ++i) {
        const std::string id = prefix + std::to_string(i);
        neardup::Document probe;
        if (i % 4 < 2) {
          probe = fresh[next_fresh++];
          probe.id = id;
        } else if (i % 4 == 2) {
          probe = all[rng() % count];
          probe.id = id;
        } else {
          probe = near_copy(all[rng() % count], rng, id);
        }
        set.push_back(std::move(probe));
      }
      return set;
    };
    write_jsonl(folder / "add1.jsonl", make(probes, "one-"));
    write_jsonl(folder / "add2.jsonl", make(probes, "two-"));
    write_jsonl(folder / "queries.jsonl", make(queries, "query-"));
    write_jsonl(folder / "corpus.jsonl", all);
    std::printf("corpus: %zu documents (%.1f MB of JSON Lines) generated in %.1f s; %zu probes per add_if_new run, %zu queries; in %s\n",
                count, static_cast<double>(fs::file_size(folder / "corpus.jsonl")) / 1e6, seconds_since(start), probes, queries,
                folder.c_str());
    std::fflush(stdout);
  }
  const std::string self = argv[0];
  int status = std::system((self + " --fill " + folder.string()).c_str());
  if (status == 0) status = std::system((self + " --measure " + folder.string()).c_str());
  if (!keep) fs::remove_all(folder);
  return status == 0 ? 0 : 1;
}
