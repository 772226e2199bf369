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
#include <utility>
#include <vector>

#include "core/error.h"
#include "io/hdf5_file.h"
#include "io/output_file.h"
#include "results/accumulator.h"

namespace campaign {

inline constexpr std::int64_t RESULTS_SCHEMA_VERSION = 4;

inline constexpr std::string_view FACT_PREFIX = "ecosystem_";

struct ScenarioHeader {
  std::string name;
  std::string config_toml;  // the fully resolved scenario
  std::uint64_t seed = 0;
  std::uint64_t replications = 0;
  std::uint32_t steps = 0;
  std::vector<std::string> metric_names;
  bool save_trajectories = false;
  // A study's variant (sweep): its id in the design and its content key; -1 and "" for
  // a plain run.
  std::int64_t variant_id = -1;
  std::string content_key;
  // The model's set-up figures (Model::facts: the campaign's partner ecosystem), each a
  // float64 attribute of the group named FACT_PREFIX + ..., in name order.
  std::vector<std::pair<std::string, double>> facts;
};

// A finished scenario's summary as its group stores it: what write_variant writes and
// read_variant reads back, bit for bit (a sweep's finished variants travel through part
// files as these).
struct VariantResult {
  ScenarioHeader header;
  std::vector<SeriesSummary> series;      // one per metric
  std::vector<std::string> final_names;   // the metrics, then the derived finals
  std::vector<std::vector<double>> finals;  // one column per name, one value per replication
};

VariantResult summarize(const ScenarioHeader& header, const RunAccumulator& accumulator,
                        const std::vector<DerivedFinal>& derived);

// The scenario group `name` of a results file, as written (schema 4).
VariantResult read_variant(const h5::Group& scenarios, const std::string& name);

// A study's tables under /sweep (docs/hdf5-layout.md).
struct StudyTables {
  std::vector<h5::Column> design;    // a row per variant
  std::vector<h5::Column> table;     // the design's columns and the finals' statistics
  std::vector<h5::Column> failures;  // a row per failed variant
  std::string manifest;              // the study's description (TOML), for --resume
};

// A comparison's tables under /compare (docs/hdf5-layout.md).
struct CompareTables {
  std::vector<h5::Column> summary;  // a row per metric and variant
  std::vector<h5::Column> wins;     // a row per metric and ordered pair of variants
  std::string baseline, objective;
  bool paired = true;               // common random numbers (false: --independent)
  std::uint64_t bootstrap_resamples = 0, bootstrap_seed = 0;
  // Sequential selection (--select): a row per variant, and the procedure's figures as
  // attributes of /compare/selection; empty without --select.
  std::vector<h5::Column> constraints;  // --constraint: a row per constraint and variant
  std::vector<h5::Column> selection;
  std::vector<std::pair<std::string, double>> selection_figures;
  std::string selected;
  // --seeding-value: a row per variant (not the baseline) and measure, and a row per
  // variant and replication; empty without it.
  std::vector<h5::Column> seeding_value, seeding_value_replications;
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
  // A whole scenario group at once (begin_scenario and the summary).
  void write_variant(const VariantResult& result);
  void write_study(const StudyTables& tables);
  void write_compare(const CompareTables& tables);
  void commit();  // close and rename into place

  const std::string& final_path() const { return temp_.final_path(); }
  const std::string& temp_path() const { return temp_.path(); }

 private:
  [[noreturn]] void rethrow_naming_output(const IoError& error) const;
  void write_result(const VariantResult& result);
  struct Impl;
  TempFile temp_;  // declared before impl_: the file closes before it is removed
  std::unique_ptr<Impl> impl_;
  bool committed_ = false;
};

}  // namespace campaign
