// Graphs shared by the benchmarks: Erdős–Rényi with mean degree 10, generated once per
// size and process.
#pragma once

#include <map>
#include <memory>

#include "graph/generators.h"

namespace campaign::bench {

inline constexpr double MEAN_DEGREE = 10.0;

inline const CsrGraph& er_graph(NodeId n) {
  static std::map<NodeId, std::unique_ptr<CsrGraph>> cache;
  auto& slot = cache[n];
  if (!slot) slot = std::make_unique<CsrGraph>(erdos_renyi(n, MEAN_DEGREE / (n - 1), 1));
  return *slot;
}

}  // namespace campaign::bench
