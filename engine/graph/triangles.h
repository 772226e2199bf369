// Exact triangle counts of an undirected graph, as GAPBS's tc counts them (Beamer, Asanović
// & Patterson, "The GAP Benchmark Suite", 2015): every node keeps only its neighbours of
// higher rank (degree, then id), so each triangle is found once, from its lowest-ranked
// corner, by merging two sorted lists; rows run in parallel. Ranking by degree bounds
// each list by the square root of the edges, which keeps hubs cheap. The counts do not
// depend on the threads.
//
// With three roles (the campaign's partner triads: owner, source, channel), a triangle is
// a valid triad when its three corners can take the three roles, one each; `role_assignments`
// counts the ways (ordered triads (owner, source, channel)) and `valid` the triangles with
// at least one.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "graph/csr_graph.h"

namespace campaign {

// The orders of three corners taking roles 0, 1, 2: corner ROLE_ORDERS[j][i] takes role i.
inline constexpr int ROLE_ORDERS[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};

struct TriangleCount {
  std::uint64_t triangles = 0;
  std::uint64_t valid = 0;             // with roles: triangles that can hold the three roles
  std::uint64_t role_assignments = 0;  // with roles: (first, second, third) role holders
};

// Triangles only (valid and role_assignments stay 0).
TriangleCount count_triangles(const CsrGraph& graph);

// roles[u]: bit i set when u can take role i (i = 0, 1, 2); one entry per node.
TriangleCount count_triangles(const CsrGraph& graph, std::span<const std::uint8_t> roles);

// The ordered triads of a role-labelled graph (holders of roles 0, 1, 2 on a triangle),
// numbered 0 .. count().role_assignments - 1 for exact uniform sampling: node u's weight
// is the role assignments of the triangles found from u (its lowest-ranked corner), and
// triad k is found by a binary search of the cumulative weights, then a walk over that
// node's triangles in merge order. Holds the oriented graph: 4 bytes per edge and 17 per
// node.
//
//   const TriadIndex index(graph, roles);
//   const auto [owner, source, channel] = index.at(CounterRng::below(bits, index.count().role_assignments));
class TriadIndex {
 public:
  TriadIndex(const CsrGraph& graph, std::span<const std::uint8_t> roles);
  const TriangleCount& count() const { return count_; }
  // Triad k < count().role_assignments: {holder of role 0, of role 1, of role 2}.
  std::array<NodeId, 3> at(std::uint64_t k) const;
  // The triangles that can hold the three roles (count().valid of them), each once, in a
  // fixed order (by lowest-ranked corner, then merge order).
  std::vector<std::array<NodeId, 3>> valid_triangles() const;

 private:
  std::vector<ArcIndex> offsets_;  // each node's neighbours of higher rank
  std::vector<NodeId> targets_;
  std::vector<std::uint8_t> roles_;
  std::vector<std::uint64_t> cumulative_;  // role assignments found from nodes before u
  TriangleCount count_;
};

}  // namespace campaign
