// Large partner ecosystems (docs/performance.md, "Partner ecosystems at scale"): drawing
// an ecosystem (Pareto followers over a million people, sparse random cooperation of
// mean degree 20, triads counted) and running a campaign on it with 100 triad messages a
// week for 52 weeks, with and without word of mouth (as the bundled campaigns talk:
// T = 0.02 for 4 steps; the difference is the share of time in word of mouth). One ecosystem or one replication per iteration; the ecosystem
// is drawn on all threads, a replication runs on one.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "bench_graphs.h"
#include "model/campaign.h"
#include "model/ecosystem.h"
#include "scenario/scenario_loader.h"

namespace campaign {
namespace {

Scenario ecosystem_scenario(std::int64_t partners, std::int64_t followers, bool word_of_mouth) {
  return load_scenario_text(fmt::format(R"(
[run]
steps = 52
[diffusion]
model = "campaign"
[seeding]
count = 0
[partners]
count = {}
reach_mean = {}
reach_tail = 2.0
cost = 1
cooperation_degree = 20
[media]
strategy = "triads"
budget = 1e9
cadence = 1
messages_per_step = 100
[word_of_mouth]
transmission = {}
lifetime = 4
)",
                                        partners, followers, word_of_mouth ? 0.02 : 0.0),
                            "ecosystem_bench.toml")
      .scenario;
}

// people, partners, mean followers (the ecosystem), and word of mouth on or off.
void ecosystem_sizes(benchmark::internal::Benchmark* b) {
  b->Args({10'000, 1'000, 10})->Args({1'000'000, 100'000, 1'000})->Args({1'000'000, 1'000'000, 100});
  b->ArgNames({"people", "partners", "followers"})->Unit(benchmark::kMillisecond)->UseRealTime();
}

void BM_BuildEcosystem(benchmark::State& state) {
  const auto n = static_cast<NodeId>(state.range(0));
  const Scenario s = ecosystem_scenario(state.range(1), state.range(2), true);
  double links = 0, bytes = 0, follower_bytes = 0, triads = 0;
  for (auto _ : state) {
    const Ecosystem eco(s, n);
    const EcosystemFigures& f = eco.figures();
    links += static_cast<double>(f.follower_links);
    bytes = static_cast<double>(eco.memory_bytes());
    // The follower CSR alone: a 4-byte id per link, an 8-byte offset per partner.
    follower_bytes = 4.0 * static_cast<double>(f.follower_links) + 8.0 * (eco.num_partners() + 1.0);
    triads = static_cast<double>(f.triads.valid);
    benchmark::DoNotOptimize(f.triads.role_assignments);
  }
  state.counters["links/s"] = benchmark::Counter(links, benchmark::Counter::kIsRate);
  state.counters["bytes/link"] = bytes / (links / static_cast<double>(state.iterations()));
  state.counters["follower_bytes/link"] = follower_bytes / (links / static_cast<double>(state.iterations()));
  state.counters["valid_triads"] = triads;
}

void BM_EcosystemCampaign(benchmark::State& state) {
  const auto n = static_cast<NodeId>(state.range(0));
  const bool word_of_mouth = state.range(3) != 0;
  const CsrGraph& graph = bench::er_graph(n, 10);
  const CampaignModel model(graph, ecosystem_scenario(state.range(1), state.range(2), word_of_mouth));
  // Exposures a replication makes: every stage event's audience.
  double exposures = 0;
  for (Step t = 0; t <= 52; ++t) {
    for (const StageEvent& e : model.plan().events_at(t)) exposures += static_cast<double>(model.plan().messages()[e.message].audience.size());
  }
  auto kernel = model.make_kernel();
  Trajectory trajectory(model.metric_names().size(), 52);
  Replication r = 0;
  for (auto _ : state) kernel->simulate(r++, trajectory);
  const auto reps = static_cast<double>(state.iterations());
  state.counters["replications/s"] = benchmark::Counter(reps, benchmark::Counter::kIsRate);
  state.counters["exposures/s"] = benchmark::Counter(reps * exposures, benchmark::Counter::kIsRate);
  state.counters["exposures"] = exposures;
}

BENCHMARK(BM_BuildEcosystem)->Apply(ecosystem_sizes);
BENCHMARK(BM_EcosystemCampaign)->Apply([](benchmark::internal::Benchmark* b) {
  for (std::int64_t wom : {0, 1}) b->Args({10'000, 1'000, 10, wom})->Args({1'000'000, 100'000, 1'000, wom});
  b->ArgNames({"people", "partners", "followers", "wom"})->Unit(benchmark::kMillisecond)->UseRealTime();
});

}  // namespace
}  // namespace campaign
