// EXPERIMENT (measured, then removed): 64 independent cascades per pass over the graph
// with coins that are NOT those of the single kernel, to see what target 2 would gain if
// target 3 were dropped. Each arc gets a 64-lane "live" mask, bit l = Bernoulli(T) for
// lane l, decided bit-sliced across the lanes (the planes of 64 uniforms side by side,
// compared with the threshold until every lane is decided); then a multi-source BFS
// (Then et al., VLDB 2015) over the live arcs: per person the lanes seen, those in the
// frontier and those reached next.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <vector>

#include "bench_graphs.h"
#include "rng/philox.h"
#include "rng/philox_lanes.h"

namespace campaign {
namespace {

// The 64 lanes' coins of arc `a`: planes 0..7 from four blocks computed with the lanes,
// further planes from scalar blocks while a lane is undecided.
struct LiveMasks {
  std::vector<std::uint64_t> live;
  void make(const CounterRng& rng, std::uint32_t block, std::size_t arcs, Coin coin) {
    live.resize(arcs);
    PhiloxLanes lanes;
    const std::uint64_t threshold = coin.threshold();
    for (std::size_t first = 0; first < arcs; first += 8) {
      const std::size_t count = std::min<std::size_t>(8, arcs - first);
      for (std::size_t i = 0; i < count; ++i) {
        for (std::uint32_t k = 0; k < 4; ++k) {
          lanes.set_counter(i * 4 + k, Stream::transmission, block,
                            static_cast<std::uint32_t>(first + i), 0, k);
        }
      }
      lanes.run(rng);
      for (std::size_t i = 0; i < count; ++i) {
        std::uint64_t undecided = ~std::uint64_t{0}, below = 0;
        int b = 31;
        std::uint32_t k = 0;
        CounterRng::Block w = lanes.block(i * 4);
        for (int plane_index = 0; b >= 0 && undecided != 0; ++plane_index, --b) {
          if (plane_index % 2 == 0 && plane_index > 0) {
            ++k;
            w = k < 4 ? lanes.block(i * 4 + k)
                      : rng.block(Stream::transmission, block,
                                  static_cast<std::uint32_t>(first + i), 0, k);
          }
          const std::uint64_t plane = plane_index % 2 == 0 ? (std::uint64_t{w[1]} << 32 | w[0])
                                                           : (std::uint64_t{w[3]} << 32 | w[2]);
          if ((threshold >> b) & 1) {
            below |= undecided & ~plane;
            undecided &= plane;
          } else {
            undecided &= ~plane;
          }
        }
        live[first + i] = below;
      }
    }
  }
};

void BM_FusedCascade64Experiment(benchmark::State& state) {
  const auto n = static_cast<NodeId>(state.range(0));
  const auto degree = static_cast<std::uint32_t>(state.range(1));
  const CsrGraph& graph = bench::er_graph(n, degree);
  const Coin coin(2.0 / degree);
  const CounterRng rng(1);
  const auto& offsets = graph.offsets();
  const auto& targets = graph.targets();
  LiveMasks masks;
  std::vector<std::uint64_t> seen(n), frontier(n), next(n);
  std::vector<NodeId> current, reached;
  std::uint32_t block = 0;
  double coin_seconds = 0, activations = 0, arc_visits = 0, levels = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    masks.make(rng, block, targets.size(), coin);
    coin_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fill(seen.begin(), seen.end(), 0);
    current.clear();
    for (std::uint32_t lane = 0; lane < 64; ++lane) {
      const NodeId s = static_cast<NodeId>(rng.block(Stream::seeding, block, lane, 0)[0] % n);
      if (frontier[s] == 0) current.push_back(s);
      frontier[s] |= std::uint64_t{1} << lane;
      seen[s] |= std::uint64_t{1} << lane;
    }
    while (!current.empty()) {
      ++levels;
      std::sort(current.begin(), current.end());  // rows front to back
      reached.clear();
      for (const NodeId u : current) {
        const std::uint64_t lanes = frontier[u];
        frontier[u] = 0;
        arc_visits += static_cast<double>(offsets[u + 1] - offsets[u]);
        for (ArcIndex a = offsets[u]; a < offsets[u + 1]; ++a) {
          const std::uint64_t m = lanes & masks.live[a];
          if (m == 0) continue;
          const NodeId v = targets[a];
          const std::uint64_t fresh = m & ~seen[v];
          if (fresh == 0) continue;
          if (next[v] == 0) reached.push_back(v);
          next[v] |= fresh;
        }
      }
      for (const NodeId v : reached) {
        seen[v] |= next[v];
        frontier[v] = next[v];
        activations += std::popcount(next[v]);
        next[v] = 0;
      }
      std::swap(current, reached);
    }
    ++block;
  }
  const double replications = 64.0 * static_cast<double>(state.iterations());
  state.counters["replications/s"] = benchmark::Counter(replications, benchmark::Counter::kIsRate);
  state.counters["coins_ms_per_replication"] = 1e3 * coin_seconds / replications;
  state.counters["active_share"] = activations / replications / n;
  state.counters["arc_visits_per_replication"] = arc_visits / replications;
  state.counters["levels"] = levels / static_cast<double>(state.iterations());
}
BENCHMARK(BM_FusedCascade64Experiment)->Apply(bench::sizes);

}  // namespace
}  // namespace campaign
