// Writes the generated corpus of bench_corpus.hpp as JSON Lines shards, for benchmarks of
// pipelines that read files (the Dask pipeline, python/bench_dask.py):
//
//   neardup_write_corpus N OUT_DIR [--shards S] [--seed SEED]
//
// OUT_DIR/corpus-00000.jsonl ... hold the N documents in order, S shards of about N / S each.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "bench_corpus.hpp"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: neardup_write_corpus N OUT_DIR [--shards S] [--seed SEED]\n");
    return 2;
  }
  const std::size_t count = std::stoull(argv[1]);
  const std::filesystem::path out_dir = argv[2];
  std::size_t shards = 1;
  std::uint64_t seed = 42;
  for (int i = 3; i + 1 < argc; i += 2) {
    const std::string option = argv[i];
    if (option == "--shards") shards = std::max<std::size_t>(1, std::stoull(argv[i + 1]));
    else if (option == "--seed") seed = std::stoull(argv[i + 1]);
    else {
      std::fprintf(stderr, "unknown option %s\n", option.c_str());
      return 2;
    }
  }
  const std::string jsonl = neardup::bench::generate_corpus_jsonl(neardup::bench::load_real_documents(), count, seed);
  std::filesystem::create_directories(out_dir);
  const std::size_t per_shard = (count + shards - 1) / shards;
  std::size_t begin = 0;
  for (std::size_t shard = 0; shard < shards && begin < jsonl.size(); ++shard) {
    std::size_t end = begin;
    for (std::size_t line = 0; line < per_shard && end < jsonl.size(); ++line) {
      const std::size_t newline = jsonl.find('\n', end);
      end = newline == std::string::npos ? jsonl.size() : newline + 1;
    }
    char name[48];
    std::snprintf(name, sizeof name, "corpus-%05zu.jsonl", shard);
    std::ofstream out(out_dir / name, std::ios::binary);
    out.write(jsonl.data() + begin, static_cast<std::streamsize>(end - begin));
    if (!out.flush()) {
      std::fprintf(stderr, "cannot write %s\n", (out_dir / name).c_str());
      return 1;
    }
    begin = end;
  }
  std::printf("%zu documents, %zu bytes in %s\n", count, jsonl.size(), out_dir.c_str());
  return 0;
}
