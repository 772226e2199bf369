#include "graph/graph_builder.h"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <vector>

#include "rng/philox.h"

namespace campaign {
namespace {

std::vector<NodeId> as_vector(std::span<const NodeId> s) { return {s.begin(), s.end()}; }

TEST(GraphBuilder, DropsSelfLoopsAndDuplicatesInEitherOrientation) {
  GraphBuilder builder(5);
  builder.add_edges({{0, 1}, {1, 0}, {0, 1}, {2, 2}, {3, 4}, {4, 3}, {1, 3}});
  BuildReport report;
  const CsrGraph g = std::move(builder).build(&report);
  EXPECT_EQ(report.edges_in, 7u);
  EXPECT_EQ(report.self_loops_dropped, 1u);
  EXPECT_EQ(report.duplicates_dropped, 3u);
  EXPECT_EQ(g.num_nodes(), 5u);
  EXPECT_EQ(g.num_edges(), 3u);
  EXPECT_EQ(g.offsets(), (std::vector<ArcIndex>{0, 1, 3, 3, 5, 6}));
  EXPECT_EQ(g.targets(), (std::vector<NodeId>{1, 0, 3, 1, 4, 3}));
  EXPECT_TRUE(g.has_edge(3, 1));
  EXPECT_FALSE(g.has_edge(2, 2));
}

TEST(GraphBuilder, AdjacencyIsSortedAscending) {
  GraphBuilder builder(6);
  for (NodeId v = 5; v >= 1; --v) builder.add_edge(0, v);
  builder.add_edge(5, 3);
  builder.add_edge(1, 5);
  const CsrGraph g = std::move(builder).build();
  EXPECT_EQ(as_vector(g.neighbors(0)), (std::vector<NodeId>{1, 2, 3, 4, 5}));
  EXPECT_EQ(as_vector(g.neighbors(5)), (std::vector<NodeId>{0, 1, 3}));
  EXPECT_EQ(as_vector(g.neighbors(3)), (std::vector<NodeId>{0, 5}));
  EXPECT_EQ(g.max_degree(), 5u);
}

TEST(GraphBuilder, RejectsIdsOutOfRange) {
  GraphBuilder a(3);
  a.add_edge(0, 3);
  EXPECT_THROW(std::move(a).build(), std::out_of_range);
  GraphBuilder b(3);
  b.add_edge(7, 1);
  EXPECT_THROW(std::move(b).build(), std::out_of_range);
  GraphBuilder c(0);
  c.add_edge(0, 0);
  EXPECT_THROW(std::move(c).build(), std::out_of_range);
}

TEST(GraphBuilder, EmptyAndIsolatedNodes) {
  BuildReport report;
  const CsrGraph g = GraphBuilder(4).build(&report);
  EXPECT_EQ(g.num_nodes(), 4u);
  EXPECT_EQ(g.num_edges(), 0u);
  EXPECT_EQ(report.edges_in, 0u);
  EXPECT_EQ(GraphBuilder(0).build().num_nodes(), 0u);
}

// Many repeats on few nodes, against a slow std::set reference; also built with one and
// two threads, which must agree exactly.
TEST(GraphBuilder, MatchesSetReferenceAtAnyThreadCount) {
  constexpr NodeId n = 700;
  const CounterRng rng(99);
  std::vector<Edge> edges;
  std::set<std::pair<NodeId, NodeId>> reference;
  std::uint64_t loops = 0;
  for (std::uint32_t i = 0; i < 200000; ++i) {
    const auto w = rng.block(Stream::graph, 0, i, 0);
    const auto u = static_cast<NodeId>(w[0] % n);
    const auto v = static_cast<NodeId>(w[1] % n);
    edges.emplace_back(u, v);
    if (u == v) {
      ++loops;
    } else {
      reference.emplace(std::min(u, v), std::max(u, v));
    }
  }
  CsrGraph graphs[2];
  BuildReport reports[2];
  for (int threads = 1; threads <= 2; ++threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    GraphBuilder builder(n);
    builder.add_edges(edges);
    graphs[threads - 1] = std::move(builder).build(&reports[threads - 1]);
  }
  EXPECT_EQ(graphs[0].offsets(), graphs[1].offsets());
  EXPECT_EQ(graphs[0].targets(), graphs[1].targets());

  const CsrGraph& g = graphs[0];
  std::vector<std::vector<NodeId>> expected(n);
  for (const auto& [u, v] : reference) {
    expected[u].push_back(v);
    expected[v].push_back(u);
  }
  for (NodeId u = 0; u < n; ++u) {
    std::sort(expected[u].begin(), expected[u].end());
    ASSERT_EQ(as_vector(g.neighbors(u)), expected[u]) << "node " << u;
  }
  EXPECT_EQ(g.num_edges(), reference.size());
  EXPECT_EQ(reports[0].edges_in, edges.size());
  EXPECT_EQ(reports[0].self_loops_dropped, loops);
  EXPECT_EQ(reports[0].duplicates_dropped, edges.size() - loops - reference.size());
}

}  // namespace
}  // namespace campaign
