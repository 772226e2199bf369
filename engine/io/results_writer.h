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

// The root's file_type: a results file, and a shard's part file (docs/cluster.md), which
// only `campaign-sim merge` reads.
inline constexpr std::string_view RESULTS_FILE_TYPE = "campaign-sim results";
inline constexpr std::string_view SHARD_FILE_TYPE = "campaign-sim shard";

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

// A share of a variant's replications as a shard's part file keeps it, under
// /pieces/<name> (docs/cluster.md): the header (replications: the variant's total), the
// accumulator's piece and the piece's derived finals.
struct VariantPiece {
  ScenarioHeader header;
  std::vector<std::string> derived_names;
  std::vector<std::vector<double>> derived;  // one column per name, one value per replication
  AccumulatorPiece state;
};
VariantPiece read_piece(const h5::Group& pieces, const std::string& name);

// The variant's results from all its pieces, in replication order: bit for bit what the
// variant run whole gives. std::invalid_argument naming the gap or overlap otherwise.
VariantResult join_pieces(const std::vector<VariantPiece>& pieces);

// What a shard's part file says of itself: root attributes, and /shard/failures.
struct ShardRecord {
  std::uint64_t shard = 0, shards = 0;
  std::string command;                 // run, sweep or compare
  std::vector<std::string> arguments;  // the command's, without --shard, -o and the like
  std::string directory;               // where it ran: the arguments' relative paths are from there
  std::string manifest;                // the study's (experiment/study_store.h)
  std::string study;                   // 16 hex digits of command, arguments and manifest
  std::uint64_t units = 0, first_unit = 0, end_unit = 0;
  std::vector<std::int64_t> failed_ids;  // variants that failed in this shard
  std::vector<std::string> failed_names, failed_messages;
};
// InputError when the file is not a shard's part file (IoError when it cannot be read).
ShardRecord read_shard_record(const h5::File& file, const std::string& path);

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
  explicit ResultsWriter(const std::string& final_path, std::string_view file_type = RESULTS_FILE_TYPE);
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
  // A shard's part file (file_type SHARD_FILE_TYPE): pieces, then the record.
  void write_piece(const VariantPiece& piece);
  void write_shard(const ShardRecord& record);
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
