#include "scenario/scenario_loader.h"

#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "scenario/key_registry.h"
#include "support/checks.h"

namespace campaign {
namespace {

using testing::error_of;

TEST(ScenarioDefaults, EmptyFileGivesDocumentedDefaults) {
  const Scenario s = load_scenario_text("", "my_run.toml").scenario;
  EXPECT_EQ(s.run.name, "my_run");
  EXPECT_EQ(s.run.replications, 1000u);
  EXPECT_EQ(s.run.steps, 30u);
  EXPECT_EQ(s.audience.size, 10000u);
  EXPECT_EQ(s.graph.model, GraphModel::erdos_renyi);
  EXPECT_DOUBLE_EQ(s.graph.mean_degree, 10.0);
  EXPECT_EQ(s.diffusion.model, DiffusionModel::independent_cascade);
  EXPECT_DOUBLE_EQ(s.diffusion.transmission, 0.1);
  EXPECT_EQ(s.seeding.count, 1u);
}

TEST(ScenarioLoad, FileValuesThenOverridesApply) {
  const std::string text =
      "[run]\nreplications = 20\nseed = 9\n[graph]\nmodel = \"watts_strogatz\"\nk = 3\n"
      "[diffusion]\nmodel = \"network_bass\"\np = 0.02\n[seeding]\nnodes = [4, 1]\n";
  const LoadedScenario loaded =
      load_scenario_text(text, "x.toml", {"run.replications=7", "graph.rewire=0.5",
                                          "run.name=variant-b"});
  const Scenario& s = loaded.scenario;
  EXPECT_EQ(s.run.replications, 7u);
  EXPECT_EQ(s.run.seed, 9u);
  EXPECT_EQ(s.graph.model, GraphModel::watts_strogatz);
  EXPECT_EQ(s.graph.k, 3u);
  EXPECT_DOUBLE_EQ(s.graph.rewire, 0.5);
  EXPECT_EQ(s.diffusion.model, DiffusionModel::network_bass);
  EXPECT_DOUBLE_EQ(s.diffusion.p, 0.02);
  EXPECT_EQ(s.seeding.nodes, (std::vector<std::int64_t>{4, 1}));
  EXPECT_EQ(s.run.name, "variant-b");
  EXPECT_EQ(loaded.origins.where("run.seed"), "x.toml:3");
  EXPECT_EQ(loaded.origins.where("run.replications"), "--set run.replications=7");
}

TEST(ScenarioLoad, ResolvedTomlHasEveryKeyAndReadsBackToTheSameScenario) {
  const Scenario s =
      load_scenario_text("[graph]\nmodel = \"complete\"\n[audience]\nsize = 50\n", "x.toml",
                         {"seeding.nodes=[1,2,3]", "seeding.count=0"})
          .scenario;
  const std::string text = resolved_toml(s);
  const toml::table table = toml::parse(text);
  for (const auto& spec : scenario_keys()) {
    EXPECT_TRUE(table.at_path(spec.key)) << spec.key << " missing from\n" << text;
  }
  const Scenario again = load_scenario_text(text, "x.toml").scenario;
  EXPECT_EQ(resolved_toml(again), text);
}

TEST(ScenarioReference, DocsFileIsUpToDate) {
  std::ifstream in(std::string(CAMPAIGN_SOURCE_DIR) + "/docs/scenario-reference.md");
  ASSERT_TRUE(in) << "docs/scenario-reference.md is missing";
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), scenario_reference_markdown())
      << "regenerate it: build/campaign-sim reference > docs/scenario-reference.md";
}

// Bad input: one line naming the file and line, the key, and what is allowed.
struct BadCase {
  const char* name;
  std::string text;
  std::vector<std::string> overrides;
  std::vector<std::string> expected;  // substrings of the message
};

void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

TEST(ScenarioErrors, ADefaultThatDoesNotFitSaysItIsTheDefault) {
  EXPECT_EQ(error_of("[audience]\nsize = 5\n"),
            "bad.toml (default of graph.mean_degree): graph.mean_degree = 10 is out of range for "
            "audience.size = 5; allowed: (0, 4]");
}

class BadScenario : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadScenario, GivesOneClearLine) {
  const BadCase& c = GetParam();
  const std::string message = error_of(c.text, c.overrides);
  for (const auto& part : c.expected) {
    EXPECT_NE(message.find(part), std::string::npos) << "'" << part << "' not in: " << message;
  }
}

const BadCase BAD_CASES[] = {
    {"UnknownKeySuggestsClosest", "[run]\nsteps = 3\n[graph]\nmean_degre = 4\n", {},
     {"bad.toml:4:", "graph.mean_degre is not a scenario key", "did you mean graph.mean_degree?"}},
    {"UnknownSection", "[grpah]\nmodel = \"complete\"\n", {}, {"bad.toml:1:", "[grpah] is not a scenario section; did you mean [graph]?"}},
    {"KeyOutsideSection", "replications = 5\n", {}, {"bad.toml:1:", "did you mean run.replications?"}},
    {"KeyInWrongSection", "[run]\ntransmission = 0.2\n", {}, {"bad.toml:2:", "did you mean diffusion.transmission?"}},
    {"StringForInteger", "[run]\nreplications = \"many\"\n", {},
     {"bad.toml:2:", "run.replications must be an integer, got a string \"many\""}},
    {"FloatForInteger", "[run]\nsteps = 2.5\n", {}, {"bad.toml:2:", "run.steps must be an integer"}},
    {"ProbabilityAboveOne", "[diffusion]\ntransmission = 1.5\n", {},
     {"bad.toml:2:", "diffusion.transmission = 1.5 is out of range; allowed: [0.0, 1.0]"}},
    {"NegativeSize", "[audience]\nsize = -3\n", {}, {"bad.toml:2:", "audience.size = -3 is out of range; allowed: 1 .."}},
    {"ZeroReplications", "[run]\nreplications = 0\n", {}, {"run.replications = 0 is out of range; allowed: 1 .."}},
    {"UnknownChoice", "[graph]\nmodel = \"smallworld\"\n", {},
     {"bad.toml:2:", "graph.model = \"smallworld\" is not allowed; allowed: complete, ring_lattice", "edge_list"}},
    {"SyntaxError", "[run]\nsteps = \n", {}, {"bad.toml:2:", "TOML syntax error"}},
    {"DuplicateKey", "[run]\nsteps = 3\nsteps = 4\n", {}, {"bad.toml:3:", "TOML syntax error"}},
    {"ListElementType", "[seeding]\ncount = 0\nnodes = [1, \"a\"]\n", {},
     {"bad.toml:3:", "seeding.nodes[1] must be an integer"}},
    {"SeedNotAPerson", "[audience]\nsize = 10\n[graph]\nmean_degree = 3\n[seeding]\ncount = 0\nnodes = [3, 10]\n", {},
     {"bad.toml:7:", "seeding.nodes[1] = 10 is not a person; allowed: 0 .. 9"}},
    {"SeedListedTwice", "[seeding]\ncount = 0\nnodes = [3, 3]\n", {}, {"seeding.nodes[1] = 3 is listed twice"}},
    {"CountAndNodes", "[seeding]\ncount = 2\nnodes = [3]\n", {},
     {"bad.toml:2:", "set either seeding.count or seeding.nodes, not both"}},
    {"MoreSeedsThanPeople", "[audience]\nsize = 10\n[graph]\nmean_degree = 3\n[seeding]\ncount = 11\n", {},
     {"bad.toml:6:", "seeding.count = 11 exceeds audience.size = 10; allowed: 0 .. 10"}},
    {"LatticeTooWide", "[audience]\nsize = 10\n[graph]\nmodel = \"ring_lattice\"\nk = 5\n", {},
     {"bad.toml:5:", "graph.k = 5 needs audience.size > 2k; allowed for size 10: 1 .. 4"}},
    {"BlockSizesDoNotSum", "[audience]\nsize = 10\n[graph]\nmodel = \"stochastic_block\"\nblock_sizes = [4, 5]\n", {},
     {"bad.toml:5:", "graph.block_sizes sum to 9, but audience.size = 10"}},
    {"CompleteGraphTooLarge", "[audience]\nsize = 1000000\n[graph]\nmodel = \"complete\"\n", {},
     {"bad.toml:2:", "too large for graph.model = \"complete\"; allowed: 1 .. 20000"}},
    {"MeanDegreeTooLarge", "[audience]\nsize = 10\n[graph]\nmean_degree = 12\n", {},
     {"bad.toml:4:", "graph.mean_degree = 12 is out of range for audience.size = 10; allowed: (0, 9]"}},
    {"DegreeSequenceLength", "[audience]\nsize = 4\n[graph]\nmodel = \"configuration\"\ndegree_distribution = \"sequence\"\ndegree_sequence = [1, 1]\n", {},
     {"bad.toml:6:", "graph.degree_sequence has 2 entries; it needs one per person (audience.size = 4)"}},
    {"EdgeListWithoutPath", "[graph]\nmodel = \"edge_list\"\n", {}, {"graph.path is empty"}},
    {"NameWithSlash", "[run]\nname = \"a/b\"\n", {}, {"bad.toml:2:", "run.name = \"a/b\" is not allowed"}},
    {"OverrideUnknownKey", "", {"run.stpes=4"}, {"--set run.stpes=4:", "did you mean run.steps?"}},
    {"OverrideWithoutValue", "", {"run.steps"}, {"--set run.steps:", "expected section.key=value"}},
    {"OverrideWrongType", "", {"run.steps=ten"}, {"--set run.steps=ten:", "run.steps = ten is not a number that can be read", "allowed: 1 .. 1000000"}},
    {"KeyInWrongSectionFindsItsSection", "[seeding]\nsteps = 3\n", {}, {"bad.toml:2:", "seeding.steps is not a scenario key", "did you mean run.steps?"}},
    {"ArrayForNumberShowsTheArray", "[diffusion]\ntransmission = [0.1, 0.2]\n", {},
     {"bad.toml:2:", "diffusion.transmission must be a number, got an array [0.1, 0.2]"}},
    {"ArrayForInteger", "[run]\nsteps = [1]\n", {}, {"bad.toml:2:", "run.steps must be an integer, got an array [1]"}},
    {"TableForNumber", "[diffusion]\ntransmission = { a = 1 }\n", {}, {"bad.toml:2:", "must be a number, got a table {a = 1}"}},
    {"NegativeSeed", "", {"run.seed=-1"}, {"--set run.seed=-1:", "run.seed = -1 is out of range; allowed: 0 .. 9223372036854775807"}},
    {"SeedBeyond64Bits", "", {"run.seed=18446744073709551615"},
     {"--set run.seed=18446744073709551615:", "is not a number that can be read", "allowed: 0 .. 9223372036854775807"}},
    {"IntegralNumberBeyondRange", "[run]\nsteps = 1e7\n", {}, {"bad.toml:2:", "run.steps = 10000000 is out of range; allowed: 1 .. 1000000"}},
    {"ControlCharactersEscaped", "[graph]\nmodel = \"er\\u001b[31m\\nx\"\n", {},
     {"bad.toml:2:", "graph.model = \"er\\x1B[31m\\nx\" is not allowed"}},
    {"PriceNearTheDoubleLimit", "[diffusion]\nmodel = \"campaign\"\n[segments]\nprice = [1e308]\n", {},
     {"bad.toml:4:", "segments.price[0] = 1e+308 is out of range; allowed: [0.0, 1e+12]"}},
    {"FixedCostNearTheDoubleLimit", "[firm]\nfixed_cost = 1e308\n", {}, {"bad.toml:2:", "firm.fixed_cost = 1e+308 is out of range; allowed: [0.0, 1e+12]"}},
    {"AgencyBudgetNearTheDoubleLimit", "[agency]\nbudget_per_step = 1e308\n", {}, {"bad.toml:2:", "agency.budget_per_step = 1e+308 is out of range"}},
    {"AgencyBuysMoreLeadsThanSimulated", "[diffusion]\nmodel = \"campaign\"\n[agency]\nbudget_per_step = 1e12\ncost_per_lead = 10\n", {},
     {"bad.toml:4:", "agency.budget_per_step / agency.cost_per_lead = 1e+11 leads per step", "lower agency.budget_per_step"}},
    {"PlanOfTooManyMessages", "[diffusion]\nmodel = \"campaign\"\n[run]\nsteps = 1000\n[media]\nstrategy = \"solo\"\nmessages_per_step = 1000000\n", {},
     {"bad.toml:7:", "media.messages_per_step = 1000000 over 1000 sends is 1e+09 messages", "raise media.cadence"}},
    {"OverrideOutOfRange", "", {"diffusion.q=-0.1"}, {"--set diffusion.q=-0.1:", "allowed: [0.0, 1.0]"}},
};

INSTANTIATE_TEST_SUITE_P(Cases, BadScenario, ::testing::ValuesIn(BAD_CASES),
                         [](const auto& info) { return std::string(info.param.name); });

// Numbers as people type them on a command line: ".5" and "5." for a number key, "1e3"
// (a number with no fractional part) for an integer key; in a file too.
TEST(ScenarioOverrides, NumbersAsPeopleTypeThem) {
  const Scenario s = load_scenario_text("[run]\nreplications = 2e2\n", "ok.toml",
                                        {"diffusion.transmission=.5", "run.steps=1e3", "diffusion.q=-.0",
                                         "diffusion.p=1."})
                         .scenario;
  EXPECT_EQ(s.diffusion.transmission, 0.5);
  EXPECT_EQ(s.run.steps, 1000u);
  EXPECT_EQ(s.run.replications, 200u);
  EXPECT_EQ(s.diffusion.q, 0.0);
  EXPECT_EQ(s.diffusion.p, 1.0);
  // A string key keeps such text as it is.
  EXPECT_EQ(load_scenario_text("", "ok.toml", {"run.name=.5"}).scenario.run.name, ".5");
}

// Every amount of money at its largest allowed value, on the largest audience and the most
// steps: the totals a replication adds up stay finite, and validation accepts it.
TEST(ScenarioValidation, MoneyAtItsLimitsStillValidates) {
  const std::string text =
      "[run]\nsteps = 1000000\n[audience]\nsize = 2000000000\n[diffusion]\nmodel = \"campaign\"\n"
      "[segments]\nprice = [1e12]\n[partners]\ncost = 1e12\n[firm]\nmessage_cost = 1e12\n"
      "fixed_cost = 1e12\nunit_cost = 1e12\n[media]\nbudget = 1e12\nadvertising_cost = 1e12\n"
      "[agency]\nbudget_per_step = 1e12\ncost_per_lead = 1e6\n";
  EXPECT_NO_THROW(load_scenario_text(text, "max.toml"));
}

// A huge unknown name is refused at once, in one short line (the suggestion's edit
// distance is not computed for it).
TEST(ScenarioFile, HugeUnknownNameIsRefusedInOneShortLine) {
  const std::string name(10'000'000, 'x');
  const std::string message = error_of("[" + name + "]\nkey = 1\n");
  EXPECT_NE(message.find("bad.toml:1: [xxx"), std::string::npos) << message.substr(0, 200);
  EXPECT_EQ(message.find("did you mean"), std::string::npos) << message.substr(0, 200);
  EXPECT_LE(message.size(), 300u);
  EXPECT_EQ(message.find('\n'), std::string::npos);
}

TEST(ScenarioFile, MissingFileIsOneLine) {
  try {
    load_scenario_file("/nonexistent/dir/scenario.toml");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(),
                 "/nonexistent/dir/scenario.toml: cannot read scenario file: No such file or directory");
  }
}

TEST(ScenarioFile, DirectoryIsRejected) {
  EXPECT_THROW(load_scenario_file(CAMPAIGN_SOURCE_DIR), InputError);
}

TEST(ScenarioFile, EveryShippedScenarioLoads) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(CAMPAIGN_SOURCE_DIR) + "/scenarios")) {
    if (entry.path().extension() != ".toml") continue;
    EXPECT_NO_THROW(load_scenario_file(entry.path().string())) << entry.path();
    ++count;
  }
  EXPECT_GE(count, 2);
}

}  // namespace
}  // namespace campaign
