#include "graph/triangles.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include <array>
#include <stdexcept>
#include <vector>

#include "core/interrupt.h"

namespace campaign {
namespace {

// The ways three corners with these role masks take roles 0, 1, 2 one each.
constexpr std::array<std::uint8_t, 512> assignment_table() {
  std::array<std::uint8_t, 512> table{};
  constexpr int orders[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
  for (int a = 0; a < 8; ++a) {
    for (int b = 0; b < 8; ++b) {
      for (int c = 0; c < 8; ++c) {
        const int masks[3] = {a, b, c};
        int ways = 0;
        for (const auto& order : orders) {  // corner order[i] takes role i
          ways += (masks[order[0]] & 1) && (masks[order[1]] & 2) && (masks[order[2]] & 4);
        }
        table[a * 64 + b * 8 + c] = static_cast<std::uint8_t>(ways);
      }
    }
  }
  return table;
}
constexpr std::array<std::uint8_t, 512> ASSIGNMENTS = assignment_table();

TriangleCount count(const CsrGraph& graph, const std::uint8_t* roles) {
  const NodeId n = graph.num_nodes();
  const auto higher = [&](NodeId u, NodeId v) {
    const std::uint32_t du = graph.degree(u), dv = graph.degree(v);
    return dv > du || (dv == du && v > u);
  };
  // Each node's neighbours of higher rank, in id order (a subsequence of its sorted row).
  std::vector<ArcIndex> offsets(std::size_t{n} + 1, 0);
  tbb::parallel_for(tbb::blocked_range<NodeId>(0, n), [&](const tbb::blocked_range<NodeId>& range) {
    for (NodeId u = range.begin(); u != range.end(); ++u) {
      ArcIndex up = 0;
      for (NodeId v : graph.neighbors(u)) up += higher(u, v);
      offsets[std::size_t{u} + 1] = up;
    }
  });
  for (NodeId u = 0; u < n; ++u) offsets[std::size_t{u} + 1] += offsets[u];
  std::vector<NodeId> targets(offsets.back());
  tbb::parallel_for(tbb::blocked_range<NodeId>(0, n), [&](const tbb::blocked_range<NodeId>& range) {
    for (NodeId u = range.begin(); u != range.end(); ++u) {
      ArcIndex at = offsets[u];
      for (NodeId v : graph.neighbors(u)) {
        if (higher(u, v)) targets[at++] = v;
      }
    }
  });
  const auto row = [&](NodeId u) {
    return std::span<const NodeId>(targets.data() + offsets[u], targets.data() + offsets[std::size_t{u} + 1]);
  };
  return tbb::parallel_reduce(
      tbb::blocked_range<NodeId>(0, n, 64), TriangleCount{},
      [&](const tbb::blocked_range<NodeId>& range, TriangleCount sum) {
        throw_if_interrupted();
        for (NodeId u = range.begin(); u != range.end(); ++u) {
          const std::span<const NodeId> mine = row(u);
          for (NodeId v : mine) {
            const std::span<const NodeId> theirs = row(v);
            auto a = mine.begin(), b = theirs.begin();
            while (a != mine.end() && b != theirs.end()) {
              if (*a < *b) {
                ++a;
              } else if (*b < *a) {
                ++b;
              } else {  // the triangle (u, v, *a)
                ++sum.triangles;
                if (roles) {
                  const unsigned ways = ASSIGNMENTS[(roles[u] & 7u) * 64 + (roles[v] & 7u) * 8 + (roles[*a] & 7u)];
                  sum.valid += ways > 0;
                  sum.role_assignments += ways;
                }
                ++a;
                ++b;
              }
            }
          }
        }
        return sum;
      },
      [](TriangleCount x, const TriangleCount& y) {
        x.triangles += y.triangles;
        x.valid += y.valid;
        x.role_assignments += y.role_assignments;
        return x;
      });
}

}  // namespace

TriangleCount count_triangles(const CsrGraph& graph) { return count(graph, nullptr); }

TriangleCount count_triangles(const CsrGraph& graph, std::span<const std::uint8_t> roles) {
  if (roles.size() != graph.num_nodes()) throw std::invalid_argument("count_triangles: one role mask per node");
  return count(graph, roles.data());
}

}  // namespace campaign
