// Exact behaviour of the diffusion kernels on small graphs.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "graph/generators.h"
#include "model/independent_cascade.h"
#include "model/network_bass.h"
#include "model/seeding.h"
#include "support/simulate.h"

namespace campaign {
namespace {

using testing::scenario_from;

CsrGraph path_graph(NodeId n) {
  GraphBuilder builder(n);
  for (NodeId u = 0; u + 1 < n; ++u) builder.add_edge(u, u + 1);
  return std::move(builder).build();
}

Trajectory run_one(const std::string& toml, const CsrGraph& graph, Replication r = 0) {
  const Scenario s = scenario_from(toml);
  const auto model = make_model(s, graph);
  Trajectory out(model->metric_names().size(), s.run.steps);
  model->make_kernel()->simulate(r, out);
  return out;
}

TEST(IndependentCascade, CertainTransmissionAdvancesOneHopPerStep) {
  const auto out = run_one(
      "[run]\nsteps = 6\n[audience]\nsize = 9\n[graph]\nmodel = \"complete\"\n[diffusion]\ntransmission = 1.0\n"
      "[seeding]\ncount = 0\nnodes = [4]\n",
      path_graph(9));
  const double total[] = {1, 3, 5, 7, 9, 9, 9};
  const double newly[] = {1, 2, 2, 2, 2, 0, 0};
  for (Step t = 0; t <= 6; ++t) {
    EXPECT_EQ(out.at(TOTAL_ADOPTED, t), total[t]) << t;
    EXPECT_EQ(out.at(NEWLY_ADOPTED, t), newly[t]) << t;
    EXPECT_EQ(out.at(ACTIVE, t), newly[t]) << t;
  }
}

TEST(IndependentCascade, ZeroTransmissionStaysWithTheSeeds) {
  const auto out = run_one(
      "[run]\nsteps = 3\n[audience]\nsize = 50\n[diffusion]\ntransmission = 0.0\n"
      "[seeding]\ncount = 5\n",
      complete_graph(50));
  EXPECT_EQ(out.at(TOTAL_ADOPTED, 3), 5);
  EXPECT_EQ(out.at(NEWLY_ADOPTED, 1), 0);
}

TEST(IndependentCascade, KernelReuseDoesNotLeakStateBetweenReplications) {
  const std::string toml =
      "[run]\nsteps = 20\n[audience]\nsize = 300\n[diffusion]\ntransmission = 0.3\n";
  const CsrGraph graph = complete_graph(300);
  const Scenario s = scenario_from(toml);
  const auto model = make_model(s, graph);
  auto kernel = model->make_kernel();
  Trajectory first(3, 20), reused(3, 20), fresh(3, 20);
  kernel->simulate(1, first);
  kernel->simulate(2, reused);
  model->make_kernel()->simulate(2, fresh);
  EXPECT_TRUE(std::equal(reused.values().begin(), reused.values().end(), fresh.values().begin()));
}

TEST(NetworkBass, CertainAdvertisingAdoptsEveryoneInOneStep) {
  const auto out = run_one(
      "[run]\nsteps = 2\n[audience]\nsize = 30\n[diffusion]\nmodel = \"network_bass\"\np = 1.0\n"
      "q = 0.0\n[seeding]\ncount = 0\n",
      path_graph(30));
  EXPECT_EQ(out.at(TOTAL_ADOPTED, 0), 0);
  EXPECT_EQ(out.at(TOTAL_ADOPTED, 1), 30);
  EXPECT_EQ(out.at(NEWLY_ADOPTED, 2), 0);
  EXPECT_EQ(out.at(ACTIVE, 2), 30);  // adopters keep talking
}

TEST(NetworkBass, CertainWordOfMouthIsSynchronous) {
  // p = 0, q = 1: adoption spreads exactly one hop per step, because each decision reads
  // the adopted neighbours at the start of the step.
  const auto out = run_one(
      "[run]\nsteps = 3\n[audience]\nsize = 10\n[graph]\nmodel = \"complete\"\n[diffusion]\nmodel = \"network_bass\"\np = 0.0\n"
      "q = 1.0\n[seeding]\ncount = 0\nnodes = [0]\n",
      path_graph(10));
  for (Step t = 0; t <= 3; ++t) EXPECT_EQ(out.at(TOTAL_ADOPTED, t), t + 1.0) << t;
}

// The adoption log (compare --seeding-value): each adopter once, in the step it adopted.
std::vector<Adoption> logged(const std::string& toml, const CsrGraph& graph, Trajectory& out, Replication r = 0) {
  const Scenario s = scenario_from(toml);
  const auto model = make_model(s, graph);
  out = Trajectory(model->metric_names().size(), s.run.steps);
  std::vector<Adoption> log;
  auto kernel = model->make_kernel();
  kernel->log_adoptions(&log);
  kernel->simulate(r, out);
  std::sort(log.begin(), log.end(), [](const Adoption& a, const Adoption& b) { return a.who < b.who; });
  return log;
}

TEST(AdoptionLog, CascadeLogsEachPersonInTheStepItAdopted) {
  Trajectory out(3, 6);
  const auto log = logged(
      "[run]\nsteps = 6\n[audience]\nsize = 9\n[graph]\nmodel = \"complete\"\n[diffusion]\ntransmission = 1.0\n"
      "[seeding]\ncount = 0\nnodes = [4]\n",
      path_graph(9), out);
  ASSERT_EQ(log.size(), 9u);
  for (NodeId v = 0; v < 9; ++v) {
    EXPECT_EQ(log[v].who, v);
    EXPECT_EQ(log[v].step, static_cast<Step>(v > 4 ? v - 4 : 4 - v)) << v;  // one hop per step from 4
  }
}

TEST(AdoptionLog, NetworkBassLogsEachPersonInTheStepItAdopted) {
  Trajectory out(3, 3);
  const auto log = logged(
      "[run]\nsteps = 3\n[audience]\nsize = 10\n[graph]\nmodel = \"complete\"\n[diffusion]\nmodel = \"network_bass\"\n"
      "p = 0.0\nq = 1.0\n[seeding]\ncount = 0\nnodes = [0]\n",
      path_graph(10), out);
  ASSERT_EQ(log.size(), 4u);  // 0 seeded, then one hop per step: 1, 2, 3
  for (NodeId v = 0; v < 4; ++v) {
    EXPECT_EQ(log[v].who, v);
    EXPECT_EQ(log[v].step, static_cast<Step>(v));
  }
}

TEST(AdoptionLog, LoggingLeavesTheRunAsItIsAndCountsItsAdopters) {
  const CsrGraph graph = complete_graph(400);
  for (const char* model : {"independent_cascade", "network_bass"}) {
    const std::string toml = fmt::format(
        "[run]\nsteps = 15\n[audience]\nsize = 400\n[diffusion]\nmodel = \"{}\"\ntransmission = 0.004\n"
        "p = 0.01\nq = 0.1\n[seeding]\ncount = 3\n",
        model);
    for (Replication r = 0; r < 5; ++r) {
      Trajectory with(3, 15);
      const auto log = logged(toml, graph, with, r);
      const Trajectory without = run_one(toml, graph, r);
      EXPECT_TRUE(std::equal(with.values().begin(), with.values().end(), without.values().begin())) << model;
      EXPECT_EQ(static_cast<double>(log.size()), with.at(TOTAL_ADOPTED, 15)) << model << " " << r;
      for (std::size_t i = 1; i < log.size(); ++i) EXPECT_LT(log[i - 1].who, log[i].who) << "each person once";
    }
  }
}

TEST(Seeding, DrawsDistinctPeoplePerReplication) {
  const CounterRng rng(42);
  SeedingSettings seeding;
  seeding.count = 100;
  const auto a = initial_adopters(seeding, 1000, rng, 0);
  const auto b = initial_adopters(seeding, 1000, rng, 1);
  EXPECT_EQ(std::set<NodeId>(a.begin(), a.end()).size(), 100u);
  EXPECT_LT(a.back(), 1000u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a, initial_adopters(seeding, 1000, rng, 0));
  seeding.count = 1000;  // everyone
  EXPECT_EQ(initial_adopters(seeding, 1000, rng, 3).size(), 1000u);
}

TEST(Seeding, UniformOverPeople) {
  // Each person is a seed with probability k/n; over R replications the count of a
  // person is Binomial(R, k/n). Check all counts are within 5 sd (n = 20 people).
  const CounterRng rng(7);
  SeedingSettings seeding;
  seeding.count = 3;
  std::vector<int> hits(20, 0);
  const int R = 20000;
  for (int r = 0; r < R; ++r) {
    for (NodeId v : initial_adopters(seeding, 20, rng, r)) ++hits[v];
  }
  const double p = 3.0 / 20, mean = R * p, sd = std::sqrt(R * p * (1 - p));
  for (int h : hits) EXPECT_LE(std::abs(h - mean), 5 * sd);
}

TEST(Seeding, ListedPeopleAreUsedAsGiven) {
  SeedingSettings seeding;
  seeding.nodes = {7, 2};
  EXPECT_EQ(initial_adopters(seeding, 10, CounterRng(1), 5), (std::vector<NodeId>{2, 7}));
}

}  // namespace
}  // namespace campaign

namespace campaign {
namespace {

TEST(IndependentCascade, KernelAgreesWithSerialVerifierStepByStep) {
  const Scenario s = testing::scenario_from(
      "[run]\nsteps = 12\n[audience]\nsize = 4000\n[diffusion]\ntransmission = 0.18\n"
      "[seeding]\ncount = 3\n");
  const CsrGraph graph = erdos_renyi(4000, 8.0 / 3999, 99);
  const auto model = make_model(s, graph);
  const auto& cascade = dynamic_cast<const IndependentCascade&>(*model);
  auto kernel = model->make_kernel();
  for (Replication r = 0; r < 20; ++r) {
    Trajectory out(3, s.run.steps);
    kernel->simulate(r, out);
    const auto step = reference_cascade(cascade, r);
    for (Step t = 0; t <= s.run.steps; ++t) {
      const auto newly = std::count(step.begin(), step.end(), static_cast<std::int32_t>(t));
      ASSERT_EQ(out.at(NEWLY_ADOPTED, t), static_cast<double>(newly)) << "r " << r << " t " << t;
    }
  }
}

}  // namespace
}  // namespace campaign
