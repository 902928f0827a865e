// The shingles of the documents streaming dedup has kept, within a budget of bytes.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

#include "shingle/features.hpp"

namespace neardup::detail {

// The shingles of kept documents, so that a candidate is verified without reading and preparing
// it again: those kept or verified most recently, within a budget of bytes. Duplicates tend to
// come near each other in a corpus (a story reposted the same day, a crawl's mirror pages).
class ShingleCache {
 public:
  explicit ShingleCache(std::size_t budget) : budget_(budget) {}

  // Safe from many threads while nothing is added.
  const WordShingles* find(std::uint32_t document) const {
    const auto it = entries_.find(document);
    return it == entries_.end() ? nullptr : &it->second.shingles;
  }
  bool touch(std::uint32_t document, std::uint64_t now) {
    const auto it = entries_.find(document);
    if (it == entries_.end()) return false;
    it->second.used = now;
    return true;
  }
  void add(std::uint32_t document, WordShingles shingles, std::uint64_t now) {
    bytes_ += cost(shingles);
    entries_[document] = {std::move(shingles), now};
  }
  // Drops the least recently used down to three quarters of the budget, so that trimming is
  // rare.
  void trim() {
    if (bytes_ <= budget_) return;
    std::vector<std::pair<std::uint64_t, std::uint32_t>> by_use;
    for (const auto& [document, entry] : entries_) by_use.emplace_back(entry.used, document);
    std::sort(by_use.begin(), by_use.end());
    for (const auto& [used, document] : by_use) {
      if (bytes_ <= budget_ / 4 * 3) break;
      const auto it = entries_.find(document);
      bytes_ -= cost(it->second.shingles);
      entries_.erase(it);
    }
  }

 private:
  struct Entry {
    WordShingles shingles;
    std::uint64_t used = 0;
  };
  static std::size_t cost(const WordShingles& shingles) {
    return shingles.hashes.size() * sizeof(std::uint64_t) + shingles.sentences.size() * sizeof(std::uint32_t) + 64;
  }

  std::size_t budget_;
  std::size_t bytes_ = 0;
  std::unordered_map<std::uint32_t, Entry> entries_;
};

}  // namespace neardup::detail
