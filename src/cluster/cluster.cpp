#include "cluster/cluster.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <numeric>

namespace neardup::detail {
namespace {

// Entries common to two sorted lists, a value repeated in both counted as often as it occurs in
// the list where it is rarer, as a merge of the two counts it.
std::uint32_t common_entries(const std::vector<std::uint32_t>& x, const std::vector<std::uint32_t>& y) {
  const auto& shorter = x.size() <= y.size() ? x : y;
  const auto& longer = x.size() <= y.size() ? y : x;
  std::uint32_t count = 0;
  // Stepping through both lists without a branch to mispredict is fastest until the longer is
  // several times the shorter.
  if (longer.size() <= 8 * shorter.size()) {
    for (std::size_t i = 0, j = 0; i < shorter.size() && j < longer.size();) {
      const std::uint32_t here = shorter[i];
      const std::uint32_t there = longer[j];
      count += here == there;
      i += here <= there;
      j += there <= here;
    }
    return count;
  }
  // Past that, galloping through the longer list makes an edge at a hub cost the shorter list
  // times a logarithm rather than the hub's whole degree, which summed over the hub's edges
  // would be its degree squared.
  auto from = longer.begin();
  for (auto run = shorter.begin(); run != shorter.end() && from != longer.end();) {
    const std::uint32_t value = *run;
    auto run_end = run;
    while (run_end != shorter.end() && *run_end == value) ++run_end;
    // Everything before `from` is below value; widen [from, bound) until bound is not.
    auto bound = from;
    for (std::ptrdiff_t step = 1; bound != longer.end() && *bound < value; step *= 2) {
      from = bound + 1;
      bound = longer.end() - bound > step ? bound + step : longer.end();
    }
    from = std::lower_bound(from, bound, value);
    for (auto wanted = run_end - run; wanted > 0 && from != longer.end() && *from == value; --wanted) ++count, ++from;
    run = run_end;
  }
  return count;
}

// Edge counts from one set to its adjacent sets, by their roots. Open addressing with linear
// probing: these maps are many and mostly small, and are read and changed on every join, where
// a heap node per entry costs an allocation and a cache miss each.
class LinkCounts {
 public:
  std::uint32_t count(std::uint32_t root) const {
    if (slots_.empty()) return 0;
    for (std::size_t i = home(root);; i = next(i)) {
      if (slots_[i].root == root) return slots_[i].count;
      if (slots_[i].root == vacant) return 0;
    }
  }
  void add(std::uint32_t root, std::uint32_t count) {
    if (4 * (used_ + 1) > 3 * slots_.size()) grow();
    std::size_t i = home(root);
    while (slots_[i].root != root && slots_[i].root != vacant) i = next(i);
    if (slots_[i].root == vacant) slots_[i].root = root, ++used_;
    slots_[i].count += count;
  }
  void erase(std::uint32_t root) {
    if (slots_.empty()) return;
    std::size_t hole = home(root);
    for (; slots_[hole].root != root; hole = next(hole))
      if (slots_[hole].root == vacant) return;
    // Later entries of the probe run move back into the hole unless that would put them before
    // their home slot, so that every lookup still stops at the first vacant slot.
    for (std::size_t i = next(hole); slots_[i].root != vacant; i = next(i)) {
      const std::size_t want = home(slots_[i].root);
      const bool reachable = hole < i ? hole < want && want <= i : hole < want || want <= i;
      if (!reachable) slots_[hole] = slots_[i], hole = i;
    }
    slots_[hole] = Slot{};
    --used_;
  }
  template <typename Visit>
  void for_each(Visit visit) const {
    for (const Slot& slot : slots_)
      if (slot.root != vacant) visit(slot.root, slot.count);
  }

 private:
  static constexpr std::uint32_t vacant = std::numeric_limits<std::uint32_t>::max();  // never a document: n fits in 32 bits
  // Counts fit in 32 bits because there are fewer than 2^32 edges (as for support); half the
  // memory of 64-bit counts, and these maps are the largest thing clustering holds.
  struct Slot {
    std::uint32_t root = vacant;
    std::uint32_t count = 0;
  };
  std::size_t home(std::uint32_t root) const {
    return static_cast<std::size_t>((std::uint64_t{root} * 0x9E3779B97F4A7C15ull) >> shift_);
  }
  std::size_t next(std::size_t i) const { return (i + 1) & (slots_.size() - 1); }
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 4 : 2 * old.size(), Slot{});
    shift_ = 64 - std::countr_zero(slots_.size());
    used_ = 0;
    for (const Slot& slot : old)
      if (slot.root != vacant) add(slot.root, slot.count);
  }

  std::vector<Slot> slots_;
  std::size_t used_ = 0;
  int shift_ = 64;
};

// Disjoint sets that also keep, for each set, the number of edges joining it to each adjacent
// set: the density test is then one lookup, where walking a set's members and their neighbours
// would cost the set's size again for every edge tried between the same two sets.
class LinkedSets {
 public:
  // neighbours[v] is v's sorted neighbour list, one entry for each edge occurrence at v.
  explicit LinkedSets(const std::vector<std::vector<std::uint32_t>>& neighbours)
      : parent_(neighbours.size()), size_(neighbours.size(), 1), weight_(neighbours.size()), links_(neighbours.size()) {
    std::iota(parent_.begin(), parent_.end(), 0u);
    for (std::uint32_t v = 0; v < neighbours.size(); ++v) {
      const auto& list = neighbours[v];
      weight_[v] = 1 + list.size();
      for (auto run = list.begin(); run != list.end();) {
        const auto run_end = std::find_if(run, list.end(), [&](std::uint32_t neighbour) { return neighbour != *run; });
        // A self-loop never links two different sets.
        if (*run != v) links_[v].add(*run, static_cast<std::uint32_t>(run_end - run));
        run = run_end;
      }
    }
  }
  std::uint32_t find(std::uint32_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  std::uint32_t size(std::uint32_t root) const { return size_[root]; }
  std::uint32_t links(std::uint32_t root_a, std::uint32_t root_b) const { return links_[root_a].count(root_b); }
  void join(std::uint32_t root_a, std::uint32_t root_b) {
    // Members plus edge ends bound both the work of moving a set's links and the number of
    // them; folding the lighter set into the heavier at least doubles the weight of whatever
    // moves, so each edge end moves a logarithmic number of times.
    if (weight_[root_a] < weight_[root_b]) std::swap(root_a, root_b);
    parent_[root_b] = root_a;
    size_[root_a] += size_[root_b];
    weight_[root_a] += weight_[root_b];
    LinkCounts& kept = links_[root_a];
    kept.erase(root_b);
    links_[root_b].for_each([&](std::uint32_t other, std::uint32_t count) {
      if (other == root_a) return;
      kept.add(other, count);
      links_[other].erase(root_b);
      links_[other].add(root_a, count);
    });
    links_[root_b] = LinkCounts();
  }

 private:
  std::vector<std::uint32_t> parent_;
  std::vector<std::uint32_t> size_;
  std::vector<std::size_t> weight_;
  std::vector<LinkCounts> links_;
};

}  // namespace

std::vector<std::vector<std::uint32_t>> cluster_edges(std::uint32_t n, std::vector<Edge> edges, double min_density,
                                                      const std::vector<std::pair<std::uint32_t, std::uint32_t>>& joined) {
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
  for (std::size_t e = 0; e < edges.size(); ++e) support[e] = common_entries(neighbours[edges[e].a], neighbours[edges[e].b]);
  std::vector<std::size_t> order(edges.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    return support[x] != support[y] ? support[x] > support[y] : edges[x].weight > edges[y].weight;
  });
  LinkedSets sets(neighbours);
  std::vector<std::vector<std::uint32_t>>().swap(neighbours);
  for (const auto& [a, b] : joined) {
    const std::uint32_t root_a = sets.find(a), root_b = sets.find(b);
    if (root_a != root_b) sets.join(root_a, root_b);
  }
  for (std::size_t e : order) {
    const std::uint32_t root_a = sets.find(edges[e].a);
    const std::uint32_t root_b = sets.find(edges[e].b);
    if (root_a == root_b) continue;
    const double possible = static_cast<double>(sets.size(root_a)) * static_cast<double>(sets.size(root_b));
    if (static_cast<double>(sets.links(root_a, root_b)) >= min_density * possible) sets.join(root_a, root_b);
  }
  // Documents in ascending order: each cluster's members come out ascending, and the clusters
  // ordered by their first member.
  constexpr std::uint32_t unseen = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> cluster_of_root(n, unseen);
  std::vector<std::vector<std::uint32_t>> clusters;
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::uint32_t root = sets.find(i);
    if (cluster_of_root[root] == unseen) {
      cluster_of_root[root] = static_cast<std::uint32_t>(clusters.size());
      clusters.emplace_back().reserve(sets.size(root));
    }
    clusters[cluster_of_root[root]].push_back(i);
  }
  return clusters;
}

}  // namespace neardup::detail
