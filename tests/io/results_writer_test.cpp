#include "io/results_writer.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/version.h"
#include "io/hdf5_file.h"
#include "support/temp_dir.h"

namespace campaign {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> METRICS = {"newly_adopted", "total_adopted", "active"};

class ResultsWriterTest : public campaign::testing::TempDirTest {
 protected:
  std::vector<std::string> directory_listing() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir_)) names.push_back(entry.path().filename());
    std::sort(names.begin(), names.end());
    return names;
  }

};

// A small diffusion-like trajectory: replication r, step t.
Trajectory make_trajectory(std::uint64_t r, std::uint32_t steps) {
  Trajectory t(METRICS.size(), steps);
  double total = 0;
  for (std::uint32_t s = 0; s <= steps; ++s) {
    const double fresh = static_cast<double>((r * 7 + s * 3) % 11);
    total += fresh;
    t.at(0, s) = fresh;
    t.at(1, s) = total;
    t.at(2, s) = fresh;
  }
  return t;
}

ScenarioHeader make_header(const std::string& name, std::uint64_t replications,
                           std::uint32_t steps, bool save) {
  ScenarioHeader h;
  h.name = name;
  h.config_toml = "[run]\nname = \"" + name + "\"\nreplications = " +
                  std::to_string(replications) + "\n";
  h.seed = 0xFEDCBA9876543210u;
  h.replications = replications;
  h.steps = steps;
  h.metric_names = METRICS;
  h.save_trajectories = save;
  return h;
}

// Writes one scenario through the writer, trajectories in blocks of 3 replications.
RunAccumulator write_scenario(ResultsWriter& w, const ScenarioHeader& h) {
  w.begin_scenario(h);
  RunAccumulator acc(h.metric_names, h.steps);
  std::vector<Trajectory> block;
  std::uint64_t first = 0;
  for (std::uint64_t r = 0; r < h.replications; ++r) {
    block.push_back(make_trajectory(r, h.steps));
    acc.add(block.back());
    if (block.size() == 3 || r + 1 == h.replications) {
      if (h.save_trajectories) w.write_trajectories(first, block);
      first = r + 1;
      block.clear();
    }
  }
  w.write_summary(acc);
  return acc;
}

TEST_F(ResultsWriterTest, CommitWritesTheDocumentedLayout) {
  const std::string out = path("run.h5");
  const ScenarioHeader header = make_header("baseline", 8, 5, true);
  RunAccumulator acc({}, 0);
  {
    ResultsWriter w(out);
    // "<out>.tmp-<pid>-<16 hex digits>": unique even for two processes with one pid.
    const std::string prefix = out + ".tmp-" + std::to_string(::getpid()) + "-";
    ASSERT_EQ(w.temp_path().rfind(prefix, 0), 0u) << w.temp_path();
    EXPECT_TRUE(std::regex_match(w.temp_path().substr(prefix.size()), std::regex("[0-9a-f]{16}")))
        << w.temp_path();
    EXPECT_TRUE(fs::exists(w.temp_path()));
    EXPECT_FALSE(fs::exists(out));
    acc = write_scenario(w, header);
    w.commit();
    EXPECT_TRUE(fs::exists(out));
    EXPECT_FALSE(fs::exists(w.temp_path()));
  }
  EXPECT_EQ(directory_listing(), std::vector<std::string>{"run.h5"});

  h5::File f = h5::File::open_read_only(out);
  EXPECT_EQ(f.read_string_attribute("file_type"), "campaign-sim results");
  EXPECT_EQ(f.read_int_attribute("schema_version"), RESULTS_SCHEMA_VERSION);
  EXPECT_EQ(f.read_string_attribute("engine_version"), ENGINE_VERSION);
  EXPECT_TRUE(std::regex_match(f.read_string_attribute("created_utc"),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
  EXPECT_EQ(f.member_names(), std::vector<std::string>{"scenarios"});

  h5::Group s = f.open_group("scenarios").open_group("baseline");
  EXPECT_EQ(s.path(), "/scenarios/baseline");
  EXPECT_EQ(s.read_string_attribute("config_toml"), header.config_toml);
  EXPECT_EQ(s.read_uint_attribute("seed"), header.seed);
  EXPECT_EQ(s.read_uint_attribute("replications"), 8u);
  EXPECT_EQ(s.read_uint_attribute("steps"), 5u);
  EXPECT_EQ(s.read_string_attribute("metrics"), "newly_adopted,total_adopted,active");
  EXPECT_NE(s.read_string_attribute("step_index").find("index 0"), std::string::npos);
  EXPECT_EQ(s.member_names(), (std::vector<std::string>{"finals", "series", "trajectories"}));

  // The series: one table per metric, stacked in the order of the `metrics` attribute.
  EXPECT_EQ(s.table_columns("series"),
            (std::vector<std::string>{"mean", "sd", "p05", "p50", "p95", "ci95_lo", "ci95_hi"}));
  const auto column = [&](const char* name, std::size_t m) {
    const std::vector<double> all = s.read_column("series", name);
    EXPECT_EQ(all.size(), METRICS.size() * 6);
    return std::vector<double>(all.begin() + static_cast<std::ptrdiff_t>(6 * m),
                               all.begin() + static_cast<std::ptrdiff_t>(6 * (m + 1)));
  };
  for (std::size_t m = 0; m < METRICS.size(); ++m) {
    const SeriesSummary expected = acc.series(m);
    EXPECT_EQ(column("mean", m), expected.mean);
    EXPECT_EQ(column("sd", m), expected.sd);
    EXPECT_EQ(column("p05", m), expected.p05);
    EXPECT_EQ(column("p50", m), expected.p50);
    EXPECT_EQ(column("p95", m), expected.p95);
    EXPECT_EQ(column("ci95_lo", m), expected.ci95_lo);
    EXPECT_EQ(column("ci95_hi", m), expected.ci95_hi);
    EXPECT_EQ(s.read_column("finals", METRICS[m]), acc.finals(m));

    const h5::Matrix traj = s.open_group("trajectories").read_matrix(METRICS[m]);
    ASSERT_EQ(traj.rows, 8u);
    ASSERT_EQ(traj.columns, 6u);
    for (std::uint64_t r = 0; r < 8; ++r) {
      const Trajectory t = make_trajectory(r, 5);
      for (std::uint32_t step = 0; step <= 5; ++step) {
        EXPECT_EQ(traj.values[r * 6 + step], t.at(m, step)) << METRICS[m] << " " << r;
      }
      EXPECT_EQ(traj.values[r * 6 + 5], acc.finals(m)[r]);
    }
  }
}

TEST_F(ResultsWriterTest, TwoScenariosWithoutTrajectories) {
  const std::string out = path("two.h5");
  {
    ResultsWriter w(out);
    write_scenario(w, make_header("a", 4, 2, false));
    write_scenario(w, make_header("b", 5, 3, false));
    EXPECT_THROW(w.begin_scenario(make_header("a", 1, 1, false)), IoError);  // duplicate
    w.commit();
  }
  h5::File f = h5::File::open_read_only(out);
  EXPECT_EQ(f.open_group("scenarios").member_names(), (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(f.open_group("scenarios").open_group("a").exists("trajectories"));
  EXPECT_EQ(f.open_group("scenarios").open_group("b").read_column("finals", "active").size(), 5u);
}

TEST_F(ResultsWriterTest, TrajectoriesAcrossBandsAndBlocks) {
  // 150 replications are bands of 64, 64 and 22 rows; blocks of 3 straddle them.
  const std::string out = path("bands.h5");
  {
    ResultsWriter w(out);
    write_scenario(w, make_header("s", 150, 5, true));
    w.commit();
  }
  const h5::File f = h5::File::open_read_only(out);
  const h5::Group s = f.open_group("scenarios").open_group("s");
  for (std::size_t m = 0; m < METRICS.size(); ++m) {
    const h5::Matrix traj = s.open_group("trajectories").read_matrix(METRICS[m]);
    ASSERT_EQ(traj.rows, 150u);
    std::vector<double> expected;
    for (std::uint64_t r = 0; r < 150; ++r) {
      const Trajectory t = make_trajectory(r, 5);
      expected.insert(expected.end(), t.metric(m).begin(), t.metric(m).end());
    }
    EXPECT_EQ(traj.values, expected) << METRICS[m];
    EXPECT_EQ(s.open_group("trajectories").layout(METRICS[m]).chunk,
              (std::vector<std::uint64_t>{64, 6}));
  }
}

TEST_F(ResultsWriterTest, DerivedFinalsFollowTheMetricsInOneTable) {
  const std::string out = path("derived.h5");
  const ScenarioHeader h = make_header("d", 4, 2, false);
  {
    ResultsWriter w(out);
    w.begin_scenario(h);
    RunAccumulator acc(h.metric_names, h.steps);
    for (std::uint64_t r = 0; r < 4; ++r) acc.add(make_trajectory(r, 2));
    // A name already taken by a metric is refused, and writes nothing.
    EXPECT_THROW(w.write_summary(acc, {{"active", {1, 2, 3, 4}}}), std::logic_error);
    EXPECT_THROW(w.write_summary(acc, {{"ratio", {1, 2}}}), std::logic_error);
    w.write_summary(acc, {{"ratio", {0.5, 1.5, 2.5, 3.5}}});
    w.commit();
  }
  const h5::File f = h5::File::open_read_only(out);
  const h5::Group s = f.open_group("scenarios").open_group("d");
  EXPECT_EQ(s.table_columns("finals"),
            (std::vector<std::string>{"newly_adopted", "total_adopted", "active", "ratio"}));
  EXPECT_EQ(s.read_column("finals", "ratio"), (std::vector<double>{0.5, 1.5, 2.5, 3.5}));
}

TEST_F(ResultsWriterTest, UncommittedLeavesNothing) {
  const std::string out = path("never.h5");
  std::string temp;
  {
    ResultsWriter w(out);
    temp = w.temp_path();
    write_scenario(w, make_header("s", 6, 4, true));
    EXPECT_TRUE(fs::exists(temp));
  }
  EXPECT_FALSE(fs::exists(temp));
  EXPECT_FALSE(fs::exists(out));
  EXPECT_TRUE(directory_listing().empty());
}

TEST_F(ResultsWriterTest, UncommittedKeepsThePreviousFile) {
  const std::string out = path("old.h5");
  { std::ofstream(out) << "previous results"; }
  {
    ResultsWriter w(out);
    write_scenario(w, make_header("s", 2, 2, false));
  }
  std::ifstream in(out);
  std::string content;
  std::getline(in, content);
  EXPECT_EQ(content, "previous results");
  EXPECT_EQ(directory_listing(), std::vector<std::string>{"old.h5"});

  {
    ResultsWriter w(out);  // a committed writer replaces it
    write_scenario(w, make_header("s", 2, 2, false));
    w.commit();
  }
  EXPECT_EQ(h5::File::open_read_only(out).read_string_attribute("file_type"),
            "campaign-sim results");
}

TEST_F(ResultsWriterTest, MissingDirectoryIsAnIoError) {
  const std::string out = path("missing/dir/run.h5");
  try {
    ResultsWriter w(out);
    FAIL() << "created a file in a missing directory";
  } catch (const IoError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot create output file '" + out + "': directory '" +
                                         path("missing/dir") + "' does not exist");
  }
  EXPECT_TRUE(directory_listing().empty());
}

TEST_F(ResultsWriterTest, ParentIsAFileIsAnIoError) {
  { std::ofstream(path("plain")) << "x"; }
  const std::string out = path("plain/run.h5");
  try {
    ResultsWriter w(out);
    FAIL() << "created a file under a regular file";
  } catch (const IoError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot create output file '" + out + "': Not a directory");
  }
}

TEST_F(ResultsWriterTest, OutputIsADirectoryIsAnIoError) {
  fs::create_directory(path("out.h5"));
  try {
    ResultsWriter w(path("out.h5"));
    FAIL() << "accepted a directory as the output file";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("it is a directory"), std::string::npos) << e.what();
  }
  EXPECT_EQ(directory_listing(), std::vector<std::string>{"out.h5"});
}

TEST_F(ResultsWriterTest, UnwritableDirectoryIsAnIoError) {
  std::string out;
  if (::geteuid() == 0) {
    // Directory permissions do not stop root; sysfs refuses new files to everyone.
    if (!fs::is_directory("/sys")) GTEST_SKIP() << "running as root and no /sys";
    out = "/sys/campaign-sim-results.h5";
  } else {
    fs::create_directory(path("locked"));
    fs::permissions(path("locked"), fs::perms::owner_read | fs::perms::owner_exec);
    out = path("locked/run.h5");
  }
  try {
    ResultsWriter w(out);
    FAIL() << "created a file in an unwritable directory";
  } catch (const IoError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot create output file '" + out + "': Permission denied");
  }
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(ResultsWriterTest, MisuseIsALogicError) {
  ResultsWriter w(path("misuse.h5"));
  EXPECT_THROW(w.write_summary(RunAccumulator(METRICS, 2)), std::logic_error);
  EXPECT_THROW(w.begin_scenario(make_header("a/b", 2, 2, false)), InputError);
  EXPECT_THROW(w.begin_scenario(make_header("", 2, 2, false)), InputError);
  w.begin_scenario(make_header("s", 2, 2, false));
  EXPECT_THROW(w.write_trajectories(0, {make_trajectory(0, 2)}), std::logic_error);
  EXPECT_THROW(w.commit(), std::logic_error);  // no summary yet
  RunAccumulator wrong_steps(METRICS, 3);
  EXPECT_THROW(w.write_summary(wrong_steps), std::logic_error);
  RunAccumulator short_run(METRICS, 2);
  short_run.add(make_trajectory(0, 2));
  EXPECT_THROW(w.write_summary(short_run), std::logic_error);  // 1 of 2 replications
  short_run.add(make_trajectory(1, 2));
  w.write_summary(short_run);
  w.commit();
  EXPECT_THROW(w.commit(), std::logic_error);
  EXPECT_TRUE(fs::exists(path("misuse.h5")));
}

TEST_F(ResultsWriterTest, CommitRequiresEveryTrajectory) {
  const std::string out = path("partial.h5");
  {
    ResultsWriter w(out);
    const ScenarioHeader h = make_header("s", 4, 2, true);
    w.begin_scenario(h);
    RunAccumulator acc(h.metric_names, h.steps);
    std::vector<Trajectory> block;
    for (std::uint64_t r = 0; r < 4; ++r) {
      block.push_back(make_trajectory(r, 2));
      acc.add(block.back());
    }
    EXPECT_THROW(w.write_trajectories(1, block), std::logic_error);  // out of order
    w.write_trajectories(0, {block.begin(), block.begin() + 3});
    EXPECT_THROW(w.write_trajectories(3, block), std::invalid_argument);  // past the end
    w.write_summary(acc);
    EXPECT_THROW(w.commit(), std::logic_error);
  }
  EXPECT_TRUE(directory_listing().empty());
}

}  // namespace
}  // namespace campaign
