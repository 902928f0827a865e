// Union-find over 0..n-1, with the smallest member as each set's root, so that a set's root is
// its first document (the groups of versions are represented by their first member).
#pragma once

#include <cstdint>
#include <numeric>
#include <vector>

namespace neardup::detail {

class DisjointSets {
 public:
  explicit DisjointSets(std::uint32_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0u); }

  std::uint32_t find(std::uint32_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }

  void join(std::uint32_t a, std::uint32_t b) {
    const std::uint32_t root_a = find(a), root_b = find(b);
    if (root_a < root_b) parent_[root_b] = root_a;
    else if (root_b < root_a) parent_[root_a] = root_b;
  }

 private:
  std::vector<std::uint32_t> parent_;
};

}  // namespace neardup::detail
