// `run` and `sweep`: thin front ends to the study layer (experiment/study.h). They parse
// the command line, check the output and the memory, print, and hand the finished
// variants to a results file (run) or to the sweep's part store (sweep).
#include <fmt/format.h>
#include <tbb/global_control.h>
#include <tbb/tick_count.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <variant>

#include <toml++/toml.h>

#include "cli/cluster.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/progress.h"
#include "cli/shards.h"
#include "cli/study_file.h"
#include "core/error.h"
#include "core/interrupt.h"
#include "core/text.h"
#include "experiment/study.h"
#include "experiment/study_store.h"
#include "io/hdf5_file.h"
#include "io/output_file.h"
#include "io/results_writer.h"
#include "results/streaming_stats.h"

namespace campaign {
namespace {

constexpr std::size_t MAX_VARIANTS = 100000;  // a larger design needs --force
constexpr int EXIT_SOME_FAILED = 3;

void print_summary(const Scenario& s, const GraphRecord& graph, const Model& model, double seconds,
                   int threads, const RunAccumulator& acc) {
  const std::string_view unit = name_of(s.run.step_unit);
  const std::uint64_t replications = acc.replications();
  fmt::print("scenario  {} ({})\n", s.run.name, excerpt(s.source, 200));
  fmt::print("graph     {}; built in {:.2f} s\n", graph.description, graph.seconds);
  fmt::print(
      "run       {} replication{} x {} {}{}, {} on {} thread{}: {:.2f} s ({:.1f} replications/s)\n",
      replications, replications == 1 ? "" : "s", s.run.steps, unit, s.run.steps == 1 ? "" : "s",
      name_of(s.diffusion.model), threads, threads == 1 ? "" : "s", seconds,
      seconds > 0 ? static_cast<double>(replications) / seconds : 0.0);
  for (const std::string& line : model.describe()) fmt::print("model     {}\n", line);
  // Headline metrics, where the model has them: final value, mean and spread. The
  // percentiles are exact, from the finals (the stored series' are the sketch's).
  for (const char* headline : {"total_adopted", "customers", "revenue", "profit"}) {
    const auto& names = acc.metric_names();
    const auto it = std::find(names.begin(), names.end(), headline);
    if (it == names.end()) continue;
    const auto m = static_cast<std::size_t>(it - names.begin());
    const double mean = acc.final_mean(m), half = acc.final_ci_half_width(m);
    const std::string share =
        std::string(headline) == "total_adopted"
            ? fmt::format(" ({:.1f}% of people)", 100.0 * mean / std::max<double>(1.0, s.audience.size))
            : "";
    const std::vector<double>& finals = acc.finals(m);
    fmt::print("result    {} after {} {}: mean {:.1f}{}, 95% CI {:.1f} .. {:.1f}; p05 {:.0f}, "
               "p50 {:.0f}, p95 {:.0f}\n",
               headline, unit, s.run.steps, mean, share, mean - half, mean + half,
               nearest_rank_quantile(finals, 0.05), nearest_rank_quantile(finals, 0.50), nearest_rank_quantile(finals, 0.95));
  }
}

// `run`: one scenario into one results file, its trajectories written as they come.
class RunSink final : public StudySink {
 public:
  RunSink(ResultsWriter& writer, bool save_trajectories, bool quiet, int threads)
      : writer_(writer), save_trajectories_(save_trajectories), quiet_(quiet), threads_(threads), progress_(!quiet) {}

  void setting_up(const StudyVariant&, bool starts) override {
    notice_.reset();
    if (starts) notice_.emplace(!quiet_, "drawing the partner ecosystem and the media plan");
  }
  void started(const StudyVariant& v, const Scenario& s, const Model& model) override {
    const auto t = tbb::tick_count::now();
    ScenarioHeader h = header_of(v, s, model, save_trajectories_, false);
    writer_.begin_scenario(h);
    write_seconds += (tbb::tick_count::now() - t).seconds();
  }
  void trajectories(const StudyVariant&, std::uint64_t first, const std::vector<Trajectory>& block) override {
    const auto t = tbb::tick_count::now();
    writer_.write_trajectories(first, block);
    trajectory_seconds += (tbb::tick_count::now() - t).seconds();
  }
  void finished(const FinishedVariant& done) override {
    progress_.finish();
    const auto t = tbb::tick_count::now();
    writer_.write_summary(done.accumulator, done.model.derived_finals(done.accumulator));
    write_seconds += (tbb::tick_count::now() - t).seconds();
    if (!quiet_) print_summary(done.scenario, done.graph, done.model, done.seconds, threads_, done.accumulator);
  }
  void failed(const StudyVariant&, const std::string& message) override { throw InputError(message); }
  void progress(const StudyProgress& p) override {
    progress_.update(p.variant_replications_done, p.variant_replications_planned);
  }
  void stop() { progress_.finish(); }

  double write_seconds = 0, trajectory_seconds = 0;

 private:
  ResultsWriter& writer_;
  bool save_trajectories_, quiet_;
  std::optional<SlowStepNotice> notice_;
  int threads_;
  ProgressBar progress_;
};

// The best and the worst variants by the main metrics (the --target-ci metrics, else a
// campaign's customers and profit, else total_adopted), from the file's /sweep/table.
void print_sweep_extremes(const std::string& out_path, const ReplicationPolicy& policy) {
  const h5::File f = h5::File::open_read_only(out_path);
  const std::vector<h5::Column> table = f.open_group("sweep").read_columns("table");
  auto column = [&](const std::string& name) -> const h5::Column* {
    for (const h5::Column& c : table) {
      if (c.name == name) return &c;
    }
    return nullptr;
  };
  std::vector<std::string> metrics;
  for (const CiTarget& t : policy.targets) metrics.push_back(t.metric);
  if (metrics.empty()) metrics = column("customers_mean") ? std::vector<std::string>{"customers", "profit"}
                                                          : std::vector<std::string>{"total_adopted"};
  for (const std::string& metric : metrics) {
    const h5::Column* mean = column(metric + "_mean");
    const h5::Column* lo = column(metric + "_ci95_lo");
    const h5::Column* hi = column(metric + "_ci95_hi");
    const h5::Column* name = column("name");
    const h5::Column* status = column("status");
    if (!mean || !lo || !hi || !name || !status) continue;
    const auto& means = std::get<std::vector<double>>(mean->values);
    const auto& names = std::get<std::vector<std::string>>(name->values);
    const auto& statuses = std::get<std::vector<std::string>>(status->values);
    std::optional<std::size_t> best, worst;
    for (std::size_t i = 0; i < means.size(); ++i) {
      if (statuses[i] != "done" || std::isnan(means[i])) continue;
      if (!best || means[i] > means[*best]) best = i;
      if (!worst || means[i] < means[*worst]) worst = i;
    }
    if (!best) return;  // no variant finished
    const auto& los = std::get<std::vector<double>>(lo->values);
    const auto& his = std::get<std::vector<double>>(hi->values);
    auto line = [&](const char* label, std::size_t i) {
      fmt::print("{}  {} {}: mean {:.1f}, 95% CI {:.1f} .. {:.1f}\n", label, metric, excerpt(names[i], 120),
                 means[i], los[i], his[i]);
    };
    line("highest ", *best);
    if (*worst != *best) line("lowest  ", *worst);
  }
}

// The replication policy from the options (adaptive when --target-ci is given).
ReplicationPolicy policy_from(const po::variables_map& vm) {
  ReplicationPolicy policy;
  if (!vm.count("target-ci")) {
    if (vm.count("min-reps") || vm.count("max-reps")) {
      throw InputError("--min-reps and --max-reps go with --target-ci");
    }
    return policy;
  }
  if (vm.count("replications")) throw InputError("--replications and --target-ci: give one of them");
  policy.targets = parse_ci_targets(vm["target-ci"].as<std::string>());
  // Signed, so that a negative count is named as given, not wrapped around.
  const std::int64_t min = vm.count("min-reps") ? vm["min-reps"].as<std::int64_t>()
                                                : static_cast<std::int64_t>(policy.min_replications);
  const std::int64_t max = vm.count("max-reps") ? vm["max-reps"].as<std::int64_t>()
                                                : static_cast<std::int64_t>(policy.max_replications);
  if (min < 2 || min > max || max > 100000000) {
    throw InputError(fmt::format("--min-reps {} --max-reps {}: allowed 2 <= min <= max <= 100000000", min, max));
  }
  policy.min_replications = static_cast<std::uint64_t>(min);
  policy.max_replications = static_cast<std::uint64_t>(max);
  policy.check_every = policy.min_replications;
  return policy;
}

// `run --shard I/N` (a share of the replications into a part file) and the merge of
// such parts into the run's file.
int run_shard_or_merge(const Study& study, const ShardMode& mode, const std::string& out_arg, unsigned workers,
                       bool force, bool dry_run, bool quiet) {
  if (out_arg.empty() && !dry_run) throw InputError("run: missing -o OUT.h5 (see campaign-sim run --help)");
  StudyFileOptions o;
  apply_shard_mode(mode, out_arg, study.inputs(), force, o);
  if (dry_run) {
    print_dry_run(study, workers, memory_limit(workers), false);
    return 0;
  }
  o.command = "run";
  o.manifest = study_manifest(study, "run");
  o.estimate = mode.merge_parts.empty() ? check_memory(study, workers, force) : "";
  const LoadedScenario first = study.load(0);
  o.subject = fmt::format("{} ({}), {} replications", first.scenario.run.name, excerpt(first.scenario.source, 200),
                          first.scenario.run.replications);
  // A run replaces its output, and a shard its part; under MPI, a killed job's tasks are
  // continued by the same command.
  std::error_code ec;
  o.resume = !mode.any() && std::filesystem::exists(o.out_path + ".tasks", ec);
  o.overwrite = !o.resume;
  o.fail_fast = true;
  o.quiet = quiet;
  o.plain_run = true;
  const StudyFileRun done = run_into_file(study, o);
  if (!quiet && done.writer) print_shard_or_merge(mode, o, done);
  return 0;
}

}  // namespace

int run_command(const std::vector<std::string>& args) {
  const auto command_start = tbb::tick_count::now();  // the share of writing is of this run
  std::string scenario_path, out_arg, threads_text = "0", replications_text, seed_text;
  std::vector<std::string> overrides, sweeps;
  po::options_description options("campaign-sim run SCENARIO.toml -o OUT.h5 [options]");
  options.add_options()
      ("help,h", "show this help")
      ("output,o", po::value(&out_arg), "results file to write (HDF5: .h5); replaced if it exists")
      ("replications,r", po::value(&replications_text), "number of replications (= --set run.replications=N)")
      ("threads,t", po::value(&threads_text), "worker threads (0, the default: every core)")
      ("seed,s", po::value(&seed_text), "master seed (= --set run.seed=S)")
      ("set", po::value(&overrides)->composing(), "override a scenario key: --set section.key=value (repeatable)")
      ("sweep", po::value(&sweeps)->composing(),
       "shorthand for `campaign-sim sweep ... --vary section.key=v1,v2,... --overwrite --fail-fast` "
       "(see campaign-sim sweep --help)")
      ("save-trajectories", po::bool_switch(), "also store every replication's full trajectory")
      ("dry-run", po::bool_switch(), "print what the run would build and need (people, edges, memory, "
       "work units) and run nothing")
      ("force", po::bool_switch(), "run even when the memory estimate exceeds what is available, and "
       "write OUT even if its extension is not .h5")
      ("quiet,q", po::bool_switch(), "no progress bar and no summary");
  options.add(shard_option());
  const po::options_description merge_from = merge_from_option();
  const std::optional<po::variables_map> parsed =
      parse_command(args, options, "scenario", scenario_path,
                    "Scenario keys: campaign-sim reference (docs/scenario-reference.md)\n", &merge_from);
  if (!parsed) return 0;
  const po::variables_map& vm = *parsed;
  if (!sweeps.empty()) {
    if (vm["save-trajectories"].as<bool>()) {
      throw InputError("--save-trajectories is for a single run: run one variant with --set key=value");
    }
    // The grid case of `sweep`, all at once: the sweep's options, and its output replaced.
    std::vector<std::string> sweep_args;
    for (const std::string& a : args) {
      if (a == "--sweep") {
        sweep_args.push_back("--vary");
      } else if (a.starts_with("--sweep=")) {
        sweep_args.push_back("--vary=" + a.substr(8));
      } else {
        sweep_args.push_back(a);
      }
    }
    if (!vm["dry-run"].as<bool>()) sweep_args.insert(sweep_args.end(), {"--overwrite", "--fail-fast"});
    return sweep_command(sweep_args);
  }
  const bool dry_run = vm["dry-run"].as<bool>();
  const bool force = vm["force"].as<bool>();
  if (scenario_path.empty()) throw InputError("run: missing SCENARIO.toml (see campaign-sim run --help)");
  if (out_arg.empty() && !dry_run) throw InputError("run: missing -o OUT.h5 (see campaign-sim run --help)");
  // Command-line shortcuts are overrides, so they are range-checked and recorded like any key.
  if (vm.count("replications")) overrides.push_back("run.replications=" + replications_text);
  if (vm.count("seed")) overrides.push_back("run.seed=" + seed_text);
  const bool quiet = vm["quiet"].as<bool>();
  const bool save_trajectories = vm["save-trajectories"].as<bool>();
  const unsigned threads = parse_threads(threads_text);
  std::optional<tbb::global_control> thread_cap;
  if (threads > 0) thread_cap.emplace(tbb::global_control::max_allowed_parallelism, threads);
  const unsigned workers = threads_in_use(threads);

  const Study study(scenario_path, overrides, grid_design({}), ReplicationPolicy{}, workers, save_trajectories);
  std::error_code tasks_ec;  // an MPI run's tasks left by a killed job: continued
  if (const ShardMode mode = shard_mode(vm, args);
      mode.any() || cluster::ranks() > 1 ||
      (!out_arg.empty() && std::filesystem::exists(out_arg + ".tasks", tasks_ec))) {
    if (save_trajectories) {
      throw InputError("--save-trajectories is for a run in one process: a shard's part keeps statistics, not "
                       "trajectories");
    }
    return run_shard_or_merge(study, mode, out_arg, workers, force, dry_run, quiet);
  }
  // The output is checked before any work: never one of the inputs, a device, a directory.
  const std::string out_path =
      out_arg.empty() ? "" : checked_output_path(out_arg, OutputFormat::hdf5, study.inputs(), force);
  if (dry_run) {
    print_dry_run(study, workers, memory_limit(workers), save_trajectories);
    return 0;
  }
  const std::string estimate = check_memory(study, workers, force);
  // Create the output early, so an unwritable path fails before any simulation.
  const auto create_start = tbb::tick_count::now();
  ResultsWriter writer(out_path);
  const double create_seconds = (tbb::tick_count::now() - create_start).seconds();
  RunSink sink(writer, save_trajectories, quiet, static_cast<int>(workers));
  StudyRunOptions run_options;
  run_options.fail_fast = true;
  run_options.trajectories = save_trajectories;
  try {
    in_phase("running the replications", estimate, [&] { return run_study(study, {0}, run_options, sink); });
  } catch (...) {
    sink.stop();
    throw;
  }
  const auto commit_start = tbb::tick_count::now();
  // From here the file lands whole: a signal no longer stops the command or fails it.
  begin_final_commit();
  in_phase("writing the results", estimate, [] {
    throw_if_interrupted();
    return 0;
  });
  writer.commit();
  const double write_seconds =
      create_seconds + sink.write_seconds + (tbb::tick_count::now() - commit_start).seconds();
  if (!quiet) {
    const std::string trajectories =
        save_trajectories
            ? fmt::format("; trajectories {:.3f} s, alongside the replications", sink.trajectory_seconds)
            : "";
    const double command_seconds = (tbb::tick_count::now() - command_start).seconds();
    std::error_code ec;
    const auto bytes = std::filesystem::file_size(out_path, ec);
    fmt::print("wrote     {} ({}, 1 scenario; writing took {:.3f} s, {:.1f}% of the run's {:.3f} s{})\n",
               excerpt(out_arg, 200), ec ? "?" : format_bytes(static_cast<double>(bytes)), write_seconds,
               100.0 * write_seconds / std::max(1e-9, command_seconds), command_seconds, trajectories);
  }
  return 0;
}

int sweep_command(const std::vector<std::string>& args) {
  std::string scenario_path, out_arg, threads_text = "0", replications_text, seed_text, design_text,
      design_file;
  std::vector<std::string> overrides, varies;
  std::int64_t samples = 0, design_seed = 1;  // signed: a negative value is named, not wrapped
  po::options_description options(
      "campaign-sim sweep SCENARIO.toml -o OUT.h5 [--vary KEY=SPEC]... [options]\n\n"
      "Runs one variant of the scenario per design point into OUT.h5 (docs/experiments.md).\n"
      "SPEC: v1,v2,... (values), lo:hi:n or lo:hi:n:log (n levels), lo:hi or lo:hi:log (a range,\n"
      "for --design lhs|sobol|random). The design may also be a [sweep] table in the scenario\n"
      "file; these options replace its parts");
  options.add_options()
      ("help,h", "show this help")
      ("output,o", po::value(&out_arg), "results file to write (HDF5: .h5); never replaced without "
       "--overwrite or --resume")
      ("vary", po::value(&varies)->composing(), "a key and its values or range (repeatable, one key each)")
      ("design", po::value(&design_text), "grid (every combination; the default), lhs, sobol or random")
      ("samples,n", po::value(&samples), "points of an lhs, sobol or random design")
      ("design-seed", po::value(&design_seed), "seed of a sampled design's points (default 1)")
      ("design-file", po::value(&design_file), "the points from a CSV file: a column per key, a row per point")
      ("replications,r", po::value(&replications_text), "replications per variant (= --set run.replications=N)")
      ("target-ci", po::value<std::string>(), "adaptive replications: METRIC=REL[,...]: run each variant "
       "until its final 95% CI half-width is at most REL x |mean| for every METRIC")
      ("min-reps", po::value<std::int64_t>(), "with --target-ci: replications before the first check, and "
       "between checks (default 10)")
      ("max-reps", po::value<std::int64_t>(), "with --target-ci: the most replications a variant runs "
       "(default 10000)")
      ("set", po::value(&overrides)->composing(), "override a scenario key in every variant (repeatable)")
      ("seed,s", po::value(&seed_text), "master seed (= --set run.seed=S), shared by every variant")
      ("threads,t", po::value(&threads_text), "worker threads (0, the default: every core)")
      ("resume", po::bool_switch(), "continue an interrupted sweep (or grow a sobol or random one): run only "
       "the variants not yet finished")
      ("overwrite", po::bool_switch(), "replace OUT.h5 and start again")
      ("fail-fast", po::bool_switch(), "stop at the first variant that fails (default: record it and go on)")
      ("dry-run", po::bool_switch(), "print the design's size and what the largest variant needs; run nothing")
      ("force", po::bool_switch(), "run when the memory estimate exceeds what is available, more than "
       "100000 variants, or OUT without the .h5 extension")
      ("quiet,q", po::bool_switch(), "no progress and no summary");
  options.add(shard_option());
  const po::options_description merge_from = merge_from_option();
  const std::optional<po::variables_map> parsed =
      parse_command(args, options, "scenario", scenario_path, "", &merge_from);
  if (!parsed) return 0;
  const po::variables_map& vm = *parsed;
  const bool dry_run = vm["dry-run"].as<bool>(), force = vm["force"].as<bool>();
  const bool resume = vm["resume"].as<bool>(), overwrite = vm["overwrite"].as<bool>();
  const bool quiet = vm["quiet"].as<bool>();
  if (scenario_path.empty()) throw InputError("sweep: missing SCENARIO.toml (see campaign-sim sweep --help)");
  if (out_arg.empty() && !dry_run) throw InputError("sweep: missing -o OUT.h5 (see campaign-sim sweep --help)");
  if (resume && overwrite) throw InputError("--resume and --overwrite: give one of them");
  if (vm.count("replications")) overrides.push_back("run.replications=" + replications_text);
  if (vm.count("seed")) overrides.push_back("run.seed=" + seed_text);
  const ReplicationPolicy policy = policy_from(vm);
  const unsigned threads = parse_threads(threads_text);
  std::optional<tbb::global_control> thread_cap;
  if (threads > 0) thread_cap.emplace(tbb::global_control::max_allowed_parallelism, threads);
  const unsigned workers = threads_in_use(threads);

  // The design: the scenario's [sweep] table, then the command line over it. A design
  // given on the command line (--vary or --design-file) replaces the table's whole; the
  // table's other fields are overridden one by one (--design, --samples, --design-seed).
  const ScenarioFile file(scenario_path);
  const bool design_on_command_line = vm.count("vary") || vm.count("design-file");
  if (const toml::table* table = design_on_command_line ? nullptr : file.sweep_table()) {
    for (const auto& [key, value] : *table) {
      const std::string name(key.str());
      const std::string at = fmt::format("{}:{}", scenario_path, value.source().begin.line);
      if (name == "vary") {
        const toml::array* list = value.as_array();
        if (list == nullptr) throw InputError(fmt::format("{}: sweep.vary must be a list of \"key=spec\" strings", at));
        if (varies.empty()) {
          for (const toml::node& item : *list) {
            if (!item.is_string()) throw InputError(fmt::format("{}: sweep.vary must be a list of \"key=spec\" strings", at));
            varies.push_back(item.value_or(std::string()));
          }
        }
      } else if (name == "design") {
        if (!value.is_string()) throw InputError(fmt::format("{}: sweep.design must be a string", at));
        if (!vm.count("design")) design_text = value.value_or(std::string());
      } else if (name == "samples" || name == "design_seed") {
        const auto number = value.value<std::int64_t>();
        if (!number || *number < (name == "samples" ? 1 : 0)) {
          throw InputError(fmt::format("{}: sweep.{} must be an integer of at least {}", at, name,
                                       name == "samples" ? 1 : 0));
        }
        if (name == "samples" && !vm.count("samples")) samples = *number;
        if (name == "design_seed" && !vm.count("design-seed")) design_seed = *number;
      } else if (name == "design_file") {
        if (!value.is_string()) throw InputError(fmt::format("{}: sweep.design_file must be a string", at));
        if (!vm.count("design-file")) {
          const std::filesystem::path p(value.value_or(std::string()));
          design_file = p.is_relative() ? (std::filesystem::path(scenario_path).parent_path() / p).string() : p.string();
        }
      } else {
        throw InputError(fmt::format("{}: sweep.{} is not a sweep key; sweep keys: vary, design, samples, "
                                     "design_seed, design_file",
                                     at, excerpt(name, 40)));
      }
    }
  }
  Design design;
  std::string design_spec;
  if (!design_file.empty()) {
    if (!varies.empty() || !design_text.empty()) {
      throw InputError("--design-file gives the points: --vary and --design go without it");
    }
    design = read_design_file(design_file);
    std::ifstream in(design_file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    design_spec = fmt::format("file {} {}", excerpt_path(design_file), hash_hex(text.str()));
  } else {
    std::vector<Factor> factors;
    for (const std::string& v : varies) factors.push_back(parse_factor(v));
    const DesignKind kind = design_text.empty() ? DesignKind::grid : parse_design_kind(design_text);
    if (kind == DesignKind::grid) {
      if (vm.count("samples") || vm.count("design-seed")) {
        throw InputError("--samples and --design-seed are for --design lhs, sobol or random");
      }
      if (factors.empty()) throw InputError("sweep: nothing varies; give --vary key=v1,v2,... (or a [sweep] table)");
      design = grid_design(factors);
    } else {
      if (samples == 0) throw InputError(fmt::format("--design {} needs --samples N", design_text));
      if (samples < 0 || design_seed < 0) {
        throw InputError(fmt::format("--samples {} --design-seed {}: allowed --samples >= 1, --design-seed >= 0",
                                     samples, design_seed));
      }
      design = sample_design(kind, factors, static_cast<std::uint64_t>(samples),
                             static_cast<std::uint64_t>(design_seed));
    }
    design_spec = std::string(name_of(kind));
    if (kind != DesignKind::grid) design_spec += fmt::format(" seed={}", design_seed);
    for (const Factor& f : factors) design_spec += fmt::format(" {}={}", f.key, f.spec);
  }
  if (design.points.size() > MAX_VARIANTS && !force) {
    throw InputError(fmt::format("sweep: the design has {} variants, more than {}; --force runs it",
                                 design.points.size(), MAX_VARIANTS));
  }
  const Study study(scenario_path, overrides, std::move(design), policy, workers, false);
  const std::size_t total = study.variants().size();
  const ShardMode mode = shard_mode(vm, args);
  StudyFileOptions file_options;
  const std::string out_path = apply_shard_mode(mode, out_arg, study.inputs(), force, file_options);
  if (dry_run) {
    print_dry_run(study, workers, memory_limit(workers), false);
    return 0;
  }
  const std::string estimate = mode.merge_parts.empty() ? check_memory(study, workers, force) : "";

  file_options.command = "sweep";
  file_options.manifest = study_manifest(study, design_spec);
  file_options.estimate = estimate;
  file_options.subject = fmt::format("{} variants of {}", total, excerpt_path(scenario_path));
  file_options.suffix = fmt::format(": {} design", excerpt(design_spec, 100));
  file_options.resume = resume;
  file_options.overwrite = overwrite;
  file_options.fail_fast = vm["fail-fast"].as<bool>();
  file_options.quiet = quiet;
  StudyFileRun done = run_into_file(study, file_options);
  if (!done.writer) return 0;  // another MPI rank's: rank 0 wrote OUT and prints
  if (mode.any()) {
    if (!quiet) print_shard_or_merge(mode, file_options, done);
    if (!quiet && !mode.merge_parts.empty()) print_sweep_extremes(out_path, policy);
    std::size_t failed = 0;
    for (VariantStatus s : done.outcome.status) failed += s == VariantStatus::failed;
    return failed > 0 ? EXIT_SOME_FAILED : 0;
  }
  const StudyOutcome& outcome = done.outcome;
  const StudyRecord& record = done.record;
  const double merge_seconds = done.merge_seconds;
  const auto start = done.start;
  std::size_t failed = 0;
  for (VariantStatus s : outcome.status) failed += s == VariantStatus::failed;
  if (!quiet) {
    const double seconds = (tbb::tick_count::now() - start).seconds();
    fmt::print("ran       {} variant{}, {} replications in {:.2f} s ({:.1f} replications/s) on {} thread{}; "
               "{} failed\n",
               record.finished, record.finished == 1 ? "" : "s", record.replications, seconds,
               seconds > 0 ? static_cast<double>(record.replications) / seconds : 0.0, record.threads,
               record.threads == 1 ? "" : "s", failed);
    if (policy.adaptive()) {
      std::uint64_t worst = 0, used = 0;
      std::size_t done = 0, short_of_target = 0;
      for (std::size_t i = 0; i < total; ++i) {
        if (outcome.status[i] != VariantStatus::done) continue;
        ++done;
        used += outcome.replications[i];
        worst = std::max(worst, outcome.replications[i]);
        short_of_target += !outcome.target_reached[i];
      }
      if (short_of_target == 0) {
        fmt::print("adaptive  {} replications in all ({:.0f}% fewer than the {} of a fixed count meeting the "
                   "target for every variant, {} each)\n",
                   used, 100.0 * (1.0 - static_cast<double>(used) / std::max<double>(1.0, worst * done)),
                   worst * done, worst);
      } else {
        fmt::print("adaptive  {} replications in all; {} of {} variants stopped at --max-reps {} without "
                   "reaching the target (target_reached = 0 in the table)\n",
                   used, short_of_target, done, policy.max_replications);
      }
    }
    std::error_code size_ec;
    const auto bytes = std::filesystem::file_size(out_path, size_ec);
    fmt::print("wrote     {} ({}, {} scenario{}; merging took {:.3f} s)\n", excerpt(out_arg, 200),
               size_ec ? "?" : format_bytes(static_cast<double>(bytes)), total - failed,
               total - failed == 1 ? "" : "s", merge_seconds);
    print_sweep_extremes(out_path, policy);
  }
  return failed > 0 ? EXIT_SOME_FAILED : 0;
}

}  // namespace campaign
