// A study: the variants of one scenario that a design describes, planned, then run as
// one stream of work units on one oneTBB arena. Every front end is thin over it: `run`
// is a study of one variant, `sweep` of a design's points.
//
// Planning reads the scenario file once, applies each point's values as `--set`
// overrides, validates every variant (a bad value fails before anything runs), names it
// `<run.name>@key=value...`, and gives it a stable id (its position in the design) and a
// content key (a hash of its fully resolved scenario, the replication policy and the
// engine version: the same key means the same results).
//
// Running: variants whose graph is the same (same seed and [audience], [graph] and
// [segments] keys) are run together on one graph, built once. Their work units, blocks
// of consecutive replications, pass through one parallel pipeline: units of the next
// variant start while the last blocks of the previous one still run, so a sweep of many
// small variants keeps every core busy. Models are made in the first stage, which takes
// a campaign's partner ecosystem and media plan from a cache, so variants that draw the
// same ones (a sweep of firm.unit_cost) share them. The accumulating stage is serial and
// in order, so each variant's accumulator takes its replications in replication order
// and every result is bit-identical at any thread count. A last serial stage hands a
// finished variant to the sink (which writes it) while the stages before it go on, and
// then drops it: memory does not grow with the number of variants.
//
// Adaptive replication (ReplicationPolicy::targets): a variant runs replications until,
// at one of its checkpoints (every `check_every` replications from `min_replications`),
// every listed metric's final 95% CI half-width is at most `relative` x |mean|, or it
// reaches `max_replications`. Replication r is always the same replication, so a
// variant that stopped at R is bit-identical to a fixed run of R replications.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "experiment/design.h"
#include "model/model.h"
#include "results/accumulator.h"
#include "scenario/scenario_loader.h"
#include "sim/footprint.h"
#include "sim/graph_factory.h"

namespace campaign {

struct CiTarget {
  std::string metric;
  double relative = 0;  // the half-width's bound, as a share of |mean|
};

struct ReplicationPolicy {
  std::vector<CiTarget> targets;  // empty: every variant runs run.replications
  std::uint64_t min_replications = 10;
  std::uint64_t max_replications = 10000;
  std::uint64_t check_every = 10;  // replications between checkpoints
  bool adaptive() const { return !targets.empty(); }
  std::string describe() const;  // for the content key and the manifest
};

// "customers=0.01,profit=0.05": InputError naming the bad part.
std::vector<CiTarget> parse_ci_targets(const std::string& text);

struct StudyVariant {
  std::int64_t id = 0;              // position in the design
  std::string name;                 // <run.name>@key=value...
  std::vector<std::string> values;  // the design point's values (override texts)
  std::string content_key;          // 16 hex digits
  std::uint64_t graph_key = 0;      // variants with equal keys share a graph
  double peak_bytes = 0;            // the memory estimate's peak
  std::uint64_t replications = 0;   // planned (adaptive: the most it may run)
};

// A named variant of a comparison: a scenario file and its own overrides.
struct VariantSource {
  std::string name;
  std::size_t file = 0;           // index into the study's scenario files
  std::vector<std::string> sets;  // key=value, applied after the study's overrides
};

class Study {
 public:
  // `overrides` apply to every variant; the design's keys must not be among them.
  Study(const std::string& scenario_path, std::vector<std::string> overrides, Design design,
        ReplicationPolicy policy, unsigned threads, bool save_trajectories);
  // Named variants (`compare`): each from one of the files, with its own overrides.
  Study(const std::vector<std::string>& scenario_paths, std::vector<std::string> overrides,
        std::vector<VariantSource> sources, ReplicationPolicy policy, unsigned threads);

  const std::vector<StudyVariant>& variants() const { return variants_; }
  const Design& design() const { return design_; }
  const ReplicationPolicy& policy() const { return policy_; }
  const ScenarioFile& scenario_file() const { return files_.front(); }  // the first
  const std::vector<ScenarioFile>& scenario_files() const { return files_; }
  const std::vector<VariantSource>& sources() const { return sources_; }  // empty: a design's
  const std::vector<std::string>& overrides() const { return overrides_; }
  // The files the variants read (scenario, graph files, partner tables).
  const std::vector<std::string>& inputs() const { return inputs_; }
  // Variant i's scenario, loaded again (plans keep no scenarios: 10,000 variants).
  LoadedScenario load(std::size_t i) const;
  // The same, to run on `graph`, built for its graph key: for an edge list, the audience
  // is the file's people (validated again).
  LoadedScenario load_on(std::size_t i, const CsrGraph& graph) const;
  Footprint footprint(std::size_t i) const;
  // Throws InputError, naming the first difference, unless every variant shares the
  // baseline's graph and seed (what common random numbers pair replications by).
  void require_common_random_numbers(std::size_t baseline) const;
  std::size_t largest() const { return largest_; }  // the variant with the largest peak
  unsigned threads() const { return threads_; }      // each process's worker threads

 private:
  void plan();
  std::vector<ScenarioFile> files_;
  std::vector<std::string> overrides_;
  std::vector<VariantSource> sources_;
  Design design_;
  ReplicationPolicy policy_;
  unsigned threads_;
  bool save_trajectories_;
  std::vector<StudyVariant> variants_;
  std::vector<std::string> inputs_;
  std::size_t largest_ = 0;
};

// What the sink is given when a variant is done. References are valid during the call.
struct FinishedVariant {
  const StudyVariant& variant;
  const Scenario& scenario;  // run.replications = the replications used
  const Model& model;
  const RunAccumulator& accumulator;
  const GraphRecord& graph;
  double seconds = 0;           // from its first unit issued to its last one added
  bool target_reached = true;   // adaptive: false when it stopped at max_replications
  bool piece = false;           // a share of its replications (StudyRunOptions::pieces):
                                // accumulator.piece() holds them; scenario keeps the total
};

struct StudyProgress {
  std::size_t variants_done = 0, variants_total = 0, failures = 0;
  std::uint64_t replications_done = 0;
  // Of the variant whose unit just finished (for a single run's bar).
  std::uint64_t variant_replications_done = 0, variant_replications_planned = 0;
};

// Calls come one at a time (never concurrently), from pipeline threads.
class StudySink {
 public:
  virtual ~StudySink() = default;
  // Before the first replications of a variant reach `finished` (or `trajectories`).
  virtual void started(const StudyVariant&, const Scenario&, const Model&) {}
  virtual void trajectories(const StudyVariant&, std::uint64_t /*first*/,
                            const std::vector<Trajectory>&) {}
  virtual void finished(const FinishedVariant& done) = 0;
  virtual void failed(const StudyVariant& variant, const std::string& message) = 0;
  virtual void progress(const StudyProgress&) {}
  // Graph building: the sink may time it or say it.
  virtual void graph_built(const GraphRecord&) {}
  // Around a variant's model set-up (its partner ecosystem and media plan, drawn or taken
  // from the cache): the sink may say it where it is slow.
  virtual void setting_up(const StudyVariant&, bool /*starts*/) {}
};

// A share of a variant's replications, [first, end), `first` at a chunk boundary
// (results/accumulator.h): shards and ranks may run a variant in pieces.
struct ReplicationRange {
  std::uint64_t first = 0, end = 0;
};

// The last graph a study built, kept for the next study of the same process (the tasks
// of an MPI rank, which mostly run on one graph).
struct GraphCache {
  std::uint64_t key = 0;
  std::shared_ptr<const GraphRecord> graph;
};

struct StudyRunOptions {
  bool fail_fast = false;       // a failure ends the study (rethrown) instead of being recorded
  bool trajectories = false;    // hand every block to sink.trajectories
  std::map<std::size_t, ReplicationRange> pieces;  // variants run in part (never adaptive ones)
  GraphCache* graphs = nullptr;  // where to take and leave the last graph
};

// A shard's share of a study (`--shard I/N`). The work units are each variant's chunks of
// CHUNK_REPLICATIONS replications in variant id order (an adaptive variant is one unit:
// where it stops depends on all its replications); shard I of N takes units
// [I U / N, (I + 1) U / N) of the U. A variant whose units all fall in one shard runs
// whole there; one cut by a shard's edge runs in pieces, one per shard it spans.
struct StudyShare {
  std::vector<std::size_t> variants;               // in id order
  std::map<std::size_t, ReplicationRange> pieces;  // those run in part
  std::uint64_t units = 0, first_unit = 0, end_unit = 0;  // the study's and this shard's
};
StudyShare shard_share(const Study& study, std::uint64_t shard, std::uint64_t shards);

struct StudyRecord {
  std::size_t finished = 0, failed = 0;
  std::uint64_t replications = 0;
  int threads = 0;
  double seconds = 0;
};

// Runs the variants whose indices are in `todo` (in that order within each graph), or
// throws Interrupted once the finished ones are handed over.
StudyRecord run_study(const Study& study, const std::vector<std::size_t>& todo,
                      const StudyRunOptions& options, StudySink& sink);

// The first key whose value differs between two resolved scenarios (TOML texts), with
// both values as text ("(absent)" for a missing key).
struct ScenarioDifference {
  std::string key, first, second;
};
std::optional<ScenarioDifference> first_difference(const std::string& first_toml,
                                                   const std::string& second_toml);

// FNV-1a, 64 bits, as 16 hex digits: content keys and fingerprints.
std::string hash_hex(std::string_view text);

}  // namespace campaign
