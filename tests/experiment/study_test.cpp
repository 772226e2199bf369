// The study layer: planning (names, ids, content keys, errors before anything runs) and
// running (thread invariance, independence of the variants, graph sharing, failures,
// adaptive replication and its stopping rule, the sink's contract).
#include "experiment/study.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <atomic>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/error.h"
#include "sim/graph_factory.h"
#include "support/checks.h"
#include "support/simulate.h"
#include "support/temp_dir.h"

namespace campaign {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::expect_identical;

// Word of mouth on a small random graph: T x mean degree = 1.2, so cascades often die
// out and often take off, and the finals vary a lot (a good case for adaptive stopping).
const char* CASCADE =
    "[run]\nname = \"wom\"\nreplications = 64\nsteps = 12\nseed = 7\n"
    "[audience]\nsize = 400\n"
    "[graph]\nmodel = \"erdos_renyi\"\nmean_degree = 6\n"
    "[diffusion]\nmodel = \"independent_cascade\"\ntransmission = 0.2\n"
    "[seeding]\ncount = 3\n";

// A small partner-team campaign (scenarios/partner_team_triads.toml, scaled down).
const char* TRIADS =
    "[run]\nname = \"team\"\nreplications = 12\nsteps = 8\nstep_unit = \"week\"\nseed = 2024\n"
    "[audience]\nsize = 300\n"
    "[graph]\nmodel = \"erdos_renyi\"\nmean_degree = 6\n"
    "[diffusion]\nmodel = \"campaign\"\n"
    "[seeding]\ncount = 0\n"
    "[partners]\ncount = 30\nreach_mean = 40\nreach_tail = 2.0\ncredibility = 0.5\ncost = 100\n"
    "cooperation = 0.3\n"
    "[firm]\nreach = 60\nmessage_cost = 300\nunit_cost = 50\n"
    "[media]\nstrategy = \"triads\"\nbudget = 1800\ncadence = 1\n";

// What a sink was given for one finished variant, kept after the call.
struct Done {
  StudyVariant variant;
  Scenario scenario;
  RunAccumulator accumulator;
  bool target_reached = true;
  std::size_t graph_nodes = 0;
  std::uint64_t graph_edges = 0;
};

class CollectingSink : public StudySink {
 public:
  void started(const StudyVariant& v, const Scenario&, const Model&) override {
    const Call call(*this);
    EXPECT_TRUE(started_.insert(v.id).second) << "started twice: " << v.name;
  }
  void trajectories(const StudyVariant& v, std::uint64_t first, const std::vector<Trajectory>& block) override {
    const Call call(*this);
    EXPECT_EQ(started_.count(v.id), 1u) << "trajectories before started: " << v.name;
    auto& finals = trajectory_finals[v.id];
    EXPECT_EQ(first, finals.size()) << "blocks out of order: " << v.name;
    for (const Trajectory& t : block) finals.push_back(t.at(TOTAL_ADOPTED, static_cast<std::uint32_t>(t.num_points() - 1)));
  }
  void finished(const FinishedVariant& f) override {
    const Call call(*this);
    EXPECT_EQ(started_.count(f.variant.id), 1u) << "finished before started: " << f.variant.name;
    EXPECT_EQ(f.scenario.run.replications, f.accumulator.replications());
    EXPECT_EQ(f.scenario.run.name, f.variant.name);
    const bool fresh = done.emplace(f.variant.id, Done{f.variant, f.scenario, f.accumulator, f.target_reached,
                                                       f.graph.graph.num_nodes(), f.graph.graph.num_edges()})
                           .second;
    EXPECT_TRUE(fresh) << "finished twice: " << f.variant.name;
    order.push_back(f.variant.id);
  }
  void failed(const StudyVariant& v, const std::string& message) override {
    const Call call(*this);
    EXPECT_TRUE(failures.emplace(v.id, message).second) << "failed twice: " << v.name;
  }
  void progress(const StudyProgress& p) override {
    const Call call(*this);
    EXPECT_GE(p.variants_done, last_progress.variants_done);
    EXPECT_GE(p.replications_done, last_progress.replications_done);
    last_progress = p;
    ++progress_calls;
  }
  void graph_built(const GraphRecord&) override {
    const Call call(*this);
    ++graphs_built;
  }

  const Done& of(std::int64_t id) const {
    const auto it = done.find(id);
    if (it == done.end()) throw std::logic_error("variant " + std::to_string(id) + " did not finish");
    return it->second;
  }

  std::map<std::int64_t, Done> done;
  std::vector<std::int64_t> order;  // of finishing
  std::map<std::int64_t, std::string> failures;
  std::map<std::int64_t, std::vector<double>> trajectory_finals;  // total_adopted
  StudyProgress last_progress;
  int progress_calls = 0, graphs_built = 0;
  bool overlapped = false;  // two calls were in the sink at once
  StudyRecord record;

 private:
  // Marks a call in progress: "calls come one at a time (never concurrently)".
  struct Call {
    explicit Call(CollectingSink& s) : sink(s) {
      if (sink.inside_.fetch_add(1) != 0) sink.overlapped = true;
    }
    ~Call() { sink.inside_.fetch_sub(1); }
    CollectingSink& sink;
  };
  std::atomic<int> inside_{0};
  std::set<std::int64_t> started_;
};

std::vector<std::size_t> all_of(const Study& study) {
  std::vector<std::size_t> todo(study.variants().size());
  std::iota(todo.begin(), todo.end(), std::size_t{0});
  return todo;
}

// Runs `todo` (default: every variant) with at most `threads` threads: an arena of that
// many (so 4 means 4 even on a 2-core machine) under a global cap.
std::unique_ptr<CollectingSink> run(const Study& study, int threads, StudyRunOptions options = {},
                                    std::optional<std::vector<std::size_t>> todo = {}) {
  auto sink = std::make_unique<CollectingSink>();
  const tbb::global_control cap(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  tbb::task_arena arena(threads);
  arena.execute([&] { sink->record = run_study(study, todo ? *todo : all_of(study), options, *sink); });
  EXPECT_EQ(sink->record.threads, threads);
  EXPECT_FALSE(sink->overlapped) << "sink calls overlapped";
  return sink;
}

Design grid(const std::vector<std::string>& varies) {
  std::vector<Factor> factors;
  for (const auto& v : varies) factors.push_back(parse_factor(v));
  return grid_design(factors);
}

ReplicationPolicy target(const std::string& targets, std::uint64_t min, std::uint64_t max, std::uint64_t every) {
  ReplicationPolicy p;
  p.targets = parse_ci_targets(targets);
  p.min_replications = min;
  p.max_replications = max;
  p.check_every = every;
  return p;
}

// A fresh accumulator fed the first n finals of `metric` (the other metrics and steps
// zero): its final_mean and final_ci_half_width are those of the first n replications,
// since the final step's moments see the same values in the same order.
RunAccumulator prefix_of(const RunAccumulator& acc, std::size_t metric, std::size_t n) {
  RunAccumulator out(acc.metric_names(), acc.steps());
  for (std::size_t r = 0; r < n; ++r) {
    Trajectory t(acc.metric_names().size(), acc.steps());
    t.at(metric, acc.steps()) = acc.finals(metric)[r];
    out.add(t);
  }
  return out;
}

class StudyTest : public testing::TempDirTest {
 protected:
  std::string scenario(const std::string& text = CASCADE, const std::string& name = "base.toml") {
    return write(name, text).string();
  }
};

// --- planning ------------------------------------------------------------------------

TEST_F(StudyTest, VariantsAreNamedByTheirValuesAndNumberedInDesignOrder) {
  const Study study(scenario(), {}, grid({"diffusion.transmission=0.1,0.25", "seeding.count=1,3"}), {}, 1, false);
  ASSERT_EQ(study.variants().size(), 4u);
  const std::vector<std::string> names = {
      "wom@diffusion.transmission=0.1@seeding.count=1", "wom@diffusion.transmission=0.1@seeding.count=3",
      "wom@diffusion.transmission=0.25@seeding.count=1", "wom@diffusion.transmission=0.25@seeding.count=3"};
  for (std::size_t i = 0; i < 4; ++i) {
    const StudyVariant& v = study.variants()[i];
    EXPECT_EQ(v.id, static_cast<std::int64_t>(i));
    EXPECT_EQ(v.name, names[i]);
    EXPECT_EQ(v.values, study.design().points[i]);
    EXPECT_EQ(v.content_key.size(), 16u);
    EXPECT_EQ(v.content_key.find_first_not_of("0123456789abcdef"), std::string::npos) << v.content_key;
    const Scenario s = study.load(i).scenario;
    EXPECT_EQ(s.run.name, names[i]);
    EXPECT_DOUBLE_EQ(s.diffusion.transmission, i < 2 ? 0.1 : 0.25);
    EXPECT_EQ(s.seeding.count, i % 2 == 0 ? 1u : 3u);
  }
}

TEST_F(StudyTest, NamesReplaceCharactersANameCannotHold) {
  std::string text = CASCADE;
  text.erase(text.find("name = \"wom\"\n"), 13);
  const Study study(scenario(text, "my_scenario.toml"), {},
                    grid({"segments.shares=[1.0]", "segments.names=[\"all people\"]"}), {}, 1, false);
  ASSERT_EQ(study.variants().size(), 1u);
  EXPECT_EQ(study.variants()[0].name, "my_scenario@segments.shares=_1.0_@segments.names=__all_people__");
}

TEST_F(StudyTest, ContentKeysDifferBetweenVariantsAndAreStableOnReplanning) {
  const std::string path = scenario();
  const auto plan = [&](const std::vector<std::string>& overrides, ReplicationPolicy policy) {
    return Study(path, overrides, grid({"diffusion.transmission=0.1,0.2,0.3", "seeding.count=1,2"}),
                 std::move(policy), 1, false);
  };
  const Study a = plan({}, {}), b = plan({}, {});
  std::set<std::string> keys;
  for (std::size_t i = 0; i < a.variants().size(); ++i) {
    keys.insert(a.variants()[i].content_key);
    EXPECT_EQ(a.variants()[i].content_key, b.variants()[i].content_key) << i;
    EXPECT_EQ(a.variants()[i].name, b.variants()[i].name) << i;
    EXPECT_EQ(a.variants()[i].graph_key, b.variants()[i].graph_key) << i;
  }
  EXPECT_EQ(keys.size(), a.variants().size());
  // The policy and the shared overrides are part of what the key stands for.
  const Study adaptive = plan({}, target("total_adopted=0.1", 10, 100, 10));
  const Study more = plan({"run.replications=65"}, {});
  for (std::size_t i = 0; i < a.variants().size(); ++i) {
    EXPECT_NE(adaptive.variants()[i].content_key, a.variants()[i].content_key) << i;
    EXPECT_NE(more.variants()[i].content_key, a.variants()[i].content_key) << i;
  }
  // The same variant in another design has the same key: the key is of its scenario.
  const Study alone(path, {}, grid({"diffusion.transmission=0.2", "seeding.count=2"}), {}, 1, false);
  EXPECT_EQ(alone.variants()[0].content_key, a.variants()[3].content_key);
  EXPECT_EQ(alone.variants()[0].name, a.variants()[3].name);
  EXPECT_EQ(alone.variants()[0].id, 0);
}

TEST_F(StudyTest, PlanningErrors) {
  const std::string path = scenario();
  const auto error_of = [&](const std::vector<std::string>& overrides, const std::vector<std::string>& varies) {
    try {
      Study(path, overrides, grid(varies), {}, 1, false);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    ADD_FAILURE() << "no InputError";
    return std::string();
  };
  EXPECT_THAT(error_of({"diffusion.transmission=0.3"}, {"diffusion.transmission=0.1,0.2"}),
              HasSubstr("--set diffusion.transmission=0.3: the key is also varied by the design"));
  // Two spellings of one value are one scenario.
  EXPECT_THAT(error_of({}, {"diffusion.transmission=0.1,0.10"}),
              HasSubstr("the design's points 0 and 1 are the same scenario"));
  // A bad value fails at planning, naming the point.
  const std::string bad = error_of({}, {"diffusion.transmission=0.1,1.5"});
  EXPECT_THAT(bad, StartsWith("design point 1 (grid design): diffusion.transmission=1.5: "));
  EXPECT_THAT(bad, HasSubstr("diffusion.transmission"));
  // Values that differ only in characters a name cannot hold.
  EXPECT_THAT(error_of({}, {"segments.names=[\"a b\"],[\"a_b\"]"}), HasSubstr("two variants are named"));
}

TEST(CiTargets, ParseAndErrors) {
  const std::vector<CiTarget> t = parse_ci_targets("customers=0.01,profit=0.05");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].metric, "customers");
  EXPECT_EQ(t[0].relative, 0.01);
  EXPECT_EQ(t[1].metric, "profit");
  EXPECT_EQ(t[1].relative, 0.05);
  for (const char* bad : {"customers", "customers=0", "customers=1", "customers=-0.1", "=0.1",
                          "customers=0.1,", "customers=0.1x", ""}) {
    EXPECT_THROW(parse_ci_targets(bad), InputError) << bad;
  }
  try {
    parse_ci_targets("customers=0.01,profit=2");
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), StartsWith("--target-ci profit=2: "));
  }
  EXPECT_EQ(target("a=0.1", 5, 50, 5).describe(), "target-ci a=0.1 min=5 max=50 every=5");
  EXPECT_EQ(ReplicationPolicy{}.describe(), "fixed");
}

// --- running -------------------------------------------------------------------------

TEST_F(StudyTest, ResultsAreBitIdenticalAtOneTwoAndFourThreads) {
  const Study study(scenario(), {},
                    grid({"diffusion.transmission=0.1,0.15,0.2,0.3", "seeding.count=1,3", "graph.mean_degree=4,6"}),
                    {}, 4, false);
  const auto one = run(study, 1);
  ASSERT_EQ(one->done.size(), 16u);
  ASSERT_TRUE(one->failures.empty());
  EXPECT_EQ(one->record.finished, 16u);
  EXPECT_EQ(one->record.replications, 16u * 64u);
  EXPECT_EQ(one->last_progress.variants_done, 16u);
  EXPECT_EQ(one->last_progress.variants_total, 16u);
  EXPECT_EQ(one->last_progress.replications_done, 16u * 64u);
  // The comparison is between runs that spread: not between empty accumulators.
  EXPECT_GT(one->of(15).accumulator.final_mean(TOTAL_ADOPTED), 50.0);
  for (int threads : {2, 4}) {
    const auto many = run(study, threads);
    ASSERT_EQ(many->done.size(), 16u) << threads;
    for (const auto& [id, done] : one->done) {
      SCOPED_TRACE(done.variant.name + " at " + std::to_string(threads) + " threads");
      const Done& other = many->of(id);
      EXPECT_EQ(other.variant.content_key, done.variant.content_key);
      EXPECT_EQ(other.accumulator.replications(), 64u);
      expect_identical(done.accumulator, other.accumulator);
    }
  }
}

TEST_F(StudyTest, AVariantGivesWhatARunOfItsScenarioGives) {
  // A point runs as `campaign-sim run --set ...` would: the runner, on the graph of the
  // variant's own scenario.
  const Study study(scenario(), {"run.replications=40"}, grid({"diffusion.transmission=0.15,0.3"}), {}, 2, false);
  const auto sink = run(study, 2);
  for (std::size_t i = 0; i < 2; ++i) {
    LoadedScenario loaded = study.load(i);
    const GraphRecord graph = make_graph(loaded);
    const RunAccumulator direct = testing::simulate(loaded.scenario, graph.graph);
    EXPECT_EQ(direct.replications(), 40u);
    expect_identical(sink->of(static_cast<std::int64_t>(i)).accumulator, direct);
    EXPECT_EQ(sink->of(static_cast<std::int64_t>(i)).graph_edges, graph.graph.num_edges());
  }
}

TEST_F(StudyTest, AVariantDoesNotDependOnWhichOthersShareTheSweep) {
  const std::string path = scenario();
  const Study alone(path, {}, grid({"diffusion.transmission=0.2"}), {}, 2, false);
  const Study sweep(path, {}, grid({"diffusion.transmission=0.05,0.1,0.2,0.35"}), {}, 2, false);
  ASSERT_EQ(sweep.variants()[2].name, alone.variants()[0].name);
  const auto by_itself = run(alone, 2);
  const auto in_sweep = run(sweep, 2);
  const auto subset = run(sweep, 2, {}, std::vector<std::size_t>{3, 2});
  const Done& x = by_itself->of(0);
  expect_identical(x.accumulator, in_sweep->of(2).accumulator);
  expect_identical(x.accumulator, subset->of(2).accumulator);
  expect_identical(in_sweep->of(3).accumulator, subset->of(3).accumulator);
  EXPECT_EQ(subset->done.size(), 2u);
  // The sweep's variants differ from one another (the comparison can fail).
  EXPECT_NE(in_sweep->of(1).accumulator.finals(TOTAL_ADOPTED), x.accumulator.finals(TOTAL_ADOPTED));
  // Variants of one graph finish in `todo` order.
  EXPECT_EQ(subset->order, (std::vector<std::int64_t>{3, 2}));
  EXPECT_EQ(in_sweep->order, (std::vector<std::int64_t>{0, 1, 2, 3}));
}

TEST_F(StudyTest, VariantsWithTheSameGraphShareOneGraph) {
  const Study study(scenario(), {"run.replications=10"},
                    grid({"graph.mean_degree=4,8", "diffusion.transmission=0.1,0.2,0.3"}), {}, 2, false);
  const auto& v = study.variants();
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(v[i].graph_key, v[i < 3 ? 0 : 3].graph_key) << i;
  }
  EXPECT_NE(v[0].graph_key, v[3].graph_key);
  const auto sink = run(study, 2);
  EXPECT_EQ(sink->graphs_built, 2);
  ASSERT_EQ(sink->done.size(), 6u);
  // Each variant ran on its own configuration's graph: about 400 x 4 / 2 or 400 x 8 / 2
  // edges, the same graph within a configuration.
  for (std::int64_t i = 0; i < 6; ++i) {
    EXPECT_EQ(sink->of(i).graph_edges, sink->of(i < 3 ? 0 : 3).graph_edges) << i;
    EXPECT_EQ(sink->of(i).graph_nodes, 400u);
  }
  EXPECT_LT(sink->of(0).graph_edges, 1200u);
  EXPECT_GT(sink->of(3).graph_edges, 1200u);

  // Another seed is another graph; so is another audience; the seeding is not.
  const Study seeds(scenario(), {"run.replications=10"},
                    grid({"run.seed=1,2", "seeding.count=1,2,3"}), {}, 2, false);
  EXPECT_EQ(run(seeds, 2)->graphs_built, 2);
  const Study one_graph(scenario(), {"run.replications=10"}, grid({"seeding.count=1,2,3", "diffusion.transmission=0.1,0.2"}),
                        {}, 2, false);
  EXPECT_EQ(run(one_graph, 2)->graphs_built, 1);
}

TEST_F(StudyTest, AFailingVariantIsReportedAndTheOthersFinish) {
  // With almost no cooperating partners no triad exists: the campaign model's media plan
  // fails when the model is made (an InputError at make_model, after planning).
  const Study study(scenario(TRIADS), {}, grid({"partners.cooperation=0.9,0.0001,0.5"}), {}, 2, false);
  const auto sink = run(study, 2);
  ASSERT_EQ(sink->failures.size(), 1u);
  ASSERT_EQ(sink->failures.count(1), 1u);
  EXPECT_THAT(sink->failures.at(1), HasSubstr("no triad"));
  EXPECT_EQ(sink->done.size(), 2u);
  EXPECT_EQ(sink->of(0).accumulator.replications(), 12u);
  EXPECT_EQ(sink->of(2).accumulator.replications(), 12u);
  EXPECT_EQ(sink->record.finished, 2u);
  EXPECT_EQ(sink->record.failed, 1u);
  EXPECT_EQ(sink->last_progress.failures, 1u);
  EXPECT_EQ(sink->last_progress.variants_done, 3u);

  // fail_fast: the error is rethrown, naming the variant.
  StudyRunOptions fast;
  fast.fail_fast = true;
  CollectingSink fast_sink;
  try {
    run_study(study, all_of(study), fast, fast_sink);
    ADD_FAILURE() << "no error with fail_fast";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), StartsWith("variant team@partners.cooperation=0.0001: "));
    EXPECT_THAT(e.what(), HasSubstr("no triad"));
  }
  EXPECT_TRUE(fast_sink.failures.empty());
}

TEST_F(StudyTest, AGraphThatCannotBeBuiltFailsEveryVariantOnIt) {
  std::string ring;
  for (int i = 0; i < 50; ++i) ring += std::to_string(i) + " " + std::to_string((i + 1) % 50) + "\n";
  // A path given as a value (like --set) is relative to the working directory: absolute here.
  const std::string good = write("ring.txt", ring).string(), broken = write("broken.txt", "0 1\n1 two\n").string();
  const Study study(scenario(), {"run.replications=10", "graph.model=edge_list", "seeding.count=1"},
                    grid({"graph.path=" + good + "," + broken, "diffusion.transmission=0.3,0.6"}), {}, 2, false);
  const auto sink = run(study, 2);
  EXPECT_EQ(sink->graphs_built, 1);
  ASSERT_EQ(sink->done.size(), 2u);
  EXPECT_EQ(sink->of(0).graph_nodes, 50u);
  EXPECT_EQ(sink->of(1).graph_nodes, 50u);
  ASSERT_EQ(sink->failures.size(), 2u);
  for (std::int64_t i : {2, 3}) EXPECT_THAT(sink->failures.at(i), HasSubstr("broken.txt")) << i;
}

TEST_F(StudyTest, TrajectoriesReachTheSinkInReplicationOrder) {
  const Study study(scenario(), {}, grid({"diffusion.transmission=0.15,0.3"}), {}, 2, true);
  StudyRunOptions options;
  options.trajectories = true;
  const auto sink = run(study, 2, options);
  for (std::int64_t i : {0, 1}) {
    EXPECT_EQ(sink->trajectory_finals.at(i), sink->of(i).accumulator.finals(TOTAL_ADOPTED)) << i;
  }
}

// --- adaptive replication ------------------------------------------------------------

TEST_F(StudyTest, AdaptiveVariantIsIdenticalToAFixedRunOfTheReplicationsItUsed) {
  const std::string path = scenario();
  const ReplicationPolicy policy = target("total_adopted=0.1", 10, 2000, 10);
  const Study adaptive(path, {}, grid({"diffusion.transmission=0.18,0.22"}), policy, 2, false);
  const auto sink = run(adaptive, 2);
  ASSERT_EQ(sink->done.size(), 2u);
  for (std::int64_t i : {0, 1}) {
    const Done& a = sink->of(i);
    const std::uint64_t r = a.accumulator.replications();
    SCOPED_TRACE(a.variant.name + " stopped at " + std::to_string(r));
    EXPECT_TRUE(a.target_reached);
    EXPECT_EQ(a.scenario.run.replications, r);
    // Not at the first checkpoint nor at the cap: a real stop (the scenario is chosen so).
    ASSERT_GT(r, 10u);
    ASSERT_LT(r, 2000u);
    EXPECT_EQ((r - 10) % 10, 0u);
    const Study fixed(path, {"run.replications=" + std::to_string(r)},
                      grid({"diffusion.transmission=" + a.variant.values[0]}), {}, 2, false);
    const auto f = run(fixed, 2);
    expect_identical(a.accumulator, f->of(0).accumulator);
  }
}

TEST_F(StudyTest, AdaptiveVariantStopsAtTheFirstCheckpointWhereTheTargetIsMet) {
  // At the stop R the final CI half-width is at most rel x |mean|; at every earlier
  // checkpoint (min, min + every, ..., R - every) it was not.
  const double rel = 0.08;
  const std::uint64_t min = 20, every = 7;
  const Study study(scenario(), {}, grid({"diffusion.transmission=0.16,0.2,0.24"}),
                    target("total_adopted=0.08", min, 5000, every), 2, false);
  const auto sink = run(study, 2);
  ASSERT_EQ(sink->done.size(), 3u);
  for (const auto& [id, done] : sink->done) {
    const RunAccumulator& acc = done.accumulator;
    const std::uint64_t r = acc.replications();
    SCOPED_TRACE(done.variant.name + " stopped at " + std::to_string(r));
    ASSERT_GT(r, min);
    ASSERT_EQ((r - min) % every, 0u);
    EXPECT_LE(acc.final_ci_half_width(TOTAL_ADOPTED), rel * std::abs(acc.final_mean(TOTAL_ADOPTED)));
    for (std::uint64_t n = min; n < r; n += every) {
      const RunAccumulator p = prefix_of(acc, TOTAL_ADOPTED, n);
      EXPECT_GT(p.final_ci_half_width(TOTAL_ADOPTED), rel * std::abs(p.final_mean(TOTAL_ADOPTED))) << "at " << n;
    }
    // prefix_of reproduces the accumulator's own statistics at R.
    const RunAccumulator whole = prefix_of(acc, TOTAL_ADOPTED, r);
    EXPECT_EQ(whole.final_ci_half_width(TOTAL_ADOPTED), acc.final_ci_half_width(TOTAL_ADOPTED));
  }
}

TEST_F(StudyTest, AdaptiveStopsAtTheFirstCheckpointWhenThereIsNoVariance) {
  // T = 0: every replication ends with exactly the 3 seeds, a half-width of 0.
  const Study study(scenario(), {}, grid({"diffusion.transmission=0"}), target("total_adopted=0.01", 15, 100, 10),
                    2, false);
  const auto sink = run(study, 2);
  EXPECT_EQ(sink->of(0).accumulator.replications(), 15u);
  EXPECT_TRUE(sink->of(0).target_reached);
  EXPECT_EQ(sink->of(0).accumulator.final_mean(TOTAL_ADOPTED), 3.0);
}

TEST_F(StudyTest, AdaptiveVariantThatReachesMaxReplicationsReportsTargetNotReached) {
  const Study study(scenario(), {}, grid({"diffusion.transmission=0.2,0"}), target("total_adopted=0.001", 10, 35, 10),
                    2, false);
  const auto sink = run(study, 2);
  const Done& capped = sink->of(0);
  EXPECT_EQ(capped.accumulator.replications(), 35u);
  EXPECT_EQ(capped.scenario.run.replications, 35u);
  EXPECT_FALSE(capped.target_reached);
  EXPECT_TRUE(sink->of(1).target_reached);
  EXPECT_EQ(sink->of(1).accumulator.replications(), 10u);
  // A target met at the checkpoint that is also the cap is reached.
  const Study at_cap(scenario(), {}, grid({"diffusion.transmission=0"}), target("total_adopted=0.001", 10, 10, 10),
                     2, false);
  const auto met = run(at_cap, 2);
  EXPECT_EQ(met->of(0).accumulator.replications(), 10u);
  EXPECT_TRUE(met->of(0).target_reached);
  // The capped run is the fixed run of 35.
  const Study fixed(scenario(), {"run.replications=35"}, grid({"diffusion.transmission=0.2"}), {}, 2, false);
  expect_identical(capped.accumulator, run(fixed, 1)->of(0).accumulator);
}

TEST_F(StudyTest, AdaptiveStopIsTheSameAtAnyThreadCount) {
  const Study study(scenario(), {}, grid({"diffusion.transmission=0.15,0.2,0.25", "seeding.count=2,4"}),
                    target("total_adopted=0.1,active=0.5", 10, 1000, 5), 4, false);
  const auto one = run(study, 1);
  const auto four = run(study, 4);
  ASSERT_EQ(one->done.size(), 6u);
  ASSERT_EQ(four->done.size(), 6u);
  for (const auto& [id, done] : one->done) {
    SCOPED_TRACE(done.variant.name);
    EXPECT_EQ(four->of(id).target_reached, done.target_reached);
    expect_identical(done.accumulator, four->of(id).accumulator);
  }
}

TEST_F(StudyTest, ATargetOnAMetricTheModelLacksIsRefusedBeforeAnythingRuns) {
  try {
    const Study study(scenario(), {}, grid({"diffusion.transmission=0.2"}), target("customers=0.1", 10, 100, 10), 2,
                      false);
    FAIL() << "a target on a metric the model lacks was planned";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("--target-ci customers: not a metric of the independent_cascade model"));
    EXPECT_THAT(e.what(), HasSubstr("total_adopted"));
  }
}

}  // namespace
}  // namespace campaign
