#include <gtest/gtest.h>

#include "cluster/cluster.hpp"

namespace neardup::detail {
namespace {

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

}  // namespace
}  // namespace neardup::detail
