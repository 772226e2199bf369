#include "cli/commands.h"

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <tbb/global_control.h>
#include <tbb/tick_count.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <set>

#include "cli/progress.h"
#include "core/error.h"
#include "core/version.h"
#include "graph/csr_file.h"
#include "io/results_writer.h"
#include "model/ecosystem.h"
#include "model/model.h"
#include "scenario/key_registry.h"
#include "scenario/scenario_loader.h"
#include "sim/graph_factory.h"
#include "sim/runner.h"

namespace po = boost::program_options;

namespace campaign {
namespace {

// Set by SIGINT/SIGTERM; a signal handler can reach nothing else. The run stops at the
// next block boundary and the temporary output file is removed.
std::atomic<bool> stop_requested{false};

extern "C" void request_stop(int) {
  stop_requested.store(true);
  std::signal(SIGINT, SIG_DFL);  // a second Ctrl-C ends the process at once
}

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& options,
                        const po::positional_options_description& positional) {
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
  po::notify(vm);
  return vm;
}

std::string file_size_text(const std::string& path) {
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(path, ec);
  if (ec) return "?";
  if (bytes < 10'000) return fmt::format("{} B", bytes);
  if (bytes < 10'000'000) return fmt::format("{:.1f} kB", bytes / 1e3);
  return fmt::format("{:.1f} MB", bytes / 1e6);
}

void print_summary(const Scenario& s, const GraphRecord& graph, const Model& model,
                   const RunRecord& run, const RunAccumulator& acc) {
  const std::string_view unit = name_of(s.run.step_unit);
  fmt::print("scenario  {} ({})\n", s.run.name, s.source);
  fmt::print("graph     {}; built in {:.2f} s\n", graph.description, graph.seconds);
  fmt::print(
      "run       {} replication{} x {} {}{}, {} on {} thread{}: {:.2f} s ({:.1f} replications/s)\n",
      run.replications, run.replications == 1 ? "" : "s", s.run.steps, unit,
      s.run.steps == 1 ? "" : "s", name_of(s.diffusion.model), run.threads,
      run.threads == 1 ? "" : "s", run.seconds,
      run.seconds > 0 ? run.replications / run.seconds : 0.0);
  for (const std::string& line : model.describe()) fmt::print("model     {}\n", line);
  // Headline metrics, where the model has them: final value, mean and spread.
  for (const char* headline : {"total_adopted", "customers", "revenue", "profit"}) {
    const auto& names = acc.metric_names();
    const auto it = std::find(names.begin(), names.end(), headline);
    if (it == names.end()) continue;
    const SeriesSummary series = acc.series(static_cast<std::size_t>(it - names.begin()));
    const std::size_t last = series.mean.size() - 1;
    const std::string share =
        std::string(headline) == "total_adopted"
            ? fmt::format(" ({:.1f}% of people)",
                          100.0 * series.mean[last] / std::max<double>(1.0, s.audience.size))
            : "";
    fmt::print("result    {} after {} {}: mean {:.1f}{}, 95% CI {:.1f} .. {:.1f}; p05 {:.0f}, "
               "p50 {:.0f}, p95 {:.0f}\n",
               headline, unit, s.run.steps, series.mean[last], share, series.ci95_lo[last],
               series.ci95_hi[last], series.p05[last], series.p50[last], series.p95[last]);
  }
}

// "key=v1,v2,..." -> {"key=v1", "key=v2", ...}; commas inside [...] or "..." do not split.
std::vector<std::string> sweep_values(const std::string& sweep) {
  const auto eq = sweep.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == sweep.size()) {
    throw InputError(fmt::format("--sweep {}: expected section.key=value1,value2,...", sweep));
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

}  // namespace

int run_command(const std::vector<std::string>& args) {
  const auto command_start = tbb::tick_count::now();  // the share of writing is of this run
  std::string scenario_path;
  std::string out_path;
  std::vector<std::string> overrides, sweeps;
  po::options_description options("campaign-sim run SCENARIO.toml -o OUT.h5 [options]");
  options.add_options()
      ("help,h", "show this help")
      ("output,o", po::value(&out_path), "results file to write (HDF5); replaced if it exists")
      ("replications,r", po::value<std::uint64_t>(), "number of replications (= --set run.replications=N)")
      ("threads,t", po::value<unsigned>()->default_value(0), "worker threads (0: all cores)")
      ("seed,s", po::value<std::uint64_t>(), "master seed (= --set run.seed=S)")
      ("set", po::value(&overrides)->composing(), "override a scenario key: --set section.key=value (repeatable)")
      ("sweep", po::value(&sweeps)->composing(),
       "run one variant per value: --sweep section.key=v1,v2,... (repeatable: every combination); "
       "all variants go to OUT.h5, named SCENARIO@key=value, with common random numbers")
      ("save-trajectories", po::bool_switch(), "also store every replication's full trajectory")
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
  if (scenario_path.empty()) throw InputError("run: missing SCENARIO.toml (see campaign-sim run --help)");
  if (out_path.empty()) throw InputError("run: missing -o OUT.h5 (see campaign-sim run --help)");
  // Command-line shortcuts are overrides, so they are range-checked and recorded like any key.
  if (vm.count("replications")) {
    overrides.push_back(fmt::format("run.replications={}", vm["replications"].as<std::uint64_t>()));
  }
  if (vm.count("seed")) overrides.push_back(fmt::format("run.seed={}", vm["seed"].as<std::uint64_t>()));
  const bool quiet = vm["quiet"].as<bool>();
  const bool save_trajectories = vm["save-trajectories"].as<bool>();
  const unsigned threads = vm["threads"].as<unsigned>();

  std::optional<tbb::global_control> thread_cap;
  if (threads > 0) thread_cap.emplace(tbb::global_control::max_allowed_parallelism, threads);

  // Every variant is read and validated before anything runs, so a bad value fails at once.
  std::vector<LoadedScenario> variants;
  std::set<std::string> names;
  for (const auto& assignments : sweep_grid(sweeps)) {
    std::vector<std::string> all_overrides = overrides;
    all_overrides.insert(all_overrides.end(), assignments.begin(), assignments.end());
    LoadedScenario loaded = load_scenario_file(scenario_path, all_overrides);
    Scenario& s = loaded.scenario;
    if (!assignments.empty()) s.run.name = variant_name(s.run.name, assignments);
    if (!names.insert(s.run.name).second) {
      throw InputError(fmt::format("--sweep: variant {} is listed twice", s.run.name));
    }
    // The partner ecosystem and media plan only need the audience size: draw them now, so
    // a variant without a valid triad fails before any simulation.
    if (s.diffusion.model == DiffusionModel::campaign && s.media.strategy == MediaStrategy::triads &&
        s.audience.size > 0) {
      try {
        const Ecosystem ecosystem(s, s.audience.size);
        const MediaPlan plan(s, ecosystem);
      } catch (const InputError& e) {
        if (assignments.empty()) throw;
        throw InputError(fmt::format("variant {}: {}", s.run.name, e.what()));
      }
    }
    variants.push_back(std::move(loaded));
  }
  // Create the output early, so an unwritable path fails before any simulation.
  const auto create_start = tbb::tick_count::now();
  ResultsWriter writer(out_path);
  // HDF5 output while nothing else runs, and the replications; the trajectories are
  // written while the replications go on, and counted apart.
  double write_seconds = (tbb::tick_count::now() - create_start).seconds();
  double trajectory_seconds = 0;
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  // Variants that differ only outside the audience and graph share one graph.
  std::string graph_key;
  std::optional<GraphRecord> graph;
  for (LoadedScenario& loaded : variants) {
    const Scenario& s = loaded.scenario;
    // What the graph depends on: the seed and the [audience], [graph] and [segments] keys.
    Scenario graph_part;
    graph_part.audience = s.audience;
    graph_part.graph = s.graph;
    graph_part.segments = s.segments;
    const std::string key = fmt::format("{}|{}", s.run.seed, resolved_toml(graph_part));
    if (!graph || key != graph_key) {
      graph.emplace(make_graph(loaded));
      graph_key = key;
    } else if (s.graph.model == GraphModel::edge_list) {
      loaded.scenario.audience.size = graph->graph.num_nodes();
      validate(loaded.scenario, loaded.origins);
    }
    const std::unique_ptr<Model> model = make_model(s, graph->graph);
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
    run_options.progress = [&](std::uint64_t done, std::uint64_t total) { progress.update(done, total); };
    run_options.cancel = &stop_requested;
    RunRecord record;
    try {
      record = run_replications(*model, run_options, accumulator,
                                save_trajectories ? &writer : nullptr);
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
  writer.commit();
  const double commit_seconds = (tbb::tick_count::now() - commit_start).seconds();
  write_seconds += commit_seconds;
  if (!quiet) {
    const std::string trajectories =
        save_trajectories
            ? fmt::format("; trajectories {:.3f} s, alongside the replications", trajectory_seconds)
            : "";
    const double command_seconds = (tbb::tick_count::now() - command_start).seconds();
    fmt::print(
        "wrote     {} ({}, {} scenario{}; writing took {:.3f} s, {:.1f}% of the run's {:.3f} "
        "s{})\n",
        out_path, file_size_text(out_path), variants.size(), variants.size() == 1 ? "" : "s",
        write_seconds, 100.0 * write_seconds / std::max(1e-9, command_seconds), command_seconds,
        trajectories);
  }
  return 0;
}

int graph_command(const std::vector<std::string>& args) {
  const std::string usage =
      "usage: campaign-sim graph convert EDGES.txt[.gz] OUT.csr | graph info FILE | "
      "graph generate SCENARIO.toml OUT(.csr|.edges) [--set key=value]...";
  if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << usage << "\n";
    return 0;
  }
  if (args.size() == 3 && args[0] == "convert") {
    const auto start = tbb::tick_count::now();
    const LoadedGraph loaded = load_graph_file(args[1]);
    const double read_seconds = (tbb::tick_count::now() - start).seconds();
    write_csr(args[2], loaded.graph, loaded.original_ids);
    fmt::print("read      {}: {} people, {} edges ({} self-loops and {} duplicate edges dropped) in {:.2f} s\n",
               args[1], loaded.graph.num_nodes(), loaded.graph.num_edges(),
               loaded.report.self_loops_dropped, loaded.report.duplicates_dropped, read_seconds);
    fmt::print("wrote     {} ({})\n", args[2], file_size_text(args[2]));
    return 0;
  }
  if (args.size() >= 3 && args[0] == "generate") {
    std::vector<std::string> overrides;
    for (std::size_t i = 3; i < args.size(); ++i) {
      if (args[i] != "--set" || i + 1 == args.size()) throw InputError(usage);
      overrides.push_back(args[++i]);
    }
    LoadedScenario loaded = load_scenario_file(args[1], overrides);
    const GraphRecord record = make_graph(loaded);
    const bool binary = args[2].ends_with(".csr");
    if (binary) {
      write_csr(args[2], record.graph, {});
    } else {
      write_edge_list(args[2], record.graph, {});
    }
    fmt::print("graph     {}; built in {:.2f} s\nwrote     {} ({}, {})\n", record.description,
               record.seconds, args[2], binary ? "binary CSR" : "text edge list",
               file_size_text(args[2]));
    return 0;
  }
  if (args.size() == 2 && args[0] == "info") {
    const auto start = tbb::tick_count::now();
    const LoadedGraph loaded = load_graph_file(args[1]);
    const double seconds = (tbb::tick_count::now() - start).seconds();
    const CsrGraph& g = loaded.graph;
    NodeId isolated = 0;
    for (NodeId u = 0; u < g.num_nodes(); ++u) isolated += g.degree(u) == 0;
    fmt::print("{}: {} people, {} edges, mean degree {:.2f}, max degree {}, {} isolated; loaded in "
               "{:.2f} s ({})\n",
               args[1], g.num_nodes(), g.num_edges(),
               g.num_nodes() ? 2.0 * g.num_edges() / g.num_nodes() : 0.0, g.max_degree(), isolated,
               seconds, is_csr_file(args[1]) ? "binary CSR" : "text edge list");
    return 0;
  }
  throw InputError(usage);
}

int reference_command(const std::vector<std::string>& args) {
  if (!args.empty()) throw InputError("reference: takes no arguments");
  std::cout << scenario_reference_markdown();
  return 0;
}

}  // namespace campaign
