#include "cluster/cluster.hpp"

#include <algorithm>
#include <numeric>

namespace neardup::detail {
namespace {

class DisjointSets {
 public:
  explicit DisjointSets(std::uint32_t n) : parent_(n), members_(n) {
    std::iota(parent_.begin(), parent_.end(), 0u);
    for (std::uint32_t i = 0; i < n; ++i) members_[i] = {i};
  }
  std::uint32_t find(std::uint32_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  const std::vector<std::uint32_t>& members(std::uint32_t root) const { return members_[root]; }
  void join(std::uint32_t root_a, std::uint32_t root_b) {
    if (members_[root_a].size() < members_[root_b].size()) std::swap(root_a, root_b);
    parent_[root_b] = root_a;
    members_[root_a].insert(members_[root_a].end(), members_[root_b].begin(), members_[root_b].end());
    members_[root_b].clear();
    members_[root_b].shrink_to_fit();
  }

 private:
  std::vector<std::uint32_t> parent_;
  std::vector<std::vector<std::uint32_t>> members_;
};

}  // namespace

std::vector<std::vector<std::uint32_t>> cluster_edges(std::uint32_t n, std::vector<Edge> edges, double min_density) {
  std::vector<std::vector<std::uint32_t>> neighbours(n);
  for (const Edge& edge : edges) {
    neighbours[edge.a].push_back(edge.b);
    neighbours[edge.b].push_back(edge.a);
  }
  // Edges inside a story close triangles with other members; a stray link between stories
  // closes none. Merging the best-supported edges first keeps a strong stray link from pulling
  // a document out of its story before the story has formed.
  for (auto& list : neighbours) std::sort(list.begin(), list.end());
  std::vector<std::uint32_t> support(edges.size(), 0);
  for (std::size_t e = 0; e < edges.size(); ++e) {
    const auto& x = neighbours[edges[e].a];
    const auto& y = neighbours[edges[e].b];
    for (std::size_t i = 0, j = 0; i < x.size() && j < y.size();) {
      if (x[i] == y[j]) ++support[e], ++i, ++j;
      else if (x[i] < y[j]) ++i;
      else ++j;
    }
  }
  std::vector<std::size_t> order(edges.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    return support[x] != support[y] ? support[x] > support[y] : edges[x].weight > edges[y].weight;
  });
  DisjointSets sets(n);
  for (std::size_t e : order) {
    const Edge& edge = edges[e];
    std::uint32_t root_a = sets.find(edge.a);
    std::uint32_t root_b = sets.find(edge.b);
    if (root_a == root_b) continue;
    if (sets.members(root_a).size() > sets.members(root_b).size()) std::swap(root_a, root_b);
    std::size_t links = 0;
    for (std::uint32_t member : sets.members(root_a))
      for (std::uint32_t neighbour : neighbours[member])
        if (sets.find(neighbour) == root_b) ++links;
    const double possible = static_cast<double>(sets.members(root_a).size()) * static_cast<double>(sets.members(root_b).size());
    if (static_cast<double>(links) >= min_density * possible) sets.join(root_a, root_b);
  }
  std::vector<std::vector<std::uint32_t>> clusters;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (sets.find(i) != i) continue;
    std::vector<std::uint32_t> members = sets.members(i);
    std::sort(members.begin(), members.end());
    clusters.push_back(std::move(members));
  }
  std::sort(clusters.begin(), clusters.end(), [](const auto& x, const auto& y) { return x.front() < y.front(); });
  return clusters;
}

}  // namespace neardup::detail
