// Exact triangle and triad counts (graph/triangles.h) against brute force over every
// triple of small random graphs, and against closed forms on complete graphs; the same
// at one and two threads.
#include "graph/triangles.h"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <array>
#include <set>
#include <stdexcept>
#include <vector>

#include "graph/generators.h"
#include "graph/graph_builder.h"
#include "rng/philox.h"

namespace campaign {
namespace {

TriangleCount brute_force(const CsrGraph& g, const std::vector<std::uint8_t>& roles) {
  TriangleCount c;
  const NodeId n = g.num_nodes();
  for (NodeId a = 0; a < n; ++a) {
    for (NodeId b = a + 1; b < n; ++b) {
      if (!g.has_edge(a, b)) continue;
      for (NodeId d = b + 1; d < n; ++d) {
        if (!g.has_edge(a, d) || !g.has_edge(b, d)) continue;
        ++c.triangles;
        const NodeId corner[3] = {a, b, d};
        std::uint64_t ways = 0;
        for (int o = 0; o < 3; ++o) {  // owner, source, channel: three distinct corners
          for (int s = 0; s < 3; ++s) {
            for (int ch = 0; ch < 3; ++ch) {
              if (o == s || s == ch || o == ch) continue;
              ways += (roles[corner[o]] & 1) && (roles[corner[s]] & 2) && (roles[corner[ch]] & 4);
            }
          }
        }
        c.valid += ways > 0;
        c.role_assignments += ways;
      }
    }
  }
  return c;
}

std::vector<std::uint8_t> random_roles(NodeId n, std::uint64_t seed) {
  const CounterRng rng(seed);
  std::vector<std::uint8_t> roles(n);
  for (NodeId u = 0; u < n; ++u) roles[u] = static_cast<std::uint8_t>(rng.u32(Stream::partners, 0, u, 0, 0) & 7u);
  return roles;
}

TEST(Triangles, MatchBruteForceOnRandomGraphs) {
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    for (const double p : {0.05, 0.2, 0.6}) {
      const NodeId n = 40 + static_cast<NodeId>(seed * 7);
      const CsrGraph g = erdos_renyi(n, p, seed);
      const std::vector<std::uint8_t> roles = random_roles(n, seed);
      const TriangleCount expected = brute_force(g, roles);
      const TriangleCount got = count_triangles(g, roles);
      EXPECT_EQ(got.triangles, expected.triangles) << seed << " " << p;
      EXPECT_EQ(got.valid, expected.valid) << seed << " " << p;
      EXPECT_EQ(got.role_assignments, expected.role_assignments) << seed << " " << p;
      EXPECT_EQ(count_triangles(g).triangles, expected.triangles);
    }
  }
}

TEST(Triangles, CompleteGraphs) {
  for (const NodeId n : {0u, 1u, 2u, 3u, 10u, 57u}) {
    const CsrGraph g = complete_graph(n);
    const std::uint64_t triples = std::uint64_t{n} * (n > 0 ? n - 1 : 0) * (n > 1 ? n - 2 : 0) / 6;
    // Everyone holds every role: 3! ways per triangle.
    const TriangleCount all = count_triangles(g, std::vector<std::uint8_t>(n, 7));
    EXPECT_EQ(all.triangles, triples) << n;
    EXPECT_EQ(all.valid, triples);
    EXPECT_EQ(all.role_assignments, 6 * triples);
    // One role each, by id mod 3: a triangle is valid iff its corners hold three different roles.
    std::vector<std::uint8_t> one(n);
    std::uint64_t per_role[3] = {0, 0, 0};
    for (NodeId u = 0; u < n; ++u) {
      one[u] = static_cast<std::uint8_t>(1u << (u % 3));
      ++per_role[u % 3];
    }
    const TriangleCount single = count_triangles(g, one);
    EXPECT_EQ(single.valid, per_role[0] * per_role[1] * per_role[2]) << n;
    EXPECT_EQ(single.role_assignments, single.valid);
  }
}

TEST(Triangles, HubsAndStarsHaveNone) {
  // A star has no triangle however large its hub.
  GraphBuilder star(1000);
  for (NodeId v = 1; v < 1000; ++v) star.add_edge(0, v);
  EXPECT_EQ(count_triangles(std::move(star).build()).triangles, 0u);
}

TEST(Triangles, TheSameAtOneAndTwoThreads) {
  const CsrGraph g = barabasi_albert(3000, 6, 5);
  const std::vector<std::uint8_t> roles = random_roles(3000, 5);
  TriangleCount one, two;
  {
    const tbb::global_control cap(tbb::global_control::max_allowed_parallelism, 1);
    one = count_triangles(g, roles);
  }
  {
    const tbb::global_control cap(tbb::global_control::max_allowed_parallelism, 2);
    two = count_triangles(g, roles);
  }
  EXPECT_GT(one.triangles, 0u);
  EXPECT_EQ(one.triangles, two.triangles);
  EXPECT_EQ(one.valid, two.valid);
  EXPECT_EQ(one.role_assignments, two.role_assignments);
}

}  // namespace
}  // namespace campaign

namespace campaign {
namespace {

TEST(TriadIndex, NumbersEveryOrderedTriadOnce) {
  // at(k) for k = 0 .. role_assignments - 1 must list each valid ordered triad (holders of
  // roles 0, 1, 2, pairwise linked) exactly once: a bijection, so a uniform k is a
  // uniform triad. Checked against every ordered triple of small random graphs.
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    for (const double p : {0.1, 0.5}) {
      const NodeId n = 25 + static_cast<NodeId>(seed * 3);
      const CsrGraph g = erdos_renyi(n, p, seed);
      const std::vector<std::uint8_t> roles = random_roles(n, seed + 100);
      std::set<std::array<NodeId, 3>> expected;
      for (NodeId a = 0; a < n; ++a) {
        for (NodeId b = 0; b < n; ++b) {
          for (NodeId c = 0; c < n; ++c) {
            if (a != b && b != c && a != c && (roles[a] & 1) && (roles[b] & 2) && (roles[c] & 4) &&
                g.has_edge(a, b) && g.has_edge(b, c) && g.has_edge(a, c)) {
              expected.insert({a, b, c});
            }
          }
        }
      }
      const TriadIndex index(g, roles);
      EXPECT_EQ(index.count().role_assignments, expected.size());
      EXPECT_EQ(index.count().triangles, count_triangles(g).triangles);
      std::set<std::array<NodeId, 3>> listed;
      for (std::uint64_t k = 0; k < index.count().role_assignments; ++k) listed.insert(index.at(k));
      EXPECT_EQ(listed, expected) << seed << " " << p;
      EXPECT_THROW(index.at(index.count().role_assignments), std::out_of_range);
    }
  }
}

}  // namespace
}  // namespace campaign
