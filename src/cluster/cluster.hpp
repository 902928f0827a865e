// Story clustering: union of related pairs, best supported first, guarded against chaining.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace neardup::detail {

struct Edge {
  std::uint32_t a = 0;
  std::uint32_t b = 0;
  double weight = 0.0;
};

// Two clusters merge only while the edges between them are at least min_density of all the
// member pairs they would join: on a corpus where every document is on one topic, stray links
// between stories then cannot chain them into one cluster. Returns clusters of ascending
// members, ordered by their first member; every document 0..n-1 is in exactly one. Edges may
// repeat (each occurrence counts as a link) and must number fewer than 2^32. The documents of
// each pair in `joined` are in one cluster whatever the density: copies of one text, which are
// copies of each other however few of their couples are edges.
std::vector<std::vector<std::uint32_t>> cluster_edges(std::uint32_t n, std::vector<Edge> edges, double min_density,
                                                      const std::vector<std::pair<std::uint32_t, std::uint32_t>>& joined = {});

}  // namespace neardup::detail
