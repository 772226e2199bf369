// Graphs shared by the benchmarks: Erdős–Rényi G(n, p) with a given mean degree,
// generated once per (size, degree) and process from seed 1. Benchmarks take
// (people, mean degree) as their two arguments; W0 = (10^5, 20), W1 = (10^6, 20).
#pragma once

#include <map>
#include <memory>
#include <utility>

#include <benchmark/benchmark.h>

#include "graph/generators.h"

namespace campaign::bench {

inline const CsrGraph& er_graph(NodeId n, std::uint32_t mean_degree) {
  static std::map<std::pair<NodeId, std::uint32_t>, std::unique_ptr<CsrGraph>> cache;
  auto& slot = cache[{n, mean_degree}];
  if (!slot) slot = std::make_unique<CsrGraph>(erdos_renyi(n, double(mean_degree) / (n - 1), 1));
  return *slot;
}

// 10^3 (the CI smoke size) to 10^7 people, mean degree 20.
inline void sizes(benchmark::internal::Benchmark* b) {
  for (std::int64_t n : {1'000, 10'000, 100'000, 1'000'000, 10'000'000}) b->Args({n, 20});
  b->ArgNames({"people", "degree"})->Unit(benchmark::kMillisecond)->UseRealTime();
}

}  // namespace campaign::bench
