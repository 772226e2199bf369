// Reading a results file back (docs/hdf5-layout.md, schema 4): what it holds, for
// `campaign-sim inspect`, and its tables as CSV, for `campaign-sim export`.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "io/hdf5_file.h"

namespace campaign {

struct ScenarioInfo {
  std::string name;
  std::int64_t variant_id = -1;  // -1: a plain run's scenario
  std::string content_key;
  std::uint64_t seed = 0;
  std::int64_t replications = 0, steps = 0;
  std::string model;                     // diffusion.model, from config_toml
  std::vector<std::string> metrics;      // the series' rows
  std::vector<std::string> finals;       // the finals' columns (metrics, then derived)
  bool trajectories = false;
};

struct FailureInfo {
  std::int64_t id = 0;
  std::string name, message;
};

struct SweepInfo {
  std::string design;               // the design as the manifest states it
  std::vector<std::string> keys;    // the varied keys, in column order
  std::size_t variants = 0, done = 0, failed = 0;
  std::vector<FailureInfo> failures;
};

struct CompareInfo {
  std::string baseline, objective, selected;  // selected: only with --select
  bool paired = true;
  std::vector<std::string> tables;  // the tables under /compare, in the documented order
};

struct ResultsInfo {
  std::int64_t schema_version = 0;
  std::string engine_version, created_utc;
  std::vector<ScenarioInfo> scenarios;  // in the file's (name) order
  std::optional<SweepInfo> sweep;
  std::optional<CompareInfo> compare;
};

// InputError when `path` is not a results file of schema 4 (naming what it is).
ResultsInfo read_results_info(const std::string& path);

enum class ExportTable { sweep, finals, series, compare, wins, constraints, selection, seeding_value, seeding_value_replications };

// Writes the table as CSV (RFC 4180; NaN as an empty cell; numbers in their shortest
// exact form): `sweep` is /sweep/table; `finals` a row per scenario and replication;
// `series` a row per scenario, metric and step (long form); `compare`, `wins`,
// `constraints`, `selection`, `seeding_value` and `seeding_value_replications` are
// /compare/summary, /compare/wins, ... of a comparison's file. In a sweep file the rows of finals and series begin with the
// variant's id, name and varied values.
void export_csv(const std::string& path, ExportTable table, std::ostream& out);

}  // namespace campaign
