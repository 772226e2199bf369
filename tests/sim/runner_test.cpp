// Reproducibility of parallel runs: thread count, block size, replication independence
// and common random numbers across scenario variants.
#include "sim/runner.h"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <csignal>

#include "core/error.h"
#include "core/interrupt.h"
#include "graph/generators.h"
#include "io/results_writer.h"
#include "support/checks.h"
#include "support/simulate.h"
#include "support/temp_dir.h"

namespace campaign {
namespace {

using testing::expect_identical;

using testing::scenario_from;
using testing::simulate;

const char* CASCADE =
    "[run]\nreplications = 300\nsteps = 25\nseed = 17\n[audience]\nsize = 3000\n"
    "[diffusion]\ntransmission = 0.2\n[seeding]\ncount = 2\n";

TEST(Runner, OneAndTwoThreadsAndAnyBlockSizeGiveBitIdenticalResults) {
  const Scenario s = scenario_from(CASCADE);
  const CsrGraph graph = erdos_renyi(3000, 8.0 / 2999, s.run.seed);
  std::optional<RunAccumulator> one;
  {
    tbb::global_control cap(tbb::global_control::max_allowed_parallelism, 1);
    one.emplace(simulate(s, graph));
  }
  std::optional<RunAccumulator> two;
  {
    tbb::global_control cap(tbb::global_control::max_allowed_parallelism, 2);
    two.emplace(simulate(s, graph, 3));
  }
  expect_identical(*one, *two);
  expect_identical(*one, simulate(s, graph, 64));
  // The cascade did spread, so the comparison is not between empty runs.
  EXPECT_GT(one->series(TOTAL_ADOPTED).mean[25], 100.0);
}

TEST(Runner, AReplicationDoesNotDependOnWhichOthersRun) {
  Scenario s = scenario_from(CASCADE);
  const CsrGraph graph = erdos_renyi(3000, 8.0 / 2999, s.run.seed);
  const RunAccumulator all = simulate(s, graph);
  const auto model = make_model(s, graph);
  for (Replication r : {0u, 41u, 299u}) {
    Trajectory alone(3, s.run.steps);
    model->make_kernel()->simulate(r, alone);
    EXPECT_EQ(alone.at(TOTAL_ADOPTED, s.run.steps), all.finals(TOTAL_ADOPTED)[r]) << r;
  }
}

TEST(Runner, VariantsShareCoinsForTheSamePersonArcAndStep) {
  // Common random numbers: with the same seed and graph, a variant with a larger
  // transmission probability sees the same coin on every arc, so every arc open at
  // T = 0.15 is open at T = 0.25 and each replication's cascade can only grow.
  Scenario low = scenario_from(CASCADE);
  Scenario high = low;
  low.diffusion.transmission = 0.15;
  high.diffusion.transmission = 0.25;
  const CsrGraph graph = erdos_renyi(3000, 8.0 / 2999, low.run.seed);
  const RunAccumulator a = simulate(low, graph), b = simulate(high, graph);
  int strictly_larger = 0;
  for (std::size_t r = 0; r < a.finals(TOTAL_ADOPTED).size(); ++r) {
    ASSERT_LE(a.finals(TOTAL_ADOPTED)[r], b.finals(TOTAL_ADOPTED)[r]) << r;
    strictly_larger += a.finals(TOTAL_ADOPTED)[r] < b.finals(TOTAL_ADOPTED)[r];
  }
  EXPECT_GT(strictly_larger, 0);

  // The same for network Bass: more advertising never means fewer adopters at any step.
  Scenario bass = scenario_from(
      "[run]\nreplications = 50\nsteps = 15\nseed = 2\n[audience]\nsize = 3000\n"
      "[diffusion]\nmodel = \"network_bass\"\np = 0.005\nq = 0.05\n[seeding]\ncount = 0\n");
  Scenario louder = bass;
  louder.diffusion.p = 0.01;
  const RunAccumulator c = simulate(bass, graph), d = simulate(louder, graph);
  for (std::size_t r = 0; r < 50; ++r) {
    ASSERT_LE(c.finals(TOTAL_ADOPTED)[r], d.finals(TOTAL_ADOPTED)[r]) << r;
  }
}

TEST(Runner, AnInterruptRequestStopsWithInterrupted) {
  const Scenario s = scenario_from(CASCADE);
  const CsrGraph graph = erdos_renyi(3000, 8.0 / 2999, s.run.seed);
  const auto model = make_model(s, graph);
  RunAccumulator acc(model->metric_names(), s.run.steps);
  RunOptions options;
  options.replications = s.run.replications;
  options.steps = s.run.steps;
  request_interrupt(SIGTERM);
  try {
    run_replications(*model, options, acc, nullptr);
    ADD_FAILURE() << "the run went on";
  } catch (const Interrupted& e) {
    EXPECT_EQ(e.signal(), SIGTERM);
  }
  reset_interrupt_state();
  EXPECT_LT(acc.replications(), s.run.replications);
}

// Each model's kernel polls the request at every step, so a long replication stops
// within a step, not at the end of its block.
TEST(Runner, EveryKernelStopsAtAStepWhenInterrupted) {
  const CsrGraph graph = erdos_renyi(3000, 8.0 / 2999, 17);
  for (const auto& [model_name, model_kind] : EnumNames<DiffusionModel>::values) {
    Scenario s = scenario_from(CASCADE);
    s.diffusion.model = model_kind;
    const auto model = make_model(s, graph);
    const auto kernel = model->make_kernel();
    Trajectory trajectory(model->metric_names().size(), s.run.steps);
    request_interrupt(SIGINT);
    EXPECT_THROW(kernel->simulate(0, trajectory), Interrupted) << model_name;
    reset_interrupt_state();
    EXPECT_NO_THROW(kernel->simulate(0, trajectory)) << model_name;
  }
}

// A model whose kernel fails at one replication, as a write or an allocation can.
class FailingModel final : public Model {
 public:
  explicit FailingModel(Replication bad) : bad_(bad) {}
  const std::vector<std::string>& metric_names() const override { return names_; }
  std::unique_ptr<ReplicationKernel> make_kernel() const override {
    struct Kernel final : ReplicationKernel {
      Replication bad;
      explicit Kernel(Replication b) : bad(b) {}
      void simulate(Replication r, Trajectory& out) override {
        if (r == bad) throw IoError("replication " + std::to_string(r) + " failed");
        out.at(0, 0) = r;
      }
    };
    return std::make_unique<Kernel>(bad_);
  }

 private:
  Replication bad_;
  std::vector<std::string> names_ = {"x"};
};

TEST(Runner, AFailureInAReplicationIsRethrownAfterTheBlocksInFlightAreDone) {
  // The blocks in flight are destroyed (the sanitizer build would report them leaked
  // otherwise) and the failure reaches the caller as it was thrown, at any thread count.
  for (const int threads : {1, 2}) {
    const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    const FailingModel model(130);
    RunAccumulator acc(model.metric_names(), 3);
    RunOptions options;
    options.replications = 400;
    options.steps = 3;
    options.block_size = 16;
    try {
      run_replications(model, options, acc, nullptr);
      FAIL() << "no failure at " << threads << " threads";
    } catch (const IoError& e) {
      EXPECT_STREQ(e.what(), "replication 130 failed");
    }
    EXPECT_LE(acc.replications(), 128u);  // nothing after the failing block is counted
  }
}

using RunnerFiles = testing::TempDirTest;

TEST_F(RunnerFiles, AFailureInWritingIsRethrownAfterTheBlocksInFlightAreDone) {
  // The trajectories' writer refuses the blocks (its scenario has other steps): the
  // first refusal reaches the caller, and the blocks in flight are destroyed.
  const FailingModel model(1000);  // never fails itself
  ResultsWriter writer(path("t.h5"));
  writer.begin_scenario(ScenarioHeader{"s", "", 1, 400, 5, model.metric_names(), true, -1, ""});
  RunAccumulator acc(model.metric_names(), 3);
  RunOptions options;
  options.replications = 400;
  options.steps = 3;
  options.block_size = 16;
  EXPECT_THROW(run_replications(model, options, acc, &writer), std::invalid_argument);
  EXPECT_EQ(acc.replications(), 16u);  // the first block, added before it was written
}

}  // namespace
}  // namespace campaign
