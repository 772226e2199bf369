// Writes a run's results in the documented, versioned layout (docs/hdf5-layout.md).
// The file is written under a unique temporary name beside <out> (io/output_file.h) and
// renamed to <out> only by commit(), so a crash, an error or Ctrl-C never leaves a
// half-written file under the final name; an uncommitted writer removes its temporary
// file on destruction. The caller checks <out> first (checked_output_path).
//
//   ResultsWriter w(out_path);
//   auto scenario = w.begin_scenario(name, resolved_toml, seed, replications, steps, metrics, save_traj);
//   ... scenario.write_trajectories(first_rep, block) ...
//   scenario.write_summary(accumulator);
//   w.commit();
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "io/output_file.h"
#include "results/accumulator.h"

namespace campaign {

inline constexpr std::int64_t RESULTS_SCHEMA_VERSION = 3;

struct ScenarioHeader {
  std::string name;
  std::string config_toml;  // the fully resolved scenario
  std::uint64_t seed = 0;
  std::uint64_t replications = 0;
  std::uint32_t steps = 0;
  std::vector<std::string> metric_names;
  bool save_trajectories = false;
};

class ResultsWriter {
 public:
  explicit ResultsWriter(const std::string& final_path);
  ~ResultsWriter();
  ResultsWriter(const ResultsWriter&) = delete;
  ResultsWriter& operator=(const ResultsWriter&) = delete;

  void begin_scenario(const ScenarioHeader& header);
  // Rows [first_replication, first_replication + trajectories.size()) of
  // /scenarios/<name>/trajectories/<metric>, in order (the first row not yet written
  // first); only when header.save_trajectories. Compresses on the calling thread and on
  // idle TBB workers.
  void write_trajectories(std::uint64_t first_replication,
                          const std::vector<Trajectory>& trajectories);
  // The series tables of all metrics, stacked in one dataset (row m: metric m), and the
  // finals table: a column per metric, then one per derived final.
  void write_summary(const RunAccumulator& accumulator, const std::vector<DerivedFinal>& derived = {});
  void commit();  // close and rename into place

  const std::string& final_path() const { return temp_.final_path(); }
  const std::string& temp_path() const { return temp_.path(); }

 private:
  [[noreturn]] void rethrow_naming_output(const IoError& error) const;
  struct Impl;
  TempFile temp_;  // declared before impl_: the file closes before it is removed
  std::unique_ptr<Impl> impl_;
  bool committed_ = false;
};

}  // namespace campaign
