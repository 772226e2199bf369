// The pieces under the kernels: random numbers, the statistics folded per replication,
// and graph loading.
//
//   build/campaign_bench --benchmark_filter='^BM_(Philox|RowCoins|Accumulator|Quantile)'
//   build/campaign_bench --benchmark_filter='^BM_Load.*people:1000000/'   # W1 from disk
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "bench_graphs.h"
#include "graph/csr_file.h"
#include "graph/edge_list_loader.h"
#include "results/accumulator.h"
#include "results/quantile_sketch.h"
#include "rng/philox.h"
#include "rng/philox_lanes.h"
#include "rng/row_coins.h"

namespace campaign {
namespace {

// One Philox4x32-10 block (four 32-bit words).
void BM_PhiloxBlock(benchmark::State& state) {
  const CounterRng rng(1);
  std::uint32_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(rng.block(Stream::transmission, 3, i++, 0));
  state.counters["blocks/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// PhiloxLanes::width blocks from one call (the implementation the processor allows),
// counters set included; the rate is in blocks.
void BM_PhiloxLanes(benchmark::State& state) {
  const CounterRng rng(1);
  PhiloxLanes lanes;
  std::uint32_t i = 0;
  for (auto _ : state) {
    for (std::size_t lane = 0; lane < PhiloxLanes::width; ++lane) lanes.set_counter(lane, Stream::transmission, 3, i++, 0);
    lanes.run(rng);
    benchmark::DoNotOptimize(lanes.block(0));
  }
  state.SetLabel(std::string(PhiloxLanes::chosen()));
  state.counters["blocks/s"] = benchmark::Counter(static_cast<double>(state.iterations() * PhiloxLanes::width),
                                                  benchmark::Counter::kIsRate);
}

// One talk: the coins of a row of `contacts` at probability p (per mille).
void BM_RowCoins(benchmark::State& state) {
  const auto contacts = static_cast<std::uint32_t>(state.range(0));
  const RowCoins coins(CounterRng(1), Stream::transmission, Coin(static_cast<double>(state.range(1)) / 1000));
  std::vector<NodeId> row(contacts);
  std::iota(row.begin(), row.end(), NodeId{0});
  std::uint64_t reached = 0;
  NodeId u = 0;
  for (auto _ : state) coins.talk(3, u++, 0, row, [&](NodeId v) { reached += v; });
  benchmark::DoNotOptimize(reached);
  state.counters["contacts/s"] = benchmark::Counter(static_cast<double>(state.iterations()) * contacts,
                                                    benchmark::Counter::kIsRate);
}

// Talks as the kernels make them: rows of varying width (Poisson with the given mean, as
// in an Erdos-Renyi graph) and each talk's first block from PhiloxLanes, 32 talks ahead.
// The rate is in talks.
void BM_RowCoinsVaryingRows(benchmark::State& state) {
  const auto mean = static_cast<double>(state.range(0));
  const RowCoins coins(CounterRng(1), Stream::transmission, Coin(static_cast<double>(state.range(1)) / 1000));
  const CounterRng rng(1);
  std::mt19937 gen(7);
  std::poisson_distribution<std::uint32_t> width(mean);
  std::vector<std::vector<NodeId>> rows(1024);
  for (auto& row : rows) {
    row.resize(std::max<std::uint32_t>(1, width(gen)));
    std::iota(row.begin(), row.end(), NodeId{0});
  }
  PhiloxLanes lanes;
  std::uint64_t reached = 0;
  NodeId u = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const CounterRng::Block first = lanes.walk(i, rows.size(), rng, [&](std::size_t lane, std::size_t k) {
        coins.set_first_counter(lanes, lane, 3, u + static_cast<NodeId>(k), 0);
      });
      coins.talk(3, u + static_cast<NodeId>(i), 0, rows[i], first, [&](NodeId v) { reached += v; });
    }
    u += static_cast<NodeId>(rows.size());
  }
  benchmark::DoNotOptimize(reached);
  state.counters["talks/s"] = benchmark::Counter(static_cast<double>(state.iterations() * rows.size()),
                                                 benchmark::Counter::kIsRate);
}

// Folding one replication's trajectory (3 metrics x 31 steps) into the run's statistics.
void BM_AccumulatorAdd(benchmark::State& state) {
  const std::uint32_t steps = 30;
  RunAccumulator accumulator({"newly_adopted", "total_adopted", "active"}, steps);
  Trajectory trajectory(3, steps);
  double x = 0;
  for (auto _ : state) {
    for (std::uint32_t t = 0; t <= steps; ++t) trajectory.at(1, t) = (x += 1.5);
    accumulator.add(trajectory);
  }
  state.counters["replications/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_QuantileSketchAdd(benchmark::State& state) {
  QuantileSketch sketch;
  double x = 1;
  for (auto _ : state) sketch.add(x = x * 1.000001 + 3);
  benchmark::DoNotOptimize(sketch.count());
  state.counters["values/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// The three quantiles of one step of a series (p05, p50, p95) from a sketch of 1,000
// replications' values spread over five decades, as revenue is: some 4,000 buckets.
void BM_QuantileSketchQuantiles(benchmark::State& state) {
  QuantileSketch sketch;
  double x = 0.5;
  for (int i = 0; i < 1000; ++i)
    sketch.add(std::pow(10.0, 5.0 * (x = std::fmod(x + 0.6180339887, 1.0))));
  for (auto _ : state) {
    benchmark::DoNotOptimize(sketch.quantile(0.05));
    benchmark::DoNotOptimize(sketch.quantile(0.50));
    benchmark::DoNotOptimize(sketch.quantile(0.95));
  }
  state.counters["steps/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// Files written for the loading benchmarks, removed when the process ends.
struct ScratchFiles {
  std::vector<std::string> paths;
  ~ScratchFiles() {
    for (const std::string& path : paths) std::filesystem::remove(path);
  }
};

// Loading the benchmark graph of `people` from a text edge list and from a binary CSR
// file, written once per process to the system's temporary folder.
template <bool TEXT>
void BM_Load(benchmark::State& state) {
  static ScratchFiles scratch;
  const auto n = static_cast<NodeId>(state.range(0));
  const CsrGraph& graph = bench::er_graph(n, static_cast<std::uint32_t>(state.range(1)));
  const std::string path =
      (std::filesystem::temp_directory_path() /
       ("campaign_bench_" + std::to_string(::getpid()) + "_" + std::to_string(n) + (TEXT ? ".edges" : ".csr")))
          .string();
  if (!std::filesystem::exists(path)) {
    if (TEXT) {
      write_edge_list(path, graph, {});
    } else {
      write_csr(path, graph, {});
    }
    scratch.paths.push_back(path);
  }
  for (auto _ : state) {
    const LoadedGraph loaded = TEXT ? load_edge_list(path) : read_csr(path);
    benchmark::DoNotOptimize(loaded.graph.num_arcs());
  }
  state.counters["edges/s"] = benchmark::Counter(static_cast<double>(state.iterations() * graph.num_edges()),
                                                 benchmark::Counter::kIsRate);
}
void BM_LoadEdgeList(benchmark::State& state) { BM_Load<true>(state); }
void BM_LoadCsr(benchmark::State& state) { BM_Load<false>(state); }

BENCHMARK(BM_PhiloxBlock);
BENCHMARK(BM_PhiloxLanes);
BENCHMARK(BM_RowCoins)->ArgsProduct({{20, 64, 500}, {10, 100, 500}})->ArgNames({"contacts", "permille"});
BENCHMARK(BM_RowCoinsVaryingRows)->ArgsProduct({{8, 20, 64}, {25, 100, 200}})->ArgNames({"mean_contacts", "permille"});
BENCHMARK(BM_AccumulatorAdd);
BENCHMARK(BM_QuantileSketchAdd);
BENCHMARK(BM_QuantileSketchQuantiles);
// The CI smoke size and W1.
void loading_sizes(benchmark::internal::Benchmark* b) {
  b->Args({1'000, 20})->Args({1'000'000, 20})->ArgNames({"people", "degree"});
  b->Unit(benchmark::kMillisecond)->UseRealTime();
}
BENCHMARK(BM_LoadEdgeList)->Apply(loading_sizes);
BENCHMARK(BM_LoadCsr)->Apply(loading_sizes);

}  // namespace
}  // namespace campaign
