// graph info's figures (graph/graph_stats.h) on graphs whose answers are known by hand.
#include "graph/graph_stats.h"

#include <gtest/gtest.h>

#include <cmath>

#include "graph/generators.h"
#include "graph/graph_builder.h"

namespace campaign {
namespace {

CsrGraph from_edges(NodeId n, const std::vector<Edge>& edges) {
  GraphBuilder builder(n);
  builder.add_edges(edges);
  return std::move(builder).build();
}

CsrGraph from_arcs(NodeId n, const std::vector<Edge>& arcs) {
  GraphBuilder builder(n);
  builder.add_edges(arcs);
  return std::move(builder).build_directed();
}

// Directed: a cycle 0->1->2->0 (k_in = k_out = 1: <k> / <k_in k_out> = 1), a star 3->4,
// 3->5 (no one both hears and talks) and person 6 alone. <k> = 5/7, <k_in k_out> = 3/7:
// T_c = 5/3. Weakly connected components: {0,1,2}, {3,4,5}, {6}.
TEST(GraphStats, DirectedCycleAndStar) {
  const CsrGraph g = from_arcs(7, {{0, 1}, {1, 2}, {2, 0}, {3, 4}, {3, 5}, {0, 1}});
  EXPECT_TRUE(g.directed());
  EXPECT_EQ(g.num_edges(), 5u);
  EXPECT_TRUE(g.has_edge(0, 1));
  EXPECT_FALSE(g.has_edge(1, 0));
  const GraphStats s = graph_stats(g);
  EXPECT_TRUE(s.directed);
  EXPECT_EQ(s.edges, 5u);
  EXPECT_EQ(s.components, 3u);
  EXPECT_EQ(s.largest_component, 3u);
  EXPECT_EQ(s.isolated, 1u);  // 4 and 5 hear 3: not isolated
  EXPECT_EQ(s.max_degree, 2u);
  EXPECT_EQ(s.max_in_degree, 1u);
  EXPECT_DOUBLE_EQ(s.mean_degree, 5.0 / 7.0);
  EXPECT_DOUBLE_EQ(s.mean_in_out, 3.0 / 7.0);
  EXPECT_NEAR(s.epidemic_threshold, 5.0 / 3.0, 1e-12);
  // The reversed arcs: row u holds who talks to u.
  const CsrGraph r = g.transposed();
  EXPECT_TRUE(r.has_edge(1, 0));
  EXPECT_TRUE(r.has_edge(4, 3));
  EXPECT_EQ(r.degree(3), 0u);
  EXPECT_TRUE(std::isinf(graph_stats(from_arcs(3, {{0, 1}, {0, 2}})).epidemic_threshold));
}

TEST(GraphStats, PathTriangleAndIsolatedPeople) {
  // A path 0-1-2-3, a triangle 4-5-6, two isolated people 7 and 8: degrees
  // 1,2,2,1,2,2,2,0,0; <k> = 12/9, <k^2> = 22/9, T_c = (12/9) / (10/9) = 1.2.
  const GraphStats s = graph_stats(from_edges(9, {{0, 1}, {1, 2}, {2, 3}, {4, 5}, {5, 6}, {4, 6}}));
  EXPECT_EQ(s.people, 9u);
  EXPECT_EQ(s.edges, 6u);
  EXPECT_EQ(s.isolated, 2u);
  EXPECT_EQ(s.components, 4u);
  EXPECT_EQ(s.largest_component, 4u);
  EXPECT_EQ(s.min_degree, 0u);
  EXPECT_EQ(s.max_degree, 2u);
  EXPECT_EQ(s.p50_degree, 2u);  // sorted 0,0,1,1,2,2,2,2,2: the 5th
  EXPECT_DOUBLE_EQ(s.mean_degree, 12.0 / 9);
  EXPECT_DOUBLE_EQ(s.mean_square_degree, 22.0 / 9);
  EXPECT_NEAR(s.epidemic_threshold, 1.2, 1e-12);
}

TEST(GraphStats, ThresholdOfRegularAndStarGraphs) {
  // d-regular: T_c = d / (d^2 - d) = 1 / (d - 1). A star with 99 leaves: <k> = 198/100,
  // <k^2> = (99^2 + 99)/100, T_c = 198 / (9900 - 198) = 0.0204: hubs lower the threshold.
  const GraphStats ring = graph_stats(watts_strogatz(1000, 3, 0.0, 1));
  EXPECT_EQ(ring.components, 1u);
  EXPECT_NEAR(ring.epidemic_threshold, 1.0 / 5, 1e-12);
  std::vector<Edge> star;
  for (NodeId leaf = 1; leaf < 100; ++leaf) star.emplace_back(0, leaf);
  const GraphStats s = graph_stats(from_edges(100, star));
  EXPECT_NEAR(s.epidemic_threshold, 198.0 / (9900.0 - 198.0), 1e-12);
  EXPECT_EQ(s.max_degree, 99u);
  EXPECT_EQ(s.p99_degree, 1u);  // 99 of 100 have degree 1
  // No edge at all: no outbreak whatever T.
  EXPECT_TRUE(std::isinf(graph_stats(from_edges(5, {})).epidemic_threshold));
  EXPECT_EQ(graph_stats(CsrGraph()).people, 0u);
}

}  // namespace
}  // namespace campaign
