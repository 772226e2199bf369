// What `campaign-sim graph info` says of a graph: its degree distribution, its connected
// components, and the epidemic threshold of word of mouth on it, T_c = <k> / (<k^2> - <k>)
// (the bond-percolation threshold of a configuration-model graph with the same degrees:
// Newman 2002, "Spread of epidemic disease on networks", Phys. Rev. E 66, 016128). An
// independent cascade with transmission T well above T_c can reach a finite share of the
// people; well below it, a seed reaches a handful. On a directed graph the degrees are
// out-degrees (whom a person talks to), the components weakly connected ones, and
// T_c = <k> / <k_in k_out> (a person reached along an arc is picked by its in-degree and
// passes word on along its out-arcs: Newman, Strogatz & Watts 2001, "Random graphs with
// arbitrary degree distributions", Phys. Rev. E 64, 026118).
#pragma once

#include <cstdint>

#include "graph/csr_graph.h"

namespace campaign {

struct GraphStats {
  NodeId people = 0;
  std::uint64_t edges = 0;  // arcs, when directed
  bool directed = false;
  std::uint32_t max_in_degree = 0;  // directed: the most people who talk to one
  double mean_in_out = 0;           // directed: <k_in k_out>
  std::uint32_t min_degree = 0, max_degree = 0;
  std::uint32_t p50_degree = 0, p90_degree = 0, p99_degree = 0;  // nearest rank
  double mean_degree = 0, mean_square_degree = 0;
  NodeId isolated = 0;
  NodeId components = 0;          // isolated people count as components of one
  NodeId largest_component = 0;   // people in the largest
  double epidemic_threshold = 0;  // T_c; +infinity where <k^2> <= <k> (no giant outbreak)
};

GraphStats graph_stats(const CsrGraph& graph);

}  // namespace campaign
