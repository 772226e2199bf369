// Word-of-mouth kernels against breadth-first search yardsticks over the same CSR graph
// (bench_graphs.h). The cascade is the throughput workload W: independent cascade with
// T = 2 / mean degree (T x degree = 2, supercritical: a large cascade reaches ~80% of
// people), one random seed, run to its end. "arcs/s" counts arcs examined: for the
// cascade, the degrees of everyone who became active (each scans its arcs once); for the
// searches, what they scan. Compare rates measured in one run.
//
//   build/campaign_bench --benchmark_filter='people:1000000/'          # W1
//   build/campaign_bench --benchmark_filter='people:1000/' --benchmark_min_time=0.001   # CI smoke
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <tbb/global_control.h>

#include "bench_graphs.h"
#include "bfs.h"
#include "model/independent_cascade.h"
#include "model/network_bass.h"
#include "scenario/scenario_loader.h"
#include "sim/runner.h"

namespace campaign {
namespace {

using bench::er_graph;

Scenario cascade_scenario(NodeId n, std::uint32_t degree) {
  return load_scenario_text(fmt::format("[run]\nsteps = 400\n[audience]\nsize = {}\n[graph]\nmean_degree = {}\n"
                                        "[diffusion]\ntransmission = {}\n",
                                        n, degree, 2.0 / degree),
                            "bench.toml")
      .scenario;
}

std::uint64_t arcs_of(const CsrGraph& graph, const std::vector<std::int32_t>& step) {
  std::uint64_t arcs = 0;
  for (NodeId v = 0; v < graph.num_nodes(); ++v) arcs += step[v] >= 0 ? graph.degree(v) : 0;
  return arcs;
}

void BM_IndependentCascade(benchmark::State& state) {
  const auto n = static_cast<NodeId>(state.range(0));
  const auto degree = static_cast<std::uint32_t>(state.range(1));
  const CsrGraph& graph = er_graph(n, degree);
  const Scenario s = cascade_scenario(n, degree);
  const IndependentCascade model(graph, s);
  auto kernel = model.make_kernel();
  Trajectory trajectory(3, s.run.steps);  // every cascade ends well before 400 steps
  Replication r = 0;
  std::uint64_t arcs = 0;
  for (auto _ : state) {
    state.PauseTiming();
    arcs += arcs_of(graph, reference_cascade(model, r));
    state.ResumeTiming();
    kernel->simulate(r++, trajectory);
    benchmark::DoNotOptimize(trajectory);
  }
  state.counters["arcs/s"] = benchmark::Counter(static_cast<double>(arcs), benchmark::Counter::kIsRate);
  state.counters["replications/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// Many replications through the parallel runner, at 1 and 2 threads: the speed-up.
void BM_CascadeRunner(benchmark::State& state) {
  const auto n = static_cast<NodeId>(state.range(0));
  const auto degree = static_cast<std::uint32_t>(state.range(1));
  const auto threads = static_cast<int>(state.range(2));
  const CsrGraph& graph = er_graph(n, degree);
  const Scenario s = cascade_scenario(n, degree);
  const IndependentCascade model(graph, s);
  tbb::global_control cap(tbb::global_control::max_allowed_parallelism, threads);
  RunOptions options;
  options.replications = 32;
  options.steps = s.run.steps;
  for (auto _ : state) {
    RunAccumulator accumulator(model.metric_names(), s.run.steps);
    run_replications(model, options, accumulator, nullptr);
    benchmark::DoNotOptimize(accumulator);
  }
  state.counters["replications/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * options.replications), benchmark::Counter::kIsRate);
}

template <bool DIRECTION_OPTIMIZING>
void BM_Bfs(benchmark::State& state) {
  const auto n = static_cast<NodeId>(state.range(0));
  const CsrGraph& graph = er_graph(n, static_cast<std::uint32_t>(state.range(1)));
  bench::BfsWorkspace bfs(n);
  const CounterRng rng(3);
  std::uint64_t arcs = 0;
  std::uint32_t i = 0;
  for (auto _ : state) {
    const auto source = static_cast<NodeId>(CounterRng::below(rng.u64(Stream::seeding, 0, i++, 0), n));
    arcs += DIRECTION_OPTIMIZING ? bfs.direction_optimizing(graph, source) : bfs.top_down(graph, source);
  }
  state.counters["arcs/s"] = benchmark::Counter(static_cast<double>(arcs), benchmark::Counter::kIsRate);
  state.counters["searches/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
void BM_TopDownBfs(benchmark::State& state) { BM_Bfs<false>(state); }
void BM_DirectionOptimizingBfs(benchmark::State& state) { BM_Bfs<true>(state); }

void BM_NetworkBassStep(benchmark::State& state) {
  const auto n = static_cast<NodeId>(state.range(0));
  const CsrGraph& graph = er_graph(n, static_cast<std::uint32_t>(state.range(1)));
  Scenario s = load_scenario_text(
                   fmt::format("[run]\nsteps = 10\n[audience]\nsize = {}\n[diffusion]\nmodel = "
                               "\"network_bass\"\np = 0.001\nq = 0.01\n[seeding]\ncount = 0\n",
                               n),
                   "bench.toml")
                   .scenario;
  const NetworkBass model(graph, s);
  auto kernel = model.make_kernel();
  Trajectory trajectory(3, s.run.steps);
  Replication r = 0;
  for (auto _ : state) {
    kernel->simulate(r++, trajectory);
    benchmark::DoNotOptimize(trajectory);
  }
  state.counters["person-steps/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * n * s.run.steps, benchmark::Counter::kIsRate);
}

void BM_GenerateErdosRenyi(benchmark::State& state) {
  const auto n = static_cast<NodeId>(state.range(0));
  const double degree = static_cast<double>(state.range(1));
  std::uint64_t seed = 0;
  for (auto _ : state) {
    const CsrGraph g = erdos_renyi(n, degree / (n - 1), ++seed);
    benchmark::DoNotOptimize(g.num_arcs());
  }
  state.counters["edges/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * n * degree / 2, benchmark::Counter::kIsRate);
}

BENCHMARK(BM_IndependentCascade)->Apply(bench::sizes);
BENCHMARK(BM_TopDownBfs)->Apply(bench::sizes);
BENCHMARK(BM_DirectionOptimizingBfs)->Apply(bench::sizes);
BENCHMARK(BM_CascadeRunner)
    ->ArgsProduct({{1'000, 100'000, 1'000'000}, {20}, {1, 2}})
    ->ArgNames({"people", "degree", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_NetworkBassStep)->Apply(bench::sizes);
BENCHMARK(BM_GenerateErdosRenyi)->Apply(bench::sizes);

}  // namespace
}  // namespace campaign
