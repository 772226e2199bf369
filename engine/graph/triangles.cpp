#include "graph/triangles.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <stdexcept>

#include "core/interrupt.h"

namespace campaign {
namespace {

// The ways three corners with these role masks take roles 0, 1, 2 one each.
constexpr std::array<std::uint8_t, 512> assignment_table() {
  std::array<std::uint8_t, 512> table{};
  for (int a = 0; a < 8; ++a) {
    for (int b = 0; b < 8; ++b) {
      for (int c = 0; c < 8; ++c) {
        const int masks[3] = {a, b, c};
        int ways = 0;
        for (const auto& order : ROLE_ORDERS) {
          ways += (masks[order[0]] & 1) && (masks[order[1]] & 2) && (masks[order[2]] & 4);
        }
        table[a * 64 + b * 8 + c] = static_cast<std::uint8_t>(ways);
      }
    }
  }
  return table;
}
constexpr std::array<std::uint8_t, 512> ASSIGNMENTS = assignment_table();

unsigned ways(const std::uint8_t* roles, NodeId u, NodeId v, NodeId w) {
  return ASSIGNMENTS[(roles[u] & 7u) * 64 + (roles[v] & 7u) * 8 + (roles[w] & 7u)];
}

// Each node's neighbours of higher rank (degree, then id), in id order: a subsequence of
// its sorted row, so every triangle is found once, from its lowest-ranked corner.
void orient(const CsrGraph& graph, std::vector<ArcIndex>& offsets, std::vector<NodeId>& targets) {
  const NodeId n = graph.num_nodes();
  const auto higher = [&](NodeId u, NodeId v) {
    const std::uint32_t du = graph.degree(u), dv = graph.degree(v);
    return dv > du || (dv == du && v > u);
  };
  offsets.assign(std::size_t{n} + 1, 0);
  tbb::parallel_for(tbb::blocked_range<NodeId>(0, n), [&](const tbb::blocked_range<NodeId>& range) {
    for (NodeId u = range.begin(); u != range.end(); ++u) {
      ArcIndex up = 0;
      for (NodeId v : graph.neighbors(u)) up += higher(u, v);
      offsets[std::size_t{u} + 1] = up;
    }
  });
  for (NodeId u = 0; u < n; ++u) offsets[std::size_t{u} + 1] += offsets[u];
  targets.resize(offsets.back());
  tbb::parallel_for(tbb::blocked_range<NodeId>(0, n), [&](const tbb::blocked_range<NodeId>& range) {
    for (NodeId u = range.begin(); u != range.end(); ++u) {
      ArcIndex at = offsets[u];
      for (NodeId v : graph.neighbors(u)) {
        if (higher(u, v)) targets[at++] = v;
      }
    }
  });
}

// Calls found(v, w) for every triangle (u, v, w) found from u, in merge order; stops when
// found returns true.
template <class Found>
void triangles_from(const std::vector<ArcIndex>& offsets, const std::vector<NodeId>& targets, NodeId u,
                    Found&& found) {
  const auto row = [&](NodeId x) {
    return std::span<const NodeId>(targets.data() + offsets[x], targets.data() + offsets[std::size_t{x} + 1]);
  };
  const std::span<const NodeId> mine = row(u);
  for (NodeId v : mine) {
    const std::span<const NodeId> theirs = row(v);
    auto a = mine.begin(), b = theirs.begin();
    while (a != mine.end() && b != theirs.end()) {
      if (*a < *b) {
        ++a;
      } else if (*b < *a) {
        ++b;
      } else {
        if (found(v, *a)) return;
        ++a;
        ++b;
      }
    }
  }
}

// Counts over the oriented graph; with `weights`, each node's role assignments too.
TriangleCount count(const std::vector<ArcIndex>& offsets, const std::vector<NodeId>& targets,
                    const std::uint8_t* roles, std::uint64_t* weights) {
  const auto n = static_cast<NodeId>(offsets.size() - 1);
  return tbb::parallel_reduce(
      tbb::blocked_range<NodeId>(0, n, 64), TriangleCount{},
      [&](const tbb::blocked_range<NodeId>& range, TriangleCount sum) {
        throw_if_interrupted();
        for (NodeId u = range.begin(); u != range.end(); ++u) {
          std::uint64_t mine = 0;
          triangles_from(offsets, targets, u, [&](NodeId v, NodeId w) {
            ++sum.triangles;
            if (roles) {
              const unsigned k = ways(roles, u, v, w);
              sum.valid += k > 0;
              mine += k;
            }
            return false;
          });
          sum.role_assignments += mine;
          if (weights) weights[u] = mine;
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

void check_roles(const CsrGraph& graph, std::span<const std::uint8_t> roles) {
  if (roles.size() != graph.num_nodes()) throw std::invalid_argument("count_triangles: one role mask per node");
}

}  // namespace

TriangleCount count_triangles(const CsrGraph& graph) {
  std::vector<ArcIndex> offsets;
  std::vector<NodeId> targets;
  orient(graph, offsets, targets);
  return count(offsets, targets, nullptr, nullptr);
}

TriangleCount count_triangles(const CsrGraph& graph, std::span<const std::uint8_t> roles) {
  check_roles(graph, roles);
  std::vector<ArcIndex> offsets;
  std::vector<NodeId> targets;
  orient(graph, offsets, targets);
  return count(offsets, targets, roles.data(), nullptr);
}

TriadIndex::TriadIndex(const CsrGraph& graph, std::span<const std::uint8_t> roles)
    : roles_(roles.begin(), roles.end()) {
  check_roles(graph, roles);
  orient(graph, offsets_, targets_);
  cumulative_.assign(std::size_t{graph.num_nodes()} + 1, 0);
  count_ = campaign::count(offsets_, targets_, roles_.data(), cumulative_.data() + 1);
  for (std::size_t u = 1; u < cumulative_.size(); ++u) cumulative_[u] += cumulative_[u - 1];
}

std::vector<std::array<NodeId, 3>> TriadIndex::valid_triangles() const {
  std::vector<std::array<NodeId, 3>> out;
  out.reserve(count_.valid);
  for (NodeId u = 0; u + std::size_t{1} < offsets_.size(); ++u) {
    if (cumulative_[u + 1] == cumulative_[u]) continue;  // no valid triangle found from u
    triangles_from(offsets_, targets_, u, [&](NodeId v, NodeId w) {
      if (ways(roles_.data(), u, v, w) > 0) out.push_back({u, v, w});
      return false;
    });
  }
  return out;
}

std::array<NodeId, 3> TriadIndex::at(std::uint64_t k) const {
  if (k >= count_.role_assignments) throw std::out_of_range("TriadIndex::at: no such triad");
  // The node whose range [cumulative[u], cumulative[u + 1]) holds k.
  const auto u = static_cast<NodeId>(std::upper_bound(cumulative_.begin(), cumulative_.end(), k) -
                                     cumulative_.begin() - 1);
  std::uint64_t rest = k - cumulative_[u];
  std::array<NodeId, 3> triad{};
  triangles_from(offsets_, targets_, u, [&](NodeId v, NodeId w) {
    const NodeId corners[3] = {u, v, w};
    for (const auto& order : ROLE_ORDERS) {
      const bool fits = (roles_[corners[order[0]]] & 1) && (roles_[corners[order[1]]] & 2) &&
                        (roles_[corners[order[2]]] & 4);
      if (fits && rest-- == 0) {
        triad = {corners[order[0]], corners[order[1]], corners[order[2]]};
        return true;
      }
    }
    return false;
  });
  return triad;
}

}  // namespace campaign
