// Word-of-mouth kernels against the yardstick of a plain breadth-first search over the
// same CSR graph. Graphs: Erdős–Rényi with mean degree 10; cascade T = 0.2 (T x degree
// = 2, supercritical), one random seed, run to the end. Each benchmark reports arcs
// examined per second ("arcs/s"), so the cascade and the BFS compare per unit of work.
//
//   build/campaign_bench --benchmark_filter='/100000/|/1000000/'
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "bench_graphs.h"
#include "model/independent_cascade.h"
#include "model/network_bass.h"
#include "scenario/scenario_loader.h"

namespace campaign {
namespace {

using bench::er_graph;
using bench::MEAN_DEGREE;

Scenario bench_scenario(NodeId n, const char* model) {
  return load_scenario_text(
             fmt::format("[run]\nsteps = 200\n[audience]\nsize = {}\n[diffusion]\nmodel = \"{}\"\n"
                         "transmission = 0.2\np = 0.001\nq = 0.02\n",
                         n, model),
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
  const CsrGraph& graph = er_graph(n);
  const Scenario s = bench_scenario(n, "independent_cascade");
  const IndependentCascade model(graph, s);
  auto kernel = model.make_kernel();
  Trajectory trajectory(3, s.run.steps);  // 200 steps: every cascade ends well before
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
  state.counters["replications/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// Yardstick: serial top-down BFS from a random node over the same CSR arrays.
void BM_BreadthFirstSearch(benchmark::State& state) {
  const auto n = static_cast<NodeId>(state.range(0));
  const CsrGraph& graph = er_graph(n);
  std::vector<std::uint8_t> seen(n);
  std::vector<NodeId> queue;
  queue.reserve(n);
  const CounterRng rng(3);
  std::uint64_t arcs = 0;
  std::uint32_t i = 0;
  for (auto _ : state) {
    std::fill(seen.begin(), seen.end(), 0);
    queue.clear();
    const auto source = static_cast<NodeId>(CounterRng::below(rng.u64(Stream::seeding, 0, i++, 0), n));
    queue.push_back(source);
    seen[source] = 1;
    for (std::size_t head = 0; head < queue.size(); ++head) {
      const NodeId u = queue[head];
      arcs += graph.degree(u);
      for (NodeId v : graph.neighbors(u)) {
        if (!seen[v]) {
          seen[v] = 1;
          queue.push_back(v);
        }
      }
    }
    benchmark::DoNotOptimize(queue.data());
  }
  state.counters["arcs/s"] = benchmark::Counter(static_cast<double>(arcs), benchmark::Counter::kIsRate);
}

void BM_NetworkBassStep(benchmark::State& state) {
  const auto n = static_cast<NodeId>(state.range(0));
  const CsrGraph& graph = er_graph(n);
  Scenario s = bench_scenario(n, "network_bass");
  s.run.steps = 10;
  s.seeding.count = 0;
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
  std::uint64_t seed = 0;
  for (auto _ : state) {
    const CsrGraph g = erdos_renyi(n, MEAN_DEGREE / (n - 1), ++seed);
    benchmark::DoNotOptimize(g.num_arcs());
  }
  state.counters["edges/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * n * MEAN_DEGREE / 2, benchmark::Counter::kIsRate);
}

void sizes(benchmark::internal::Benchmark* b) {
  b->Arg(1000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond)->UseRealTime();
}

BENCHMARK(BM_IndependentCascade)->Apply(sizes);
BENCHMARK(BM_BreadthFirstSearch)->Apply(sizes);
BENCHMARK(BM_NetworkBassStep)->Apply(sizes);
BENCHMARK(BM_GenerateErdosRenyi)->Apply(sizes);

}  // namespace
}  // namespace campaign
