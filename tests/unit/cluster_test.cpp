#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "cluster/cluster.hpp"

namespace neardup::detail {
namespace {

// The first cluster_edges, slow but plain: for every edge tried it counts the links between the
// two clusters by walking the members of the smaller one and all their neighbours, and it
// counts triangles by merging the two whole neighbour lists.
std::vector<std::vector<std::uint32_t>> walk_members_cluster_edges(std::uint32_t n, const std::vector<Edge>& edges,
                                                                   double min_density) {
  std::vector<std::vector<std::uint32_t>> neighbours(n);
  for (const Edge& edge : edges) {
    neighbours[edge.a].push_back(edge.b);
    neighbours[edge.b].push_back(edge.a);
  }
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
  std::vector<std::uint32_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0u);
  std::vector<std::vector<std::uint32_t>> members(n);
  for (std::uint32_t i = 0; i < n; ++i) members[i] = {i};
  const auto find = [&](std::uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (std::size_t e : order) {
    std::uint32_t root_a = find(edges[e].a);
    std::uint32_t root_b = find(edges[e].b);
    if (root_a == root_b) continue;
    if (members[root_a].size() > members[root_b].size()) std::swap(root_a, root_b);
    std::size_t links = 0;
    for (std::uint32_t member : members[root_a])
      for (std::uint32_t neighbour : neighbours[member])
        if (find(neighbour) == root_b) ++links;
    const double possible = static_cast<double>(members[root_a].size()) * static_cast<double>(members[root_b].size());
    if (static_cast<double>(links) < min_density * possible) continue;
    parent[root_a] = root_b;
    members[root_b].insert(members[root_b].end(), members[root_a].begin(), members[root_a].end());
    members[root_a].clear();
  }
  std::vector<std::vector<std::uint32_t>> clusters;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (find(i) != i) continue;
    std::sort(members[i].begin(), members[i].end());
    clusters.push_back(members[i]);
  }
  std::sort(clusters.begin(), clusters.end(), [](const auto& x, const auto& y) { return x.front() < y.front(); });
  return clusters;
}

struct GraphShape {
  std::uint32_t max_story = 30;
  double duplicate_share = 0.0;
  double self_loop_share = 0.0;
  std::uint32_t hubs = 0;
};

// Stories of random size, each with a random share of its member pairs linked, stray links
// between them, and on request repeated edges (either way round), self-loops and hubs linked
// to a large share of all documents. Weights come from a few values so that ties are common.
std::vector<Edge> random_story_graph(std::mt19937_64& random, std::uint32_t n, const GraphShape& shape) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const auto below = [&](std::uint32_t bound) { return std::uniform_int_distribution<std::uint32_t>(0, bound - 1)(random); };
  constexpr double weights[] = {0.4, 0.7, 0.9, 0.9, 1.0, 1.3, 1.8};
  const auto weight = [&] { return weights[below(static_cast<std::uint32_t>(std::size(weights)))]; };
  std::vector<std::uint32_t> documents(n);
  std::iota(documents.begin(), documents.end(), 0u);
  std::shuffle(documents.begin(), documents.end(), random);
  std::vector<Edge> edges;
  for (std::uint32_t start = 0; start < n;) {
    const std::uint32_t end = std::min(n, start + 1 + below(shape.max_story));
    const double density = unit(random);
    for (std::uint32_t i = start; i < end; ++i)
      for (std::uint32_t j = i + 1; j < end; ++j)
        if (unit(random) < density) edges.push_back({documents[i], documents[j], weight()});
    start = end;
  }
  for (std::uint32_t stray = below(n / 2 + 1); stray > 0; --stray) edges.push_back({below(n), below(n), weight()});
  std::erase_if(edges, [&](const Edge& edge) { return edge.a == edge.b && unit(random) >= shape.self_loop_share; });
  for (std::uint32_t hub = 0; hub < shape.hubs; ++hub) {
    const std::uint32_t centre = below(n);
    const double reach = unit(random);
    for (std::uint32_t other = 0; other < n; ++other)
      if (other != centre && unit(random) < reach) edges.push_back({centre, other, weight()});
  }
  for (std::size_t e = 0, original = edges.size(); e < original; ++e) {
    if (unit(random) >= shape.duplicate_share) continue;
    const Edge& edge = edges[e];
    edges.push_back(unit(random) < 0.5 ? Edge{edge.a, edge.b, edge.weight} : Edge{edge.b, edge.a, weight()});
  }
  for (std::uint32_t loop = 0; shape.self_loop_share > 0 && loop < n / 10; ++loop) {
    const std::uint32_t document = below(n);
    edges.push_back({document, document, weight()});
  }
  std::shuffle(edges.begin(), edges.end(), random);
  return edges;
}

void expect_same_clusters_as_walking_members(const GraphShape& shape, std::uint64_t first_seed, std::uint64_t graphs) {
  for (std::uint64_t seed = first_seed; seed < first_seed + graphs; ++seed) {
    std::mt19937_64 random(seed);
    const std::uint32_t n = 1 + std::uniform_int_distribution<std::uint32_t>(0, 160)(random);
    const std::vector<Edge> edges = random_story_graph(random, n, shape);
    for (double min_density : {0.0, 0.2, 0.3, 0.5, 1.0})
      ASSERT_EQ(cluster_edges(n, edges, min_density), walk_members_cluster_edges(n, edges, min_density))
          << "seed " << seed << ", " << n << " documents, " << edges.size() << " edges, min_density " << min_density;
  }
}

TEST(Cluster, SameClustersAsWalkingMembersOnRandomStoryGraphs) { expect_same_clusters_as_walking_members({}, 1, 300); }

TEST(Cluster, SameClustersAsWalkingMembersWithRepeatedEdgesAndSelfLoops) {
  expect_same_clusters_as_walking_members({.max_story = 30, .duplicate_share = 0.3, .self_loop_share = 0.5}, 1001, 300);
}

TEST(Cluster, SameClustersAsWalkingMembersAroundHubs) {
  expect_same_clusters_as_walking_members({.max_story = 12, .duplicate_share = 0.1, .hubs = 3}, 2001, 300);
}

TEST(Cluster, SameClustersAsWalkingMembersOnLargeStories) {
  expect_same_clusters_as_walking_members({.max_story = 120, .duplicate_share = 0.05}, 3001, 100);
}

TEST(Cluster, EveryDocumentInExactlyOneClusterSingletonsIncluded) {
  const auto clusters = cluster_edges(5, {{0, 1, 1.0}, {3, 4, 0.9}}, 0.3);
  EXPECT_EQ(clusters, (std::vector<std::vector<std::uint32_t>>{{0, 1}, {2}, {3, 4}}));
}

TEST(Cluster, CompleteStoriesMerge) {
  std::vector<Edge> edges;
  for (std::uint32_t a = 0; a < 6; ++a)
    for (std::uint32_t b = a + 1; b < 6; ++b) edges.push_back({a, b, 0.9});
  EXPECT_EQ(cluster_edges(6, edges, 0.3).size(), 1u);
}

TEST(Cluster, AChainOfStrayLinksDoesNotCollapseATopic) {
  // Twenty documents on one topic, each wrongly linked to the next: a chain. Union-find would
  // make one cluster of all twenty; the density guard stops chains after a few links.
  std::vector<Edge> edges;
  for (std::uint32_t a = 0; a + 1 < 20; ++a) edges.push_back({a, a + 1, 0.6});
  const auto clusters = cluster_edges(20, edges, 0.3);
  EXPECT_GE(clusters.size(), 5u);
  for (const auto& cluster : clusters) EXPECT_LE(cluster.size(), 4u);
}

TEST(Cluster, TwoStoriesJoinedByOneStrayLinkStayApart) {
  std::vector<Edge> edges;
  for (std::uint32_t base : {0u, 6u})
    for (std::uint32_t a = base; a < base + 6; ++a)
      for (std::uint32_t b = a + 1; b < base + 6; ++b) edges.push_back({a, b, 0.9});
  edges.push_back({5, 6, 0.95});
  const auto clusters = cluster_edges(12, edges, 0.3);
  ASSERT_EQ(clusters.size(), 2u);
  EXPECT_EQ(clusters[0].size(), 6u);
}

// Copies of one text come as a star, whose density the rule would cut to pieces; joined, they
// are one cluster, and the rule still guards what links to them.
TEST(Cluster, JoinedCopiesStayOneClusterWhateverTheirDensity) {
  std::vector<Edge> edges;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> copies;
  for (std::uint32_t d = 1; d < 100; ++d) {
    edges.push_back({0, d, 2.0});
    copies.emplace_back(0, d);
  }
  edges.push_back({99, 100, 0.9});  // one stray link from a copy to another text
  EXPECT_GT(cluster_edges(101, edges, 0.3).size(), 2u);
  const auto clusters = cluster_edges(101, edges, 0.3, copies);
  ASSERT_EQ(clusters.size(), 2u);
  EXPECT_EQ(clusters[0].size(), 100u);
  EXPECT_EQ(clusters[1], (std::vector<std::uint32_t>{100}));
}

}  // namespace
}  // namespace neardup::detail
