#include "cli/study_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>
#include <fstream>
#include <optional>
#include <sstream>

#include <toml++/toml.h>

#include "cli/cluster.h"
#include "cli/options.h"
#include "cli/progress.h"
#include "core/error.h"
#include "core/interrupt.h"
#include "core/text.h"
#include "io/hdf5_file.h"

namespace campaign {
namespace {

// `sweep`: every finished variant into its part file at once.
class SweepSink final : public StudySink {
 public:
  SweepSink(PartStore& parts, StudyOutcome& outcome, bool quiet, std::size_t total_done_before,
            std::size_t total)
      : parts_(parts), outcome_(outcome), quiet_(quiet), before_(total_done_before), total_(total),
        bar_(!quiet), terminal_(bar_.enabled()) {}

  void finished(const FinishedVariant& done) override {
    const StudyVariant& v = done.variant;
    ScenarioHeader h = header_of(v, done.scenario, done.model, false, true);
    if (done.piece) {
      VariantPiece piece{std::move(h), {}, {}, done.accumulator.piece()};
      for (DerivedFinal& d : done.model.derived_finals(done.accumulator)) {
        piece.derived_names.push_back(d.name);
        piece.derived.push_back(std::move(d.values));
      }
      parts_.write_piece(piece);
    } else {
      parts_.write(summarize(h, done.accumulator, done.model.derived_finals(done.accumulator)));
    }
    const auto i = static_cast<std::size_t>(v.id);
    outcome_.status[i] = VariantStatus::done;
    outcome_.replications[i] = done.accumulator.replications();
    outcome_.target_reached[i] = done.target_reached;
    ++finished_;
    if (!quiet_ && !terminal_) {
      fmt::print("variant   {}/{} {}: {} replication{}{} in {:.2f} s\n", before_ + finished_ + failed_, total_,
                 v.name, done.accumulator.replications(), done.accumulator.replications() == 1 ? "" : "s",
                 done.target_reached ? "" : " (max; CI target not reached)", done.seconds);
    }
  }
  void failed(const StudyVariant& v, const std::string& message) override {
    const auto i = static_cast<std::size_t>(v.id);
    outcome_.status[i] = VariantStatus::failed;
    outcome_.messages[i] = message;
    ++failed_;
    if (!quiet_) {
      bar_.finish();
      fmt::print("failed    {}/{} {}: {}\n", before_ + finished_ + failed_, total_, v.name, one_line(message, 200));
    }
  }
  void progress(const StudyProgress& p) override {
    bar_.update_study(before_ + p.variants_done, total_, p.replications_done, p.failures);
  }
  void setting_up(const StudyVariant& v, bool starts) override {
    notice_.reset();
    if (starts) notice_.emplace(!quiet_, fmt::format("{}: drawing the partner ecosystem and the media plan", v.name));
  }
  void stop() { bar_.finish(); }

 private:
  PartStore& parts_;
  StudyOutcome& outcome_;
  bool quiet_;
  std::size_t before_, total_, finished_ = 0, failed_ = 0;
  ProgressBar bar_;
  bool terminal_;
  std::optional<SlowStepNotice> notice_;
};

}  // namespace

void print_dry_run(const Study& study, unsigned threads, const MemoryLimit& limit, bool save_trajectories) {
  const std::vector<StudyVariant>& variants = study.variants();
  const LoadedScenario first = study.load(0);
  if (variants.size() == 1) {
    fmt::print("scenario  {} ({})\n", first.scenario.run.name, excerpt(first.scenario.source, 200));
  } else {
    fmt::print("scenario  {}, {} variants\n", excerpt(first.scenario.source, 200), variants.size());
  }
  std::uint64_t units = 0;
  for (std::size_t i = 0; i < variants.size(); ++i) {
    if (variants.size() > 10 && i != study.largest()) continue;  // the largest stands for them all
    const Scenario s = study.load(i).scenario;
    const Footprint f = study.footprint(i);
    const GraphEstimate& g = f.graph;
    units += (f.replications + f.block_size - 1) / f.block_size;
    if (variants.size() > 1) fmt::print("variant   {}\n", s.run.name);
    const char* how = g.exact ? ""
                      : s.graph.model == GraphModel::edge_list ? " (estimated from the file's size)"
                                                               : " (expected)";
    fmt::print("graph     {}, {:.0f} people, {}{:.0f} edges{}, mean degree {:.2f}\n",
               excerpt(g.source, 120), g.people, g.exact ? "" : "about ", g.edges, how,
               g.people > 0 ? 2 * g.edges / g.people : 0.0);
    fmt::print("work      {} replication{} x {} {}{}: {} work units of up to {} replication{}{}\n",
               f.replications, f.replications == 1 ? "" : "s", f.steps, name_of(s.run.step_unit),
               f.steps == 1 ? "" : "s", (f.replications + f.block_size - 1) / f.block_size,
               f.block_size, f.block_size == 1 ? "" : "s",
               study.policy().adaptive() ? " (at most: replications are adaptive)" : "");
    std::string parts;
    for (const MemoryPart& part : f.run_parts) {
      if (part.bytes <= 0) continue;
      if (!parts.empty()) parts += ", ";
      parts += fmt::format("{} {}", part.what, format_bytes(part.bytes));
    }
    fmt::print("memory    about {} at the peak, {}; building the graph {}; running {}: {}\n",
               format_bytes(f.peak_bytes), f.peak_is_build ? "while building the graph" : "while running",
               format_bytes(g.build_bytes), format_bytes(f.run_bytes), parts);
  }
  if (variants.size() > 10) {
    fmt::print("          ({} variants in all; the one needing most memory is shown)\n", variants.size());
  }
  const double peak = variants[study.largest()].peak_bytes;
  fmt::print("limit     {} available ({}), {} thread{}{}: {}\n", format_bytes(limit.bytes), limit.source,
             threads, threads == 1 ? "" : "s", save_trajectories ? ", trajectories saved" : "",
             peak <= limit.bytes ? fmt::format("fits ({:.1f}% of it)", 100 * peak / std::max(1.0, limit.bytes))
                                 : "does not fit; the run would be refused without --force");
}

// Refuses, before any work, a study whose largest variant does not fit in memory.
std::string check_memory(const Study& study, unsigned workers, bool force) {
  const MemoryLimit limit = memory_limit(workers);
  const std::size_t largest = study.largest();
  if (!force) {
    const LoadedScenario loaded = study.load(largest);
    const std::string& source = loaded.scenario.source;
    check_fits(study.footprint(largest), limit,
               study.variants().size() > 1 ? fmt::format("{} (variant {})", source, loaded.scenario.run.name)
                                           : source);
  }
  return estimate_note(study.variants()[largest].peak_bytes, limit);
}

ScenarioHeader header_of(const StudyVariant& variant, const Scenario& s, const Model& model,
                         bool save_trajectories, bool in_study) {
  return ScenarioHeader{s.run.name,
                        resolved_toml(s),
                        s.run.seed,
                        s.run.replications,
                        s.run.steps,
                        model.metric_names(),
                        save_trajectories,
                        in_study ? variant.id : -1,
                        in_study ? variant.content_key : std::string(),
                        model.facts()};
}


namespace {

StudyOutcome pending_outcome(std::size_t total) {
  StudyOutcome outcome;
  outcome.status.assign(total, VariantStatus::pending);
  outcome.replications.assign(total, 0);
  outcome.messages.assign(total, "");
  outcome.target_reached.assign(total, true);
  return outcome;
}

// `campaign-sim merge`: the shards' parts into OUT, as the command run in one process
// writes it. The merge command has checked that the parts are one study's shards, each
// once; here they are checked against the study as the files say it now.
StudyFileRun merge_into_file(const Study& study, const StudyFileOptions& o) {
  StudyFileRun run;
  run.start = tbb::tick_count::now();
  std::error_code ec;
  if (!o.overwrite && std::filesystem::exists(o.out_path, ec)) {
    throw InputError(fmt::format("{}: exists; --overwrite replaces it", excerpt_path(o.out_arg)));
  }
  const std::size_t total = study.variants().size();
  std::map<std::string, std::size_t> index;  // variant name -> index
  for (std::size_t i = 0; i < total; ++i) index.emplace(study.variants()[i].name, i);
  StudyOutcome outcome = pending_outcome(total);
  StoredResults stored;
  // Parts in shard order, so a variant's pieces come in replication order.
  struct Part {
    ShardRecord record;
    std::string path;
    std::vector<std::string> whole, pieces;  // its variants' groups
  };
  std::vector<Part> parts;
  for (const std::string& path : o.merge_parts) {
    throw_if_interrupted();
    const h5::File file = h5::File::open_read_only(path);
    Part& part = parts.emplace_back(Part{read_shard_record(file, path), path, {}, {}});
    part.whole = file.open_group("scenarios").member_names();
    if (file.exists("pieces")) part.pieces = file.open_group("pieces").member_names();
  }
  std::sort(parts.begin(), parts.end(), [](const Part& a, const Part& b) { return a.record.shard < b.record.shard; });
  const auto variant_of = [&](const std::string& name, const std::string& path) {
    const auto it = index.find(name);
    if (it == index.end()) {
      throw InputError(fmt::format("{}: holds a variant {} that the study does not have; the study has "
                                   "changed since its shards ran",
                                   excerpt_path(path), excerpt(name, 80)));
    }
    return it->second;
  };
  for (const auto& [record, path, whole, pieces] : parts) {
    if (const std::optional<std::string> what = manifest_change(record.manifest, o.manifest, false)) {
      throw InputError(fmt::format("{}: the study has changed since its shards ran: {}; merge with the files "
                                   "the shards read, or run the shards again",
                                   excerpt_path(path), *what));
    }
    for (const std::string& name : whole) {
      const std::size_t i = variant_of(name, path);
      stored.whole[study.variants()[i].content_key] = path;
      outcome.status[i] = VariantStatus::done;
    }
    for (const std::string& name : pieces) {
      const std::size_t i = variant_of(name, path);
      stored.pieces[study.variants()[i].content_key].push_back(path);
      outcome.status[i] = VariantStatus::done;
    }
    for (std::size_t f = 0; f < record.failed_ids.size(); ++f) {
      const std::size_t i = variant_of(record.failed_names[f], path);
      outcome.status[i] = VariantStatus::failed;
      outcome.messages[i] = record.failed_messages[f];
    }
  }
  for (std::size_t i = 0; i < total; ++i) {
    if (outcome.status[i] == VariantStatus::pending) {
      throw InputError(fmt::format("variant {} is in none of the parts; the parts are not this study's "
                                   "complete shards",
                                   excerpt(study.variants()[i].name, 80)));
    }
  }
  const auto merge_start = tbb::tick_count::now();
  in_phase("merging the parts", o.estimate, [&] {
    if (o.plain_run) {  // `run`'s file: the one scenario, as a run writes it
      VariantResult result = read_stored(stored, study.variants().front());
      result.header.variant_id = -1;
      result.header.content_key.clear();
      ResultsWriter writer(o.out_path);
      writer.write_variant(result);
      begin_final_commit();
      writer.commit();
      outcome.replications[0] = result.header.replications;
    } else {
      write_study_file(study, outcome, o.manifest, stored, std::nullopt, o.out_path, o.extras);
    }
    return 0;
  });
  run.merge_seconds = (tbb::tick_count::now() - merge_start).seconds();
  run.outcome = std::move(outcome);
  for (VariantStatus s : run.outcome.status) run.record.finished += s == VariantStatus::done;
  for (std::uint64_t r : run.outcome.replications) run.record.replications += r;
  return run;
}

constexpr const char* TASKS_MANIFEST = "tasks.toml";

std::string task_path(const std::string& folder, std::uint64_t task, std::uint64_t tasks) {
  return (std::filesystem::path(folder) / fmt::format("task-{:0{}}-of-{}.h5", task, std::to_string(tasks).size(),
                                                      tasks))
      .string();
}

// Rank 0, before the tasks: checks OUT and the tasks' folder as a sweep checks OUT and its
// parts, and returns the number of tasks (those of the folder when resuming).
std::uint64_t prepare_tasks(const Study& study, const StudyFileOptions& o, const std::string& folder) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path manifest_path = fs::path(folder) / TASKS_MANIFEST;
  const bool folder_exists = fs::exists(manifest_path, ec);
  if (!o.resume && !o.overwrite) {
    if (folder_exists) {
      throw InputError(fmt::format("{}: an interrupted {} into it left finished tasks in {}; --resume continues "
                                   "it, --overwrite starts again",
                                   excerpt_path(o.out_arg), o.command, excerpt_path(folder)));
    }
    if (fs::exists(o.out_path, ec)) {
      throw InputError(fmt::format("{}: exists; --overwrite replaces it, --resume adds what it lacks",
                                   excerpt_path(o.out_arg)));
    }
  }
  if (PartStore(o.out_path).exists()) {
    throw InputError(fmt::format("{}: an interrupted {} in one process left finished variants in {}: resume it "
                                 "in one process (the same command with --resume, without mpirun)",
                                 excerpt_path(o.out_arg), o.command, excerpt_path(o.out_path + ".parts")));
  }
  if (o.resume && !folder_exists && fs::exists(o.out_path, ec)) {
    // No tasks left over: OUT is either this study's, finished, or something else.
    std::string before;
    try {
      finished_in_file(o.out_path, before);
    } catch (const IoError& e) {
      throw InputError(fmt::format("{}: --resume cannot read it as a {}'s results ({})", excerpt_path(o.out_arg),
                                   o.command, e.what()));
    }
    if (before.empty()) {
      throw InputError(fmt::format("{}: --resume: not a {}'s results file (no /sweep); --overwrite replaces it",
                                   excerpt_path(o.out_arg), o.command));
    }
    check_resumable(before, o.manifest, excerpt_path(o.out_arg));
    throw InputError(fmt::format("{}: this {} is finished: nothing to resume (--overwrite runs it again)",
                                 excerpt_path(o.out_arg), o.command));
  }
  if (o.resume && folder_exists) {
    std::ifstream in(manifest_path);
    std::ostringstream text;
    text << in.rdbuf();
    // The tasks' shares depend on the design's size: it may not grow here.
    check_resumable(text.str(), o.manifest, excerpt_path(folder), false);
    std::optional<std::int64_t> tasks;
    try {
      tasks = toml::parse(text.str())["tasks"].value<std::int64_t>();
    } catch (const toml::parse_error&) {
    }
    if (!tasks || *tasks < 1) {
      throw InputError(fmt::format("{}: cannot be read; start again with --overwrite", manifest_path.string()));
    }
    return static_cast<std::uint64_t>(*tasks);
  }
  fs::remove_all(folder, ec);  // --overwrite, or a folder without a manifest
  fs::create_directory(folder, ec);
  if (ec) throw IoError(fmt::format("cannot create the folder {}: {}", excerpt_path(folder), ec.message()));
  const StudyShare all = shard_share(study, 0, 1);
  const std::uint64_t tasks = std::max<std::uint64_t>(
      1, std::min<std::uint64_t>(all.units, 4 * static_cast<std::uint64_t>(cluster::ranks())));
  TempFile temp(manifest_path.string());
  {
    std::ofstream out(temp.path(), std::ios::binary | std::ios::trunc);
    out << o.manifest << fmt::format("tasks = {}\n", tasks);
    if (!out.flush()) throw IoError(fmt::format("cannot write {}", manifest_path.string()));
  }
  temp.commit();
  return tasks;
}

StudyFileRun run_tasks(const Study& study, const StudyFileOptions& o) {
  const std::string folder = o.out_path + ".tasks";
  StudyFileRun run;
  run.start = tbb::tick_count::now();
  if (!cluster::agree(true)) {
    // Another rank failed before its run and said why (or rank 0 did, for all).
    throw InputError(cluster::rank() == 0 ? "another rank could not start the command; see its message" : "");
  }
  std::uint64_t tasks = 0;
  std::exception_ptr refused;
  if (cluster::rank() == 0) {
    try {
      tasks = prepare_tasks(study, o, folder);
    } catch (...) {
      refused = std::current_exception();
    }
  }
  tasks = cluster::broadcast(refused ? 0 : tasks);
  if (refused) std::rethrow_exception(refused);
  if (tasks == 0) throw InputError("");  // rank 0 refused the command, and said why
  if (!o.quiet && cluster::rank() == 0) {
    fmt::print("{:<9} {} on {} rank{} x {} thread{}: {} tasks in {}{}\n", o.command, o.subject, cluster::ranks(),
               cluster::ranks() == 1 ? "" : "s", study.threads(), study.threads() == 1 ? "" : "s", tasks,
               excerpt_path(folder), o.suffix);
  }
  {
    cluster::TaskCounter counter(tasks);
    GraphCache graphs;  // consecutive tasks mostly run on one graph: built once per rank
    try {
      for (std::uint64_t k = counter.next(); k < tasks; k = counter.next()) {
        StudyFileOptions t;
        t.command = o.command;
        t.manifest = o.manifest;
        t.estimate = o.estimate;
        t.fail_fast = o.fail_fast;
        t.quiet = true;
        t.resume = true;  // a task finished before is not run again, one begun is continued
        t.shard = ShardRun{k, tasks, {}};
        t.out_arg = t.out_path = task_path(folder, k, tasks);
        t.graphs = &graphs;
        const auto start = tbb::tick_count::now();
        const StudyFileRun done = run_into_file(study, t);
        if (!o.quiet) {
          fmt::print("task      {} of {} on rank {}: {} variant{}, {} replications in {:.2f} s\n", k, tasks,
                     cluster::rank(), done.record.finished, done.record.finished == 1 ? "" : "s",
                     done.record.replications, (tbb::tick_count::now() - start).seconds());
          std::fflush(stdout);
        }
      }
    } catch (const std::exception& e) {
      if (cluster::ranks() == 1) throw;
      // The other ranks cannot finish the study: this one says why and ends the job.
      const int status = dynamic_cast<const Interrupted*>(&e)   ? 128 + static_cast<const Interrupted&>(e).signal()
                         : dynamic_cast<const InputError*>(&e) ? 2
                                                               : 1;
      fmt::print(stderr, "campaign-sim: rank {} of {}: {}; the finished tasks are kept in {}: the same command{} "
                         "(under mpirun or not) runs the rest\n",
                 cluster::rank(), cluster::ranks(), one_line(e.what(), 200), excerpt_path(folder),
                 o.command == "run" ? "" : " with --resume");
      std::fflush(stderr);
      cluster::abort(status);
    }
  }
  cluster::barrier();
  if (cluster::rank() != 0) {
    run.writer = false;
    return run;
  }
  StudyFileOptions m = o;
  m.overwrite = true;  // OUT was checked before the tasks
  for (std::uint64_t k = 0; k < tasks; ++k) m.merge_parts.push_back(task_path(folder, k, tasks));
  StudyFileRun merged = merge_into_file(study, m);
  merged.start = run.start;
  merged.record.threads = static_cast<int>(study.threads()) * cluster::ranks();
  std::error_code ec;
  std::filesystem::remove_all(folder, ec);
  return merged;
}

}  // namespace

StudyFileRun run_into_file(const Study& study, const StudyFileOptions& o) {
  if (!o.merge_parts.empty()) return merge_into_file(study, o);
  std::error_code exists_ec;
  if (!o.shard && (cluster::ranks() > 1 || std::filesystem::exists(o.out_path + ".tasks", exists_ec))) {
    return run_tasks(study, o);
  }
  // What is finished already, and where.
  const std::string& manifest = o.manifest;
  const std::string& out_arg = o.out_arg;
  const std::string& out_path = o.out_path;
  const bool resume = o.resume, overwrite = o.overwrite, quiet = o.quiet;
  const std::size_t total = study.variants().size();
  PartStore parts(out_path);
  std::error_code ec;
  const bool out_exists = std::filesystem::exists(out_path, ec);
  if (!resume && !overwrite) {
    if (parts.exists()) {
      throw InputError(fmt::format("{}: an interrupted {} into it left finished variants in {}; "
                                   "--resume continues it, --overwrite starts again",
                                   excerpt_path(out_arg), o.command, excerpt_path(parts.folder())));
    }
    if (out_exists) {
      throw InputError(fmt::format("{}: exists; --overwrite replaces it, --resume adds what it lacks",
                                   excerpt_path(out_arg)));
    }
  }
  std::optional<std::string> previous_out;
  bool nothing_to_resume = false;
  std::map<std::string, std::string> finished_before;  // content key -> a file (or a piece's)
  if (resume) {
    // The interrupted sweep's folder, when there is one, says what is being resumed: an
    // OUT beside it is an older sweep's that this one replaces (it was started with
    // --overwrite), unless it is the same sweep's, whose variants then count as finished.
    const std::optional<std::string> before = parts.manifest();
    if (before) check_resumable(*before, manifest, parts.folder());
    if (out_exists && o.shard) {
      // A shard whose part file is written has nothing left to run.
      const h5::File file = h5::File::open_read_only(out_path);
      check_resumable(read_shard_record(file, out_arg).manifest, manifest, excerpt_path(out_arg), false);
      if (!quiet) fmt::print("shard     {} of {}: finished before, in {}\n", o.shard->shard, o.shard->shards, out_arg);
      StudyFileRun run;
      run.start = tbb::tick_count::now();
      run.outcome = pending_outcome(total);
      return run;
    }
    if (out_exists) {
      std::string file_manifest;
      std::map<std::string, std::string> in_file;
      try {
        in_file = finished_in_file(out_path, file_manifest);
      } catch (const IoError& e) {
        if (!before) {
          throw InputError(fmt::format("{}: --resume cannot read it as a {}'s results ({})",
                                       excerpt_path(out_arg), o.command, e.what()));
        }
      }
      if (!before) {
        if (file_manifest.empty()) {
          throw InputError(fmt::format("{}: --resume: not a {}'s results file (no /sweep); --overwrite "
                                       "replaces it",
                                       excerpt_path(out_arg), o.command));
        }
        check_resumable(file_manifest, manifest, out_arg);
      }
      bool same_sweep = !file_manifest.empty();
      if (same_sweep && before) {
        try {
          check_resumable(file_manifest, manifest, out_arg);
        } catch (const InputError&) {
          same_sweep = false;
        }
      }
      if (same_sweep) {
        previous_out = out_path;
        finished_before = in_file;
      }
    }
    // Nothing to resume (killed before its first variant finished): start it, so that a
    // job script may always pass --resume.
    nothing_to_resume = !before && !out_exists;
  }
  // Checked first, created now: a refused command leaves no folder behind. With the lock
  // held, the manifest is read again (another sweep may have started in between).
  parts.open();
  if (resume) {
    if (const std::optional<std::string> before = parts.manifest()) check_resumable(*before, manifest, parts.folder());
    for (auto& [key, path] : parts.finished()) finished_before[key] = path;
    for (auto& [key, path] : parts.finished_pieces()) finished_before[key] = path;
  } else if (overwrite) {
    parts.remove_parts();
  }
  parts.write_manifest(manifest);

  StudyFileRun run;
  StudyOutcome& outcome = run.outcome;
  outcome = pending_outcome(total);
  std::vector<std::size_t> todo;
  std::size_t done_before = 0;
  std::optional<StudyShare> share;
  std::vector<std::size_t> mine;  // the variants this process runs (a shard's share)
  if (o.shard) {
    share = shard_share(study, o.shard->shard, o.shard->shards);
    mine = share->variants;
  } else {
    for (std::size_t i = 0; i < total; ++i) mine.push_back(i);
  }
  // A resumed variant gets its replications and target from its stored results (in the merge).
  for (std::size_t i : mine) {
    if (finished_before.count(study.variants()[i].content_key)) {
      outcome.status[i] = VariantStatus::done;
      ++done_before;
    } else {
      todo.push_back(i);
    }
  }
  run.start = tbb::tick_count::now();
  if (!quiet && o.shard) {
    fmt::print("shard     {} of {}: work units {} to {} of {} ({} variant{}, {} in part)\n", o.shard->shard,
               o.shard->shards, share->first_unit, share->end_unit, share->units, mine.size(),
               mine.size() == 1 ? "" : "s", share->pieces.size());
  }
  if (!quiet) {
    fmt::print("{:<9} {}, {} to run{}{}{}\n", o.command, o.subject, todo.size(),
               done_before > 0 ? fmt::format(", {} finished before", done_before) : "",
               !resume ? "" : nothing_to_resume ? " (nothing to resume: started)" : " (resumed)", o.suffix);
  }
  SweepSink sink(parts, outcome, quiet, done_before, mine.size());
  StudyRunOptions run_options;
  run_options.fail_fast = o.fail_fast;
  if (share) run_options.pieces = share->pieces;
  run_options.graphs = o.graphs;
  StudyRecord& record = run.record;
  try {
    record = in_phase("running the " + o.command, o.estimate, [&] { return run_study(study, todo, run_options, sink); });
  } catch (const Interrupted& e) {
    sink.stop();
    std::size_t finished = 0;
    for (VariantStatus s : outcome.status) finished += s == VariantStatus::done;
    throw Interrupted(e.signal(), "running the " + o.command,
                      fmt::format("{} of {} variants finished and kept in {}; to finish the {}: the same "
                                  "command with --resume",
                                  finished, mine.size(), excerpt_path(parts.folder()), o.command));
  } catch (const InputError& e) {  // --fail-fast: a variant failed
    sink.stop();
    const std::size_t kept = parts.finished().size() + parts.finished_pieces().size();
    if (kept == 0) {
      parts.remove_folder();
      throw;
    }
    throw InputError(fmt::format("{} finished variant{} kept in {} (--resume continues the {}); {}", kept,
                                 kept == 1 ? "" : "s", excerpt_path(parts.folder()), o.command, e.what()));
  } catch (...) {
    sink.stop();
    if (parts.finished().empty() && parts.finished_pieces().empty()) parts.remove_folder();
    throw;
  }
  sink.stop();
  StoredResults stored;
  stored.whole = parts.finished();
  for (auto& [key, path] : parts.finished_pieces()) stored.pieces[key] = {path};
  const auto merge_start = tbb::tick_count::now();
  try {
    in_phase("writing the results", o.estimate, [&] {
      if (o.shard) {
        ShardRecord record;
        record.shard = o.shard->shard;
        record.shards = o.shard->shards;
        record.command = o.command;
        record.arguments = o.shard->arguments;
        record.directory = std::filesystem::current_path().string();
        record.manifest = manifest;
        std::string identity = o.command;
        for (const std::string& a : record.arguments) identity += "\n" + a;
        record.study = hash_hex(identity + "\n" + manifest);
        record.units = share->units;
        record.first_unit = share->first_unit;
        record.end_unit = share->end_unit;
        write_shard_file(study, *share, outcome, stored, record, out_path);
      } else {
        write_study_file(study, outcome, manifest, stored, previous_out, out_path, o.extras);
      }
      return 0;
    });
  } catch (const Interrupted& e) {
    throw Interrupted(e.signal(), "merging the finished variants into " + excerpt_path(out_arg),
                      fmt::format("every variant is finished and kept in {}; the same command with --resume "
                                  "writes the file",
                                  excerpt_path(parts.folder())));
  }
  parts.remove_folder();
  run.merge_seconds = (tbb::tick_count::now() - merge_start).seconds();
  return run;
}


double run_selection_into_file(const Study& study, const StudyFileOptions& o, const std::string& objective,
                               Better better, const SelectionOptions& selection,
                               std::optional<SelectionResult>& result) {
  PartStore parts(o.out_path);
  std::error_code ec;
  if (!o.overwrite) {
    if (parts.exists()) {
      throw InputError(fmt::format("{}: an interrupted run into it left finished variants in {}; --overwrite "
                                   "starts again",
                                   excerpt_path(o.out_arg), excerpt_path(parts.folder())));
    }
    if (std::filesystem::exists(o.out_path, ec)) {
      throw InputError(fmt::format("{}: exists; --overwrite replaces it", excerpt_path(o.out_arg)));
    }
  }
  parts.open();
  if (o.overwrite) parts.remove_parts();
  parts.write_manifest(o.manifest);
  StudyOutcome outcome = pending_outcome(study.variants().size());
  if (!o.quiet) fmt::print("{:<9} {}{}\n", o.command, o.subject, o.suffix);
  try {
    result = in_phase("running the sequential selection", o.estimate, [&] {
      return run_selection(study, objective, better, selection,
                           [&](std::size_t v, const Scenario& s, const Model& model, const RunAccumulator& acc) {
                             const ScenarioHeader h = header_of(study.variants()[v], s, model, false, true);
                             parts.write(summarize(h, acc, model.derived_finals(acc)));
                             outcome.status[v] = VariantStatus::done;
                             outcome.replications[v] = acc.replications();
                           });
    });
  } catch (...) {
    parts.remove_folder();
    throw;
  }
  const auto merge_start = tbb::tick_count::now();
  try {
    in_phase("writing the results", o.estimate, [&] {
      write_study_file(study, outcome, o.manifest, StoredResults{parts.finished(), {}}, std::nullopt, o.out_path,
                       o.extras);
      return 0;
    });
  } catch (...) {
    parts.remove_folder();
    throw;
  }
  parts.remove_folder();
  return (tbb::tick_count::now() - merge_start).seconds();
}

}  // namespace campaign
