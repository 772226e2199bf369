// The command line as a user meets it: exit status, one clear line on bad input, and no
// output file created or damaged by a failed run.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "support/temp_dir.h"

namespace {

namespace fs = std::filesystem;

struct Result {
  int status;
  std::string out;
  std::string err;
};

Result run_cli(const std::string& args, const fs::path& dir) {
  const fs::path out = dir / "stdout.txt", err = dir / "stderr.txt";
  const std::string command = std::string(CAMPAIGN_CLI) + " " + args + " >" + out.string() +
                              " 2>" + err.string() + " </dev/null";
  const int raw = std::system(command.c_str());
  auto slurp = [](const fs::path& p) {
    std::ifstream in(p);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  };
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(out), slurp(err)};
}

class Cli : public campaign::testing::TempDirTest {
 protected:
  std::vector<std::string> leftovers() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir_)) {
      const auto name = entry.path().filename().string();
      if (name != "stdout.txt" && name != "stderr.txt" && entry.path().extension() != ".toml" &&
          entry.path().extension() != ".edges") {
        names.push_back(name);
      }
    }
    return names;
  }
};

const char* SMALL =
    "[run]\nreplications = 20\nsteps = 5\n[audience]\nsize = 500\n[graph]\nmean_degree = 4\n";

TEST_F(Cli, VersionAndHelp) {
  auto r = run_cli("--version", dir_);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out.rfind("campaign-sim ", 0), 0u);
  r = run_cli("--help", dir_);
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("campaign-sim run SCENARIO.toml -o OUT.h5"), std::string::npos);
  r = run_cli("run --help", dir_);
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("--save-trajectories"), std::string::npos);
  // Every subcommand: usage on stdout, exit 0, and nothing read or written.
  for (const char* help : {"help", "-h", "run -h", "reference --help", "graph --help", "graph info --help",
                           "graph convert --help", "graph generate --help", "graph info -h"}) {
    r = run_cli(help, dir_);
    EXPECT_EQ(r.status, 0) << help << ": " << r.err;
    EXPECT_NE(r.out.find("campaign-sim"), std::string::npos) << help << ": " << r.out;
    EXPECT_EQ(r.err, "") << help;
  }
  EXPECT_TRUE(leftovers().empty());
}

TEST_F(Cli, RunWritesResultsAndASummary) {
  const auto scenario = write("small.toml", SMALL);
  const auto r = run_cli("run " + scenario.string() + " -o " + (dir_ / "out.h5").string() + " --threads 2", dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir_ / "out.h5"));
  EXPECT_NE(r.out.find("20 replications x 5 days"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("wrote     " + (dir_ / "out.h5").string()), std::string::npos) << r.out;
  EXPECT_EQ(leftovers(), std::vector<std::string>{"out.h5"});
  EXPECT_EQ(r.err, "");  // no progress bar when stderr is not a terminal
}

// The share of writing printed is of the whole command: with a graph that takes longer to
// build than the replications take to run, a share of the replications and writing
// alone would be far larger. The share agrees with the two times printed up to their
// precision (1 ms each, 0.1% of the command).
TEST_F(Cli, WritingShareIsOfTheWholeCommand) {
  const auto scenario = write("big_graph.toml",
                              "[run]\nreplications = 2\nsteps = 1\n[audience]\nsize = 300000\n"
                              "[graph]\nmean_degree = 6\n");
  const auto r = run_cli("run " + scenario.string() + " -o " + (dir_ / "out.h5").string(), dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  std::smatch built, run, wrote;
  ASSERT_TRUE(std::regex_search(r.out, built, std::regex(R"(built in ([0-9.]+) s)"))) << r.out;
  ASSERT_TRUE(std::regex_search(r.out, run, std::regex(R"(threads: ([0-9.]+) s)"))) << r.out;
  ASSERT_TRUE(std::regex_search(
      r.out, wrote,
      std::regex(R"(writing took ([0-9.]+) s, ([0-9.]+)% of the run's ([0-9.]+) s\))")))
      << r.out;
  const double graph = std::stod(built[1]), replications = std::stod(run[1]),
               writing = std::stod(wrote[1]), share = std::stod(wrote[2]),
               command = std::stod(wrote[3]);
  ASSERT_GT(graph, replications) << r.out;  // what the test is about
  EXPECT_GE(command + 0.01, graph + replications + writing) << r.out;
  EXPECT_LE(share, 100.0) << r.out;
  EXPECT_NEAR(share * command / 100.0, writing, 0.001 + 0.0005 * command + 1e-9) << r.out;
}

TEST_F(Cli, QuietPrintsNothing) {
  const auto scenario = write("small.toml", SMALL);
  const auto r = run_cli("run " + scenario.string() + " -o " + (dir_ / "out.h5").string() + " -q", dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "");
}

struct BadRun {
  std::string args;
  int status;
  std::string message;
};

TEST_F(Cli, BadInputGivesOneLineAndLeavesTheOldOutputAlone) {
  const auto scenario = write("small.toml", SMALL);
  write("broken.toml", "[run]\nsteps = [\n");
  const std::string s = scenario.string();
  const std::string out = (dir_ / "out.h5").string();
  const std::vector<BadRun> cases = {
      {"run " + (dir_ / "missing.toml").string() + " -o " + out, 2, "cannot read scenario file"},
      {"run " + (dir_ / "broken.toml").string() + " -o " + out, 2, "broken.toml:2:"},
      {"run " + s + " -o " + out + " --set graph.model=lattice", 2,
       "--set graph.model=lattice: graph.model = \"lattice\" is not allowed; allowed: complete"},
      {"run " + s + " -o " + out + " --set diffusion.transmision=0.2", 2,
       "did you mean diffusion.transmission?"},
      {"run " + s + " -o " + out + " --replications 0", 2,
       "run.replications = 0 is out of range; allowed: 1 .."},
      {"run " + s + " -o " + out + " --threads many", 2, "threads"},
      {"run " + s + " -o " + out + " --frobnicate", 2, "unrecognised option '--frobnicate'"},
      {"run " + s, 2, "missing -o OUT.h5"},
      {"run -o " + out, 2, "missing SCENARIO.toml"},
      {"jump", 2, "unknown command 'jump'"},
      {"run " + s + " -o /nonexistent-dir/out.h5", 1, "cannot create output file"},
      {"run " + s + " -o " + out + " --threads -1", 2, "--threads -1 is not allowed; allowed: 0 (every core) .. 4096"},
      {"run " + s + " -o " + out + " --threads 5000", 2, "--threads 5000 is not allowed"},
      {"run " + s + " -o " + out + " --seed -1", 2, "run.seed = -1 is out of range; allowed: 0 .."},
      {"run " + s + " -o " + out + " --replications 1e3x", 2, "run.replications = 1e3x is not a number"},
      {"run " + s + " -o " + out + " --sweep graph.mean_degree=2 --sweep graph.mean_degree=4", 2,
       "--vary graph.mean_degree: the key is varied twice"},
      {"run " + s + " -o " + out + " --set graph.mean_degree=3 --sweep graph.mean_degree=2,4", 2,
       "--set graph.mean_degree=3: the key is also varied by the design"},
      {"run " + s + " -o " + out + " --set seeding.steps=3", 2, "did you mean run.steps?"},
      {"run " + s + " -o " + (dir_ / "out.csv").string(), 2, "does not fit an HDF5 results file"},
      {"run " + s + " -o " + s, 2, "is the input file"},
      {"graph convert " + (dir_ / "missing.edges").string() + " " + (dir_ / "m.csr").string(), 2,
       "cannot open edge list"},
      {"graph info " + dir_.string(), 2, "is a directory"},
      {"graph frobnicate", 2, "graph: unknown subcommand 'frobnicate'"},
      {"graph", 2, "graph: missing a subcommand"},
      {"graph convert " + s, 2, "graph: missing OUT"},
      {"reference extra", 2, "reference: takes no arguments"},
  };
  for (const auto& c : cases) {
    write("out.h5", "previous results");
    const auto r = run_cli(c.args, dir_);
    EXPECT_EQ(r.status, c.status) << c.args << "\n" << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << "'" << c.message << "' not in " << r.err;
    std::ifstream in(dir_ / "out.h5");
    std::string kept;
    std::getline(in, kept);
    EXPECT_EQ(kept, "previous results") << c.args;
    EXPECT_EQ(leftovers(), std::vector<std::string>{"out.h5"}) << c.args;
  }
}

TEST_F(Cli, SweepWritesOneScenarioPerValueIntoOneFile) {
  const auto scenario = write("small.toml", SMALL);
  const auto r = run_cli("run " + scenario.string() + " -o " + (dir_ / "out.h5").string() +
                             " --sweep diffusion.transmission=0.1,0.3 --sweep graph.mean_degree=2,4 -q",
                         dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(leftovers(), std::vector<std::string>{"out.h5"});
  const auto bad = run_cli("run " + scenario.string() + " -o " + (dir_ / "out2.h5").string() +
                               " --sweep diffusion.transmission=0.1,2",
                           dir_);
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("diffusion.transmission = 2.0 is out of range"), std::string::npos) << bad.err;
  EXPECT_FALSE(fs::exists(dir_ / "out2.h5"));
  const auto twice = run_cli("run " + scenario.string() + " -o " + (dir_ / "out2.h5").string() +
                                 " --sweep diffusion.transmission=0.1,0.1",
                             dir_);
  EXPECT_EQ(twice.status, 2);
  EXPECT_NE(twice.err.find("is listed twice"), std::string::npos) << twice.err;
  // Two spellings of one value are one scenario too.
  for (const char* values : {"diffusion.transmission=0.1,0.10", "run.steps=5,5.0", "run.steps=5,5e0"}) {
    const auto spelled = run_cli("run " + scenario.string() + " -o " + (dir_ / "out2.h5").string() +
                                     " --sweep " + values, dir_);
    EXPECT_EQ(spelled.status, 2) << values;
    EXPECT_NE(spelled.err.find("are the same scenario"), std::string::npos) << spelled.err;
  }
  const auto malformed = run_cli("run " + scenario.string() + " -o " + (dir_ / "out2.h5").string() +
                                     " --sweep diffusion.transmission",
                                 dir_);
  EXPECT_EQ(malformed.status, 2);
  EXPECT_NE(malformed.err.find("expected section.key=v1,v2,... or section.key=lo:hi:n"), std::string::npos) << malformed.err;
}

TEST_F(Cli, EveryShippedScenarioRuns) {
  int count = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(CAMPAIGN_SOURCE_DIR) / "scenarios")) {
    if (entry.path().extension() != ".toml") continue;
    const auto r = run_cli("run " + entry.path().string() + " -o " + (dir_ / "out.h5").string() +
                               " --replications 2 -q",
                           dir_);
    EXPECT_EQ(r.status, 0) << entry.path() << ": " << r.err;
    ++count;
  }
  EXPECT_GE(count, 2);
}

TEST_F(Cli, GraphInfoOnARealNetwork) {
  // SNAP's ca-GrQc (arXiv general relativity collaborations): its largest connected
  // component holds 4,158 people (SNAP's page: largest WCC 4158 nodes).
  const std::filesystem::path net = std::filesystem::path(CAMPAIGN_SOURCE_DIR) / "../shared/data/networks/ca-grqc.edges";
  if (!std::filesystem::exists(net)) GTEST_SKIP() << "no " << net << ": the shared networks are not beside the project";
  const auto r = run_cli("graph info " + net.string(), dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("components  354; the largest holds 4158 people (79.3%)"), std::string::npos) << r.out;
}

TEST_F(Cli, GraphConvertMakesABinaryCacheThatRunsTheSame) {
  write("net.edges", "# ring with a chord\n10 20\n20 30\n30 40\n40 10\n10 30\n");
  auto r = run_cli("graph convert " + (dir_ / "net.edges").string() + " " + (dir_ / "net.csr").string(), dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("4 people, 5 edges"), std::string::npos) << r.out;
  r = run_cli("graph info " + (dir_ / "net.csr").string(), dir_);
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("4 people, 5 edges, mean degree 2.50, max degree 3, 0 isolated"), std::string::npos) << r.out;
  // Degrees 3, 2, 3, 2: mean 2.5, mean square 6.5, T_c = 2.5 / (6.5 - 2.5) = 0.625.
  EXPECT_NE(r.out.find("degrees     min 2, median 2, p90 3, p99 3, max 3; mean 2.50, mean square 6.50"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("components  1; the largest holds 4 people (100.0%)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("T_c = <k>/(<k^2> - <k>) = 0.625"), std::string::npos) << r.out;
  r = run_cli("graph info --json " + (dir_ / "net.csr").string(), dir_);
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("\"people\": 4, \"edges\": 5, \"degree\": {\"min\": 2, \"p50\": 2, \"p90\": 3, \"p99\": 3, "
                       "\"max\": 3, \"mean\": 2.5, \"mean_square\": 6.5}, \"isolated\": 0, \"components\": 1, "
                       "\"largest_component\": 4, \"largest_component_share\": 1, \"epidemic_threshold\": 0.625"),
            std::string::npos)
      << r.out;
  const auto text = write("text.toml", "[run]\nreplications = 30\nsteps = 4\n[graph]\nmodel = \"edge_list\"\npath = \"net.edges\"\n[diffusion]\ntransmission = 0.5\n");
  const auto binary = write("binary.toml", "[run]\nname = \"text\"\nreplications = 30\nsteps = 4\n[graph]\nmodel = \"edge_list\"\npath = \"net.csr\"\n[diffusion]\ntransmission = 0.5\n");
  ASSERT_EQ(run_cli("run " + text.string() + " -o " + (dir_ / "a.h5").string() + " -q", dir_).status, 0);
  ASSERT_EQ(run_cli("run " + binary.string() + " -o " + (dir_ / "b.h5").string() + " -q", dir_).status, 0);
  r = run_cli("graph info " + (dir_ / "missing.csr").string(), dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("cannot open edge list"), std::string::npos) << r.err;
}

TEST_F(Cli, BadEdgeListNamesTheLine) {
  write("net.edges", "# comment\n0 1\n1 two\n");
  const auto scenario = write("net.toml", "[graph]\nmodel = \"edge_list\"\npath = \"net.edges\"\n");
  const auto r = run_cli("run " + scenario.string() + " -o " + (dir_ / "out.h5").string(), dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("net.edges:3:"), std::string::npos) << r.err;
  EXPECT_TRUE(leftovers().empty());
}

}  // namespace
