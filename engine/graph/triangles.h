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

#include <cstdint>
#include <span>

#include "graph/csr_graph.h"

namespace campaign {

struct TriangleCount {
  std::uint64_t triangles = 0;
  std::uint64_t valid = 0;             // with roles: triangles that can hold the three roles
  std::uint64_t role_assignments = 0;  // with roles: (first, second, third) role holders
};

// Triangles only (valid and role_assignments stay 0).
TriangleCount count_triangles(const CsrGraph& graph);

// roles[u]: bit i set when u can take role i (i = 0, 1, 2); one entry per node.
TriangleCount count_triangles(const CsrGraph& graph, std::span<const std::uint8_t> roles);

}  // namespace campaign
