#include "cli/commands.h"

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <tbb/global_control.h>
#include <tbb/task_arena.h>
#include <tbb/tick_count.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <new>
#include <optional>
#include <set>
#include <stdexcept>

#include "cli/progress.h"
#include "core/error.h"
#include "core/interrupt.h"
#include "core/text.h"
#include "core/version.h"
#include "graph/csr_file.h"
#include "io/output_file.h"
#include "io/results_writer.h"
#include "model/ecosystem.h"
#include "model/model.h"
#include "scenario/key_registry.h"
#include "scenario/scenario_loader.h"
#include "sim/footprint.h"
#include "sim/graph_factory.h"
#include "sim/runner.h"

namespace po = boost::program_options;

namespace campaign {
namespace {

constexpr unsigned MAX_THREADS = 4096;

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& options,
                        const po::positional_options_description& positional) {
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
  po::notify(vm);
  return vm;
}

// Runs one phase of a command. An interrupt is told what it interrupted; an allocation
// that fails (the estimate was wrong, or --force overrode it) becomes one line saying
// where, with the estimate, instead of the library's words.
template <class Body>
auto in_phase(const std::string& phase, const std::string& estimate, Body&& body) {
  try {
    return body();
  } catch (const Interrupted& e) {
    if (!e.during().empty()) throw;
    throw Interrupted(e.signal(), phase);
  } catch (const std::bad_alloc&) {
    throw IoError(fmt::format("out of memory while {}{}", phase, estimate));
  } catch (const std::length_error&) {
    throw IoError(fmt::format("out of memory while {}: a size is beyond what this machine can "
                              "allocate{}",
                              phase, estimate));
  }
}

std::string estimate_note(double peak, const MemoryLimit& limit) {
  return fmt::format(" (estimated peak {}, {} available from {}; --dry-run shows the estimate)",
                     format_bytes(peak), format_bytes(limit.bytes), limit.source);
}

unsigned parse_threads(const std::string& text) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value > MAX_THREADS) {
    throw InputError(fmt::format("--threads {} is not allowed; allowed: 0 (every core) .. {}",
                                 excerpt(text, 20), MAX_THREADS));
  }
  return value;
}

unsigned threads_in_use(unsigned requested) {
  return requested > 0 ? requested : static_cast<unsigned>(tbb::this_task_arena::max_concurrency());
}

// Nearest rank, as the quantile sketch defines it: the smallest value with at least
// ceil(q n) values at or below it.
double exact_quantile(std::vector<double> values, double q) {
  if (values.empty()) return std::nan("");
  const auto rank = static_cast<std::size_t>(std::max(1.0, std::ceil(q * static_cast<double>(values.size()))));
  const auto k = static_cast<std::ptrdiff_t>(std::min(rank, values.size()) - 1);
  std::nth_element(values.begin(), values.begin() + k, values.end());
  return values[static_cast<std::size_t>(k)];
}

void print_summary(const Scenario& s, const GraphRecord& graph, const Model& model,
                   const RunRecord& run, const RunAccumulator& acc) {
  const std::string_view unit = name_of(s.run.step_unit);
  fmt::print("scenario  {} ({})\n", s.run.name, excerpt(s.source, 200));
  fmt::print("graph     {}; built in {:.2f} s\n", graph.description, graph.seconds);
  fmt::print(
      "run       {} replication{} x {} {}{}, {} on {} thread{}: {:.2f} s ({:.1f} replications/s)\n",
      run.replications, run.replications == 1 ? "" : "s", s.run.steps, unit,
      s.run.steps == 1 ? "" : "s", name_of(s.diffusion.model), run.threads,
      run.threads == 1 ? "" : "s", run.seconds,
      run.seconds > 0 ? run.replications / run.seconds : 0.0);
  for (const std::string& line : model.describe()) fmt::print("model     {}\n", line);
  // Headline metrics, where the model has them: final value, mean and spread. The
  // percentiles are exact, from the finals (the stored series' are the sketch's).
  for (const char* headline : {"total_adopted", "customers", "revenue", "profit"}) {
    const auto& names = acc.metric_names();
    const auto it = std::find(names.begin(), names.end(), headline);
    if (it == names.end()) continue;
    const auto m = static_cast<std::size_t>(it - names.begin());
    const SeriesSummary series = acc.series(m);
    const std::size_t last = series.mean.size() - 1;
    const std::string share =
        std::string(headline) == "total_adopted"
            ? fmt::format(" ({:.1f}% of people)",
                          100.0 * series.mean[last] / std::max<double>(1.0, s.audience.size))
            : "";
    const std::vector<double>& finals = acc.finals(m);
    fmt::print("result    {} after {} {}: mean {:.1f}{}, 95% CI {:.1f} .. {:.1f}; p05 {:.0f}, "
               "p50 {:.0f}, p95 {:.0f}\n",
               headline, unit, s.run.steps, series.mean[last], share, series.ci95_lo[last],
               series.ci95_hi[last], exact_quantile(finals, 0.05), exact_quantile(finals, 0.50),
               exact_quantile(finals, 0.95));
  }
}

// "key=v1,v2,..." -> {"key=v1", "key=v2", ...}; commas inside [...] or "..." do not split.
std::vector<std::string> sweep_values(const std::string& sweep) {
  const auto eq = sweep.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == sweep.size()) {
    throw InputError(fmt::format("--sweep {}: expected section.key=value1,value2,...", excerpt(sweep)));
  }
  const std::string key = sweep.substr(0, eq);
  std::vector<std::string> out;
  std::string value;
  int depth = 0;
  bool quoted = false;
  for (char c : sweep.substr(eq + 1)) {
    if (c == '"') quoted = !quoted;
    if (!quoted && c == '[') ++depth;
    if (!quoted && c == ']') --depth;
    if (c == ',' && depth == 0 && !quoted) {
      out.push_back(key + "=" + value);
      value.clear();
    } else {
      value += c;
    }
  }
  out.push_back(key + "=" + value);
  return out;
}

std::string key_of(const std::string& assignment) { return assignment.substr(0, assignment.find('=')); }

// A key swept twice would run every variant with the last value under a wrong name; a
// key both swept and --set would silently lose the --set.
void check_sweeps(const std::vector<std::string>& sweeps, const std::vector<std::string>& overrides) {
  std::set<std::string> swept;
  for (const std::string& sweep : sweeps) {
    const std::string key = key_of(sweep);
    if (!swept.insert(key).second) {
      throw InputError(fmt::format("--sweep {}: the key is swept twice; list every value in one "
                                   "--sweep {}=v1,v2,...",
                                   excerpt(key), excerpt(key)));
    }
  }
  for (const std::string& assignment : overrides) {
    if (swept.count(key_of(assignment))) {
      throw InputError(fmt::format("--set {}: the key is also swept by --sweep; give it one way",
                                   excerpt(assignment)));
    }
  }
}

// Every combination of the sweeps' values (the first sweep varies slowest).
std::vector<std::vector<std::string>> sweep_grid(const std::vector<std::string>& sweeps) {
  std::vector<std::vector<std::string>> grid = {{}};
  for (const auto& sweep : sweeps) {
    std::vector<std::vector<std::string>> next;
    for (const auto& combination : grid) {
      for (const auto& assignment : sweep_values(sweep)) {
        next.push_back(combination);
        next.back().push_back(assignment);
      }
    }
    grid = std::move(next);
  }
  return grid;
}

// A variant's name: the scenario's name, then "@key=value" per swept key, with any
// character not allowed in a name replaced by '_'.
std::string variant_name(const std::string& base, const std::vector<std::string>& assignments) {
  std::string name = base;
  for (const auto& assignment : assignments) {
    name += '@';
    for (char c : assignment) {
      name += std::isalnum(static_cast<unsigned char>(c)) || std::string_view("_-.=+").find(c) != std::string_view::npos
                  ? c
                  : '_';
    }
  }
  return name;
}

struct Variant {
  LoadedScenario loaded;
  Footprint footprint;
};

void print_dry_run(const std::vector<Variant>& variants, unsigned threads, const MemoryLimit& limit,
                   bool save_trajectories) {
  const Variant* worst = &variants.front();
  std::uint64_t units = 0;
  for (const Variant& v : variants) {
    if (v.footprint.peak_bytes > worst->footprint.peak_bytes) worst = &v;
    units += (v.footprint.replications + v.footprint.block_size - 1) / v.footprint.block_size;
  }
  const Scenario& first = variants.front().loaded.scenario;
  if (variants.size() == 1) {
    fmt::print("scenario  {} ({})\n", first.run.name, excerpt(first.source, 200));
  } else {
    fmt::print("scenario  {}, {} variants\n", excerpt(first.source, 200), variants.size());
  }
  for (const Variant& v : variants) {
    if (variants.size() > 10 && &v != worst) continue;  // the largest stands for them all
    const Scenario& s = v.loaded.scenario;
    const Footprint& f = v.footprint;
    const GraphEstimate& g = f.graph;
    if (variants.size() > 1) fmt::print("variant   {}\n", s.run.name);
    const char* how = g.exact ? ""
                      : s.graph.model == GraphModel::edge_list ? " (estimated from the file's size)"
                                                               : " (expected)";
    fmt::print("graph     {}, {:.0f} people, {}{:.0f} edges{}, mean degree {:.2f}\n",
               excerpt(g.source, 120), g.people, g.exact ? "" : "about ", g.edges, how,
               g.people > 0 ? 2 * g.edges / g.people : 0.0);
    fmt::print("work      {} replication{} x {} {}{}: {} work units of up to {} replication{}\n",
               f.replications, f.replications == 1 ? "" : "s", f.steps, name_of(s.run.step_unit),
               f.steps == 1 ? "" : "s", (f.replications + f.block_size - 1) / f.block_size,
               f.block_size, f.block_size == 1 ? "" : "s");
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
    fmt::print("          ({} variants in all, {} work units; the one needing most memory is shown)\n",
               variants.size(), units);
  }
  const double peak = worst->footprint.peak_bytes;
  fmt::print("limit     {} available ({}), {} thread{}{}: {}\n", format_bytes(limit.bytes),
             limit.source, threads, threads == 1 ? "" : "s",
             save_trajectories ? ", trajectories saved" : "",
             peak <= limit.bytes
                 ? fmt::format("fits ({:.1f}% of it)", 100 * peak / std::max(1.0, limit.bytes))
                 : "does not fit; the run would be refused without --force");
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
       "run one variant per value: --sweep section.key=v1,v2,... (repeatable, one key each: every "
       "combination); all variants go to OUT.h5, named SCENARIO@key=value, with common random numbers")
      ("save-trajectories", po::bool_switch(), "also store every replication's full trajectory")
      ("dry-run", po::bool_switch(), "print what the run would build and need (people, edges, memory, "
       "work units) and run nothing")
      ("force", po::bool_switch(), "run even when the memory estimate exceeds what is available, and "
       "write OUT even if its extension is not .h5")
      ("quiet,q", po::bool_switch(), "no progress bar and no summary");
  po::options_description hidden;
  hidden.add_options()("scenario", po::value(&scenario_path));
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description positional;
  positional.add("scenario", 1);
  const po::variables_map vm = parse(args, all, positional);
  if (vm.count("help")) {
    std::cout << options << "\nScenario keys: campaign-sim reference (docs/scenario-reference.md)\n";
    return 0;
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
  check_sweeps(sweeps, overrides);

  std::optional<tbb::global_control> thread_cap;
  if (threads > 0) thread_cap.emplace(tbb::global_control::max_allowed_parallelism, threads);
  const unsigned workers = threads_in_use(threads);

  // Every variant is read and validated before anything runs, so a bad value fails at once.
  std::vector<Variant> variants;
  std::vector<std::string> inputs;
  std::set<std::string> names;
  std::map<std::string, std::string> configurations;  // resolved scenario -> variant name
  for (const auto& assignments : sweep_grid(sweeps)) {
    std::vector<std::string> all_overrides = overrides;
    all_overrides.insert(all_overrides.end(), assignments.begin(), assignments.end());
    LoadedScenario loaded = load_scenario_file(scenario_path, all_overrides);
    Scenario& s = loaded.scenario;
    if (!assignments.empty()) s.run.name = variant_name(s.run.name, assignments);
    // Two spellings of one value (1 and 1.0, 0.1 and 0.10) make one scenario twice.
    Scenario unnamed = s;
    unnamed.run.name.clear();
    const auto [same, fresh] = configurations.emplace(resolved_toml(unnamed), s.run.name);
    if (!fresh) {
      throw InputError(fmt::format("--sweep: variants {} and {} are the same scenario (a value is "
                                   "listed twice, perhaps spelled two ways)",
                                   excerpt(same->second, 80), excerpt(s.run.name, 80)));
    }
    if (!names.insert(s.run.name).second) {
      throw InputError(fmt::format("--sweep: two variants are named {}: their values differ only in "
                                   "characters a name cannot hold (replaced by '_')",
                                   excerpt(s.run.name, 120)));
    }
    inputs.insert(inputs.end(), loaded.inputs.begin(), loaded.inputs.end());
    Footprint footprint = estimate_footprint(s, workers, save_trajectories);
    variants.push_back({std::move(loaded), std::move(footprint)});
  }
  // The output is checked before any work: never one of the inputs, a device, a directory.
  const std::string out_path =
      out_arg.empty() ? "" : checked_output_path(out_arg, OutputFormat::hdf5, inputs, force);
  const MemoryLimit limit = memory_limit(workers);
  if (dry_run) {
    print_dry_run(variants, workers, limit, save_trajectories);
    return 0;
  }
  double peak = 0;
  for (const Variant& v : variants) {
    peak = std::max(peak, v.footprint.peak_bytes);
    if (!force) {
      const Scenario& s = v.loaded.scenario;
      check_fits(v.footprint, limit,
                 variants.size() > 1 ? fmt::format("{} (variant {})", s.source, s.run.name) : s.source);
    }
  }
  const std::string estimate = estimate_note(peak, limit);

  // The partner ecosystem and media plan only need the audience size: draw them now, so
  // a variant without a valid triad fails before any simulation.
  in_phase("drawing the partner ecosystems", estimate, [&] {
    for (const Variant& v : variants) {
      const Scenario& s = v.loaded.scenario;
      if (s.diffusion.model != DiffusionModel::campaign || s.media.strategy != MediaStrategy::triads ||
          s.audience.size == 0) {
        continue;
      }
      try {
        const Ecosystem ecosystem(s, s.audience.size);
        const MediaPlan plan(s, ecosystem);
      } catch (const InputError& e) {
        if (variants.size() == 1) throw;
        throw InputError(fmt::format("variant {}: {}", s.run.name, e.what()));
      }
    }
    return 0;
  });
  // Create the output early, so an unwritable path fails before any simulation.
  const auto create_start = tbb::tick_count::now();
  ResultsWriter writer(out_path);
  // HDF5 output while nothing else runs, and the replications; the trajectories are
  // written while the replications go on, and counted apart.
  double write_seconds = (tbb::tick_count::now() - create_start).seconds();
  double trajectory_seconds = 0;
  // Variants that differ only outside the audience and graph share one graph.
  std::string graph_key;
  std::optional<GraphRecord> graph;
  for (Variant& variant : variants) {
    LoadedScenario& loaded = variant.loaded;
    const Scenario& s = loaded.scenario;
    const std::string of_variant = variants.size() > 1 ? " of variant " + s.run.name : "";
    // What the graph depends on: the seed and the [audience], [graph] and [segments] keys.
    Scenario graph_part;
    graph_part.audience = s.audience;
    graph_part.graph = s.graph;
    graph_part.segments = s.segments;
    const std::string key = fmt::format("{}|{}", s.run.seed, resolved_toml(graph_part));
    if (!graph || key != graph_key) {
      graph.reset();  // the old graph goes before the new one is built, not after
      graph.emplace(in_phase("building the graph" + of_variant, estimate, [&] { return make_graph(loaded); }));
      graph_key = key;
    } else if (s.graph.model == GraphModel::edge_list) {
      loaded.scenario.audience.size = graph->graph.num_nodes();
      validate(loaded.scenario, loaded.origins);
    }
    const std::unique_ptr<Model> model = in_phase("drawing the partner ecosystem" + of_variant, estimate,
                                                  [&] { return make_model(s, graph->graph); });
    const auto begin_start = tbb::tick_count::now();
    writer.begin_scenario(ScenarioHeader{s.run.name, resolved_toml(s), s.run.seed,
                                         s.run.replications, s.run.steps, model->metric_names(),
                                         save_trajectories});
    const double begin_seconds = (tbb::tick_count::now() - begin_start).seconds();
    RunAccumulator accumulator(model->metric_names(), s.run.steps);
    ProgressBar progress(!quiet);
    RunOptions run_options;
    run_options.replications = s.run.replications;
    run_options.steps = s.run.steps;
    std::uint64_t replications_done = 0;
    run_options.progress = [&](std::uint64_t done, std::uint64_t total) {
      replications_done = done;
      progress.update(done, total);
    };
    RunRecord record;
    try {
      record = in_phase("running the replications" + of_variant, estimate, [&] {
        return run_replications(*model, run_options, accumulator,
                                save_trajectories ? &writer : nullptr);
      });
    } catch (const Interrupted& e) {
      progress.finish();
      throw Interrupted(e.signal(), fmt::format("{} ({} of {} replications done)", e.during(),
                                                replications_done, s.run.replications));
    } catch (...) {
      progress.finish();
      throw;
    }
    progress.finish();
    const auto write_start = tbb::tick_count::now();
    writer.write_summary(accumulator, model->derived_finals(accumulator));
    const double summary_seconds = (tbb::tick_count::now() - write_start).seconds();
    write_seconds += begin_seconds + summary_seconds;
    trajectory_seconds += record.write_seconds;
    if (!quiet) print_summary(s, *graph, *model, record, accumulator);
  }
  const auto commit_start = tbb::tick_count::now();
  // From here the file lands whole: a signal no longer stops the command or fails it.
  begin_final_commit();
  in_phase("writing the results", estimate, [] {
    throw_if_interrupted();
    return 0;
  });
  writer.commit();
  const double commit_seconds = (tbb::tick_count::now() - commit_start).seconds();
  write_seconds += commit_seconds;
  if (!quiet) {
    const std::string trajectories =
        save_trajectories
            ? fmt::format("; trajectories {:.3f} s, alongside the replications", trajectory_seconds)
            : "";
    const double command_seconds = (tbb::tick_count::now() - command_start).seconds();
    std::error_code ec;
    const auto bytes = std::filesystem::file_size(out_path, ec);
    fmt::print(
        "wrote     {} ({}, {} scenario{}; writing took {:.3f} s, {:.1f}% of the run's {:.3f} "
        "s{})\n",
        excerpt(out_arg, 200), ec ? "?" : format_bytes(static_cast<double>(bytes)), variants.size(),
        variants.size() == 1 ? "" : "s", write_seconds,
        100.0 * write_seconds / std::max(1e-9, command_seconds), command_seconds, trajectories);
  }
  return 0;
}

namespace {

constexpr const char* GRAPH_USAGE =
    "usage: campaign-sim graph convert EDGES.txt[.gz] OUT.csr [--force]\n"
    "       campaign-sim graph info FILE              (an edge list, a .csr file, or a scenario .toml)\n"
    "       campaign-sim graph generate SCENARIO.toml OUT(.csr|.edges|-) [--set key=value]... [--force]\n";

// Parses a graph subcommand's arguments; true when --help was asked (usage printed).
bool parse_graph_args(const std::vector<std::string>& args, const std::string& usage,
                      const std::vector<std::string>& positionals, po::options_description extra,
                      po::variables_map& vm) {
  po::options_description options(usage);
  options.add_options()("help,h", "show this help");
  options.add(extra);
  po::options_description hidden;
  po::positional_options_description positional;
  for (const auto& name : positionals) {
    hidden.add_options()(name.c_str(), po::value<std::string>());
    positional.add(name.c_str(), 1);
  }
  po::options_description all;
  all.add(options).add(hidden);
  vm = parse(args, all, positional);
  if (vm.count("help")) {
    std::cout << options;
    return true;
  }
  for (const auto& name : positionals) {
    if (!vm.count(name)) throw InputError(fmt::format("graph: missing {}; {}", name, usage));
  }
  return false;
}

void require_fits(const GraphEstimate& estimate, unsigned workers, bool force, const std::string& where,
                  const std::string& task) {
  if (force) return;
  Footprint f;
  f.graph = estimate;
  f.peak_bytes = estimate.build_bytes;
  f.peak_is_build = true;
  check_fits(f, memory_limit(workers), where, task);
}

int graph_convert(const std::vector<std::string>& args) {
  const std::string usage = "campaign-sim graph convert EDGES.txt[.gz] OUT.csr [--force]";
  po::options_description extra;
  extra.add_options()("force", po::bool_switch(), "write OUT even if its extension is not .csr, and "
                                                  "read EDGES even when the memory estimate exceeds what is available");
  po::variables_map vm;
  if (parse_graph_args(args, usage, {"EDGES", "OUT"}, extra, vm)) return 0;
  const std::string in = vm["EDGES"].as<std::string>(), out_arg = vm["OUT"].as<std::string>();
  const bool force = vm["force"].as<bool>();
  const std::string out = checked_output_path(out_arg, OutputFormat::csr, {in}, force);
  const GraphEstimate estimate = estimate_graph_file(in);
  const unsigned workers = threads_in_use(0);
  require_fits(estimate, workers, force, in, "reading this graph");
  const std::string note = estimate_note(estimate.build_bytes, memory_limit(workers));
  const auto start = tbb::tick_count::now();
  const LoadedGraph loaded = in_phase("reading " + in, note, [&] { return load_graph_file(in); });
  const double read_seconds = (tbb::tick_count::now() - start).seconds();
  in_phase("writing " + out_arg, note, [&] {
    write_csr(out, loaded.graph, loaded.original_ids);
    return 0;
  });
  fmt::print("read      {}: {} people, {} edges ({} self-loops and {} duplicate edges dropped) in {:.2f} s\n",
             excerpt(in, 200), loaded.graph.num_nodes(), loaded.graph.num_edges(),
             loaded.report.self_loops_dropped, loaded.report.duplicates_dropped, read_seconds);
  std::error_code ec;
  fmt::print("wrote     {} ({})\n", excerpt(out_arg, 200),
             format_bytes(static_cast<double>(std::filesystem::file_size(out, ec))));
  return 0;
}

int graph_info(const std::vector<std::string>& args) {
  const std::string usage = "campaign-sim graph info FILE (an edge list, a .csr file, or a scenario .toml)";
  po::options_description extra;
  extra.add_options()("force", po::bool_switch(), "read FILE even when the memory estimate exceeds "
                                                  "what is available");
  po::variables_map vm;
  if (parse_graph_args(args, usage, {"FILE"}, extra, vm)) return 0;
  const std::string file = vm["FILE"].as<std::string>();
  const bool force = vm["force"].as<bool>();
  const unsigned workers = threads_in_use(0);
  if (std::filesystem::path(file).extension() == ".toml") {
    // A scenario: what its graph will be, without building it.
    const LoadedScenario loaded = load_scenario_file(file);
    const GraphEstimate g = estimate_graph(loaded.scenario);
    const MemoryLimit limit = memory_limit(workers);
    fmt::print("{}: {}, {:.0f} people, {}{:.0f} edges{}, mean degree {:.2f}; memory {} to build, "
               "{} to hold ({} available from {}); not built\n",
               excerpt(file, 200), excerpt(g.source, 120), g.people, g.exact ? "" : "about ", g.edges,
               g.exact ? "" : " (expected)", g.people > 0 ? 2 * g.edges / g.people : 0.0,
               format_bytes(g.build_bytes), format_bytes(g.bytes), format_bytes(limit.bytes), limit.source);
    return 0;
  }
  const GraphEstimate estimate = estimate_graph_file(file);
  require_fits(estimate, workers, force, file, "reading this graph");
  const auto start = tbb::tick_count::now();
  const LoadedGraph loaded = in_phase("reading " + file, estimate_note(estimate.build_bytes, memory_limit(workers)),
                                      [&] { return load_graph_file(file); });
  const double seconds = (tbb::tick_count::now() - start).seconds();
  const CsrGraph& g = loaded.graph;
  NodeId isolated = 0;
  for (NodeId u = 0; u < g.num_nodes(); ++u) isolated += g.degree(u) == 0;
  fmt::print("{}: {} people, {} edges, mean degree {:.2f}, max degree {}, {} isolated; loaded in "
             "{:.2f} s ({}); {} in memory\n",
             excerpt(file, 200), g.num_nodes(), g.num_edges(),
             g.num_nodes() ? 2.0 * g.num_edges() / g.num_nodes() : 0.0, g.max_degree(), isolated,
             seconds, is_csr_file(file) ? "binary CSR" : "text edge list",
             format_bytes(8.0 * (g.num_nodes() + 1.0) + 4.0 * static_cast<double>(g.num_arcs())));
  return 0;
}

int graph_generate(const std::vector<std::string>& args) {
  const std::string usage =
      "campaign-sim graph generate SCENARIO.toml OUT(.csr|.edges|-) [--set key=value]... [--force]";
  std::vector<std::string> overrides;
  po::options_description extra;
  extra.add_options()
      ("set", po::value(&overrides)->composing(), "override a scenario key (repeatable)")
      ("force", po::bool_switch(), "write OUT whatever its extension, and build even when the memory "
       "estimate exceeds what is available");
  po::variables_map vm;
  if (parse_graph_args(args, usage, {"SCENARIO", "OUT"}, extra, vm)) return 0;
  const std::string scenario = vm["SCENARIO"].as<std::string>(), out_arg = vm["OUT"].as<std::string>();
  const bool force = vm["force"].as<bool>();
  LoadedScenario loaded = load_scenario_file(scenario, overrides);
  // "-" streams a text edge list to standard output; the summary then goes to stderr.
  const bool to_stdout = out_arg == "-";
  const bool binary = !to_stdout && out_arg.ends_with(".csr");
  const std::string out =
      to_stdout ? "" : checked_output_path(out_arg, binary ? OutputFormat::csr : OutputFormat::edge_list,
                                           loaded.inputs, force);
  const GraphEstimate estimate = estimate_graph(loaded.scenario);
  const unsigned workers = threads_in_use(0);
  require_fits(estimate, workers, force, scenario, "building this graph");
  const std::string note = estimate_note(estimate.build_bytes, memory_limit(workers));
  const GraphRecord record = in_phase("building the graph", note, [&] { return make_graph(loaded); });
  std::FILE* summary = to_stdout ? stderr : stdout;
  in_phase(to_stdout ? std::string("writing the edge list to standard output") : "writing " + out_arg, note, [&] {
    if (to_stdout) {
      stream_edge_list(stdout, "standard output", record.graph, {});
    } else if (binary) {
      write_csr(out, record.graph, {});
    } else {
      write_edge_list(out, record.graph, {});
    }
    return 0;
  });
  std::error_code ec;
  fmt::print(summary, "graph     {}; built in {:.2f} s\n", record.description, record.seconds);
  if (!to_stdout) {
    fmt::print(summary, "wrote     {} ({}, {})\n", excerpt(out_arg, 200),
               binary ? "binary CSR" : "text edge list",
               format_bytes(static_cast<double>(std::filesystem::file_size(out, ec))));
  }
  return 0;
}

}  // namespace

int graph_command(const std::vector<std::string>& args) {
  if (args.empty()) throw InputError(std::string("graph: missing a subcommand; ") + GRAPH_USAGE);
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "--help" || args[0] == "-h") {
    std::cout << GRAPH_USAGE;
    return 0;
  }
  if (args[0] == "convert") return graph_convert(rest);
  if (args[0] == "info") return graph_info(rest);
  if (args[0] == "generate") return graph_generate(rest);
  throw InputError(fmt::format("graph: unknown subcommand '{}'; subcommands: convert, info, generate "
                               "(see campaign-sim graph --help)",
                               excerpt(args[0], 40)));
}

int reference_command(const std::vector<std::string>& args) {
  if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << "usage: campaign-sim reference\n"
                 "Prints every scenario key, its type, default, allowed values, unit and meaning, "
                 "as Markdown (docs/scenario-reference.md).\n";
    return 0;
  }
  if (!args.empty()) throw InputError("reference: takes no arguments (see campaign-sim reference --help)");
  std::cout << scenario_reference_markdown();
  return 0;
}

}  // namespace campaign
