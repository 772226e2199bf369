// What the study front ends (run, sweep, compare) share: the dry run's report, the
// memory check, a variant's results header, and running a study into a results file
// through its part store, with --resume and --overwrite (docs/experiments.md).
#pragma once

#include <tbb/tick_count.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "experiment/selection.h"
#include "experiment/study.h"
#include "experiment/study_store.h"
#include "io/results_writer.h"
#include "sim/footprint.h"

namespace campaign {

// --dry-run: the study's size, its graph and work, and what the largest variant needs.
void print_dry_run(const Study& study, unsigned threads, const MemoryLimit& limit, bool save_trajectories);

// Refuses, before any work, a study whose largest variant does not fit in memory; returns
// the estimate's note for messages.
std::string check_memory(const Study& study, unsigned workers, bool force);

ScenarioHeader header_of(const StudyVariant& variant, const Scenario& s, const Model& model,
                         bool save_trajectories, bool study_variant);

// `--shard I/N`: the study's share I of N into a part file (docs/cluster.md).
struct ShardRun {
  std::uint64_t shard = 0, shards = 1;
  std::vector<std::string> arguments;  // the command's, as the merge runs it again
};

struct StudyFileOptions {
  std::string command;  // "run", "sweep" or "compare", in messages
  std::string out_arg, out_path, manifest, estimate;  // with a shard: its part file
  std::string subject, suffix;  // the first line: "<command> <subject>, N to run<suffix>"
  bool resume = false, overwrite = false, fail_fast = false, quiet = false;
  StudyFileExtras extras;
  std::optional<ShardRun> shard;
  // `campaign-sim merge`: nothing runs; the parts' results (checked by the merge command
  // to be one study's complete shards) go into OUT.
  std::vector<std::string> merge_parts;
  bool plain_run = false;  // `run`: OUT holds the one scenario, without /sweep
  GraphCache* graphs = nullptr;  // the last graph, kept from one task to the next
};

struct StudyFileRun {
  StudyOutcome outcome;
  StudyRecord record;
  tbb::tick_count start;
  double merge_seconds = 0;
  bool writer = true;  // false on the MPI ranks other than 0: rank 0 wrote OUT and prints
};

// A study into OUT through its part store (experiment/study_store.h): every finished
// variant kept at once, --resume and --overwrite as documented in docs/experiments.md,
// then the merge. The front ends print around it.
//
// Under MPI (several ranks), or to resume what an MPI job left: the study is cut into
// tasks, shards of its work units (`OUT.tasks/task-K-of-T.h5`), that the ranks take one
// at a time as they finish the last (cluster::TaskCounter); rank 0 then merges the tasks'
// parts into OUT, as `campaign-sim merge` does. A killed job keeps its finished tasks:
// the same command with --resume, under MPI or not, runs the rest.
StudyFileRun run_into_file(const Study& study, const StudyFileOptions& options);

// `compare --select`: the sequential selection's variants into OUT (experiment/selection.h),
// each with the replications the selection used. Not resumable: an interrupted selection
// keeps nothing. Returns the merge's seconds; `result` gets the selection.
double run_selection_into_file(const Study& study, const StudyFileOptions& options, const std::string& objective,
                               Better better, const SelectionOptions& selection,
                               std::optional<SelectionResult>& result);

}  // namespace campaign
