// A crawler's loop, in miniature: pages arrive from several threads, and each is stored only if
// the index has not seen it, a near-copy of it, or (with --skip-translations) a translation.
//
//   build/examples/crawler INDEX_FOLDER INPUT... [--threads N] [--skip-translations] [--no-sync]
//
// INPUT as for `neardup pairs` (text files, folders, JSON Lines). Run it twice on the same input
// to see the index survive the restart: the second run skips every page.
#include <atomic>
#include <chrono>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "neardup/ingest.hpp"
#include "neardup/persistent_index.hpp"

int main(int argc, char** argv) {
  std::vector<std::string> inputs;
  unsigned threads = 2;
  neardup::IndexOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument == "--threads" && i + 1 < argc) threads = static_cast<unsigned>(std::stoul(argv[++i]));
    else if (argument == "--skip-translations") options.skip_translations = true;
    else if (argument == "--no-sync") options.sync_every_add = false;
    else inputs.push_back(argument);
  }
  if (inputs.size() < 2 || threads == 0) {
    std::cerr << "usage: crawler INDEX_FOLDER INPUT... [--threads N] [--skip-translations] [--no-sync]\n";
    return 2;
  }
  try {
    const std::string index_path = inputs.front();
    inputs.erase(inputs.begin());
    neardup::ReadOptions read_options;
    read_options.on_error = neardup::OnError::skip;
    const neardup::ReadResult pages = neardup::read_inputs(inputs, read_options);
    auto index = neardup::PersistentIndex::open(index_path, neardup::IndexSpec{}, options);

    std::atomic<std::size_t> next{0}, added{0};
    std::mutex output;
    const auto start = std::chrono::steady_clock::now();
    auto crawl = [&] {
      for (std::size_t i; (i = next++) < pages.documents.size();) {
        const neardup::Document& page = pages.documents[i];
        const neardup::AddResult result = index.add_if_new(page.id, page.text, page.lang);
        if (result.added) {
          ++added;
          continue;
        }
        std::lock_guard lock(output);
        std::cout << "skipped " << page.id;
        if (result.matches.empty()) std::cout << ": already indexed under this id";
        for (const auto& match : result.matches)
          std::cout << (&match == &result.matches.front() ? ": " : ", ") << neardup::relation_name(match.relation) << " of "
                    << match.id << " (" << match.score << ")";
        std::cout << "\n";
      }
    };
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < threads; ++t) workers.emplace_back(crawl);
    for (auto& worker : workers) worker.join();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const neardup::IndexStats stats = index.stats();
    std::cout << pages.documents.size() << " pages, " << added << " added, " << pages.documents.size() - added << " skipped in "
              << seconds << " s (" << static_cast<double>(pages.documents.size()) / seconds << " pages/s, " << threads
              << " threads); index: " << stats.documents << " documents, " << stats.bytes_on_disk << " bytes on disk, ~"
              << stats.bytes_in_memory << " bytes in memory\n";
  } catch (const neardup::Error& error) {
    std::cerr << "crawler: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
