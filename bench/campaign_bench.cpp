// The full campaign model against the pure cascade on the same graph (bench_graphs.h):
// 200 partners sending triad messages over 52 weekly steps, word of mouth with a buzz
// lifetime of 3 (T = 1 / (2 x degree), so T x degree x lifetime = 1.5), two segments, a funnel with
// limited capacity, stock and support, and a performance agency. One replication per
// iteration, one thread; compare with BM_IndependentCascade at the same size.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "bench_graphs.h"
#include "model/campaign.h"
#include "scenario/scenario_loader.h"

namespace campaign {
namespace {

Scenario campaign_scenario(NodeId n, std::uint32_t degree) {
  return load_scenario_text(fmt::format(R"(
[run]
steps = 52
[audience]
size = {}
[diffusion]
model = "campaign"
[seeding]
count = 0
[segments]
names = ["buyers", "talkers"]
shares = [0.8, 0.2]
propensity = [0.2, 0.0]
talkativeness = [1.0, 2.0]
price = [100.0, 0.0]
repeat_rate = [0.05, 0.0]
[partners]
count = 200
reach_mean = {}
[media]
strategy = "triads"
budget = 1e9
cadence = 1
[word_of_mouth]
transmission = {}
lifetime = 3
[funnel]
capacity = {}
stock = {}
restock_every = 4
restock_amount = {}
support_need = 0.3
support_capacity = {}
[agency]
budget_per_step = 2000
)",
                                        n, n / 200.0, 0.5 / degree, n / 500.0, n / 50.0, n / 100.0,
                                        n / 2000.0),
                            "bench.toml")
      .scenario;
}

void BM_CampaignReplication(benchmark::State& state) {
  const auto n = static_cast<NodeId>(state.range(0));
  const auto degree = static_cast<std::uint32_t>(state.range(1));
  const CsrGraph& graph = bench::er_graph(n, degree);
  const CampaignModel model(graph, campaign_scenario(n, degree));
  auto kernel = model.make_kernel();
  Trajectory trajectory(model.metric_names().size(), 52);
  Replication r = 0;
  double interested = 0;
  for (auto _ : state) {
    kernel->simulate(r++, trajectory);
    interested += trajectory.at(CM_TOTAL_ADOPTED, 52);
  }
  state.counters["replications/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["interested_share"] = interested / state.iterations() / n;
}

BENCHMARK(BM_CampaignReplication)->Apply(bench::sizes);

}  // namespace
}  // namespace campaign

BENCHMARK_MAIN();
