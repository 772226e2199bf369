#include "sim/footprint.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>

#include "core/error.h"
#include "graph/csr_file.h"
#include "graph/generators.h"
#include "sim/graph_factory.h"
#include "support/simulate.h"
#include "support/temp_dir.h"

namespace campaign {
namespace {

using testing::scenario_from;

double csr_bytes(const CsrGraph& g) { return 8.0 * (g.num_nodes() + 1) + 4.0 * static_cast<double>(g.num_arcs()); }

// Deterministic generators: the estimate is the graph built, to the byte.
TEST(Footprint, RegularGraphsAreExact) {
  for (const char* text : {"[audience]\nsize = 300\n[graph]\nmodel = \"complete\"\n",
                           "[audience]\nsize = 1000\n[graph]\nmodel = \"ring_lattice\"\nk = 4\n",
                           "[audience]\nsize = 2000\n[graph]\nmodel = \"barabasi_albert\"\nm = 3\n"}) {
    LoadedScenario loaded = load_scenario_text(text, "g.toml");
    const GraphEstimate e = estimate_graph(loaded.scenario);
    const GraphRecord built = make_graph(loaded);
    EXPECT_TRUE(e.exact) << text;
    EXPECT_EQ(e.edges, static_cast<double>(built.graph.num_edges())) << text;
    EXPECT_EQ(e.bytes, csr_bytes(built.graph)) << text;
    EXPECT_GE(e.build_bytes, e.bytes) << text;
  }
}

// Random generators: the expected edges, and the graph built lies within 4 sd of it
// (a sum of independent Bernoulli links: sd <= sqrt(expected)).
TEST(Footprint, RandomGraphsAreExpectedValues) {
  for (const char* text :
       {"[audience]\nsize = 20000\n[graph]\nmean_degree = 8\n",
        "[audience]\nsize = 20000\n[graph]\nmodel = \"stochastic_block\"\nblocks = 4\np_in = 0.002\np_out = 0.0001\n",
        "[audience]\nsize = 20000\n[graph]\nmodel = \"watts_strogatz\"\nk = 3\n"}) {
    LoadedScenario loaded = load_scenario_text(text, "g.toml");
    const GraphEstimate e = estimate_graph(loaded.scenario);
    const GraphRecord built = make_graph(loaded);
    EXPECT_NEAR(static_cast<double>(built.graph.num_edges()), e.edges, 4 * std::sqrt(e.edges) + 1) << text;
  }
  // Configuration models lose their self-loops and multi-edges: at most the estimate.
  LoadedScenario poisson = load_scenario_text(
      "[audience]\nsize = 20000\n[graph]\nmodel = \"configuration\"\ndegree_distribution = \"poisson\"\npoisson_mean = 6\n",
      "g.toml");
  const GraphEstimate e = estimate_graph(poisson.scenario);
  EXPECT_NEAR(e.edges, 60000, 1e-9);
  EXPECT_LE(static_cast<double>(make_graph(poisson).graph.num_edges()), e.edges + 4 * std::sqrt(e.edges));
}

using FootprintFile = testing::TempDirTest;

TEST_F(FootprintFile, ACsrFileIsKnownFromItsHeader) {
  const CsrGraph g = erdos_renyi(5000, 0.002, 4);
  write_csr(path("g.csr"), g, {});
  const GraphEstimate e = estimate_graph_file(path("g.csr"));
  EXPECT_TRUE(e.exact);
  EXPECT_EQ(e.people, 5000);
  EXPECT_EQ(e.edges, static_cast<double>(g.num_edges()));
  EXPECT_EQ(e.bytes, csr_bytes(g));
}

// The run's parts grow as the data structures do: statistics with the steps, the
// replication state with the threads.
TEST(Footprint, PartsGrowWithStepsAndThreads) {
  const Scenario s = scenario_from("[run]\nsteps = 100\n[audience]\nsize = 100000\n[graph]\nmean_degree = 4\n");
  Scenario longer = s;
  longer.run.steps = 1000;
  const auto part = [](const Footprint& f, const std::string& what) {
    for (const MemoryPart& p : f.run_parts) {
      if (p.what.rfind(what, 0) == 0) return p.bytes;
    }
    return -1.0;
  };
  const Footprint one = estimate_footprint(s, 1, false), two = estimate_footprint(s, 2, false);
  EXPECT_DOUBLE_EQ(part(two, "replication state"), 2 * part(one, "replication state"));
  // Per step and metric: a cell of moments and a sketch; per replication: the finals.
  const double finals = 8.0 * (3 + 3) * s.run.replications;
  const double cells = part(one, "statistics") - finals;
  const double longer_cells = part(estimate_footprint(longer, 1, false), "statistics") - finals;
  EXPECT_NEAR(longer_cells / cells, 1001.0 / 101.0, 1e-9);
  EXPECT_GT(part(estimate_footprint(s, 1, true), "trajectories"), part(one, "trajectories"));
  EXPECT_EQ(one.peak_bytes, std::max(one.graph.build_bytes, one.run_bytes));
}

TEST(Footprint, CheckFitsNamesTheLimitAndTheKeys) {
  const Scenario s = scenario_from("[audience]\nsize = 1000000\n[graph]\nmean_degree = 20\n");
  const Footprint f = estimate_footprint(s, 2, false);
  EXPECT_NO_THROW(check_fits(f, MemoryLimit{f.peak_bytes, "physical memory"}, "s.toml"));
  try {
    check_fits(f, MemoryLimit{f.peak_bytes / 2, "ulimit -v"}, "s.toml");
    FAIL() << "no refusal";
  } catch (const InputError& e) {
    const std::string message = e.what();
    for (const char* part : {"s.toml: this run needs about", "(ulimit -v)", "audience.size",
                             "graph.mean_degree", "--force"}) {
      EXPECT_NE(message.find(part), std::string::npos) << part << " not in " << message;
    }
  }
}

TEST(Footprint, MemoryLimitIsAtMostThePhysicalMemory) {
  const MemoryLimit limit = memory_limit(2);
  EXPECT_GT(limit.bytes, 0);
  EXPECT_LE(limit.bytes, static_cast<double>(sysconf(_SC_PHYS_PAGES)) * static_cast<double>(sysconf(_SC_PAGESIZE)));
  EXPECT_FALSE(limit.source.empty());
}

TEST(Footprint, BytesReadLikeTheRunSummary) {
  EXPECT_EQ(format_bytes(800), "800 B");
  EXPECT_EQ(format_bytes(37'400), "37.4 kB");
  EXPECT_EQ(format_bytes(6.52e6), "6.5 MB");
  EXPECT_EQ(format_bytes(3.9e9), "3.9 GB");
  EXPECT_EQ(format_bytes(3.4e13), "34.0 TB");
}

}  // namespace
}  // namespace campaign
