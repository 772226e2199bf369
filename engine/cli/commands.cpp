#include "cli/commands.h"

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <tbb/global_control.h>
#include <tbb/tick_count.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <iostream>

#include "cli/progress.h"
#include "core/error.h"
#include "core/version.h"
#include "io/results_writer.h"
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
                   const RunRecord& run, const RunAccumulator& acc, const std::string& out_path) {
  const std::string_view unit = name_of(s.run.step_unit);
  fmt::print("scenario  {} ({})\n", s.run.name, s.source);
  fmt::print("graph     {}; built in {:.2f} s\n", graph.description, graph.seconds);
  fmt::print("run       {} replications x {} {}s, {} on {} thread{}: {:.2f} s ({:.1f} replications/s)\n",
             run.replications, s.run.steps, unit, name_of(s.diffusion.model), run.threads,
             run.threads == 1 ? "" : "s",
             run.seconds, run.seconds > 0 ? run.replications / run.seconds : 0.0);
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
  fmt::print("wrote     {} ({})\n", out_path, file_size_text(out_path));
}

}  // namespace

int run_command(const std::vector<std::string>& args) {
  std::string scenario_path;
  std::string out_path;
  std::vector<std::string> overrides;
  po::options_description options("campaign-sim run SCENARIO.toml -o OUT.h5 [options]");
  options.add_options()
      ("help,h", "show this help")
      ("output,o", po::value(&out_path), "results file to write (HDF5); replaced if it exists")
      ("replications,r", po::value<std::uint64_t>(), "number of replications (= --set run.replications=N)")
      ("threads,t", po::value<unsigned>()->default_value(0), "worker threads (0: all cores)")
      ("seed,s", po::value<std::uint64_t>(), "master seed (= --set run.seed=S)")
      ("set", po::value(&overrides)->composing(), "override a scenario key: --set section.key=value (repeatable)")
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

  LoadedScenario loaded = load_scenario_file(scenario_path, overrides);
  // Create the output early, so an unwritable path fails before any simulation.
  ResultsWriter writer(out_path);
  GraphRecord graph = make_graph(loaded);
  const Scenario& s = loaded.scenario;
  const std::unique_ptr<Model> model = make_model(s, graph.graph);

  writer.begin_scenario(ScenarioHeader{s.run.name, resolved_toml(s), s.run.seed,
                                       s.run.replications, s.run.steps, model->metric_names(),
                                       save_trajectories});
  RunAccumulator accumulator(model->metric_names(), s.run.steps);
  ProgressBar progress(!quiet);
  RunOptions run_options;
  run_options.replications = s.run.replications;
  run_options.steps = s.run.steps;
  run_options.progress = [&](std::uint64_t done, std::uint64_t total) { progress.update(done, total); };
  run_options.cancel = &stop_requested;
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  RunRecord record;
  try {
    record = run_replications(*model, run_options, accumulator,
                              save_trajectories ? &writer : nullptr);
  } catch (...) {
    progress.finish();
    throw;
  }
  progress.finish();
  writer.write_summary(accumulator, model->derived_finals(accumulator));
  writer.commit();
  if (!quiet) print_summary(s, graph, *model, record, accumulator, out_path);
  return 0;
}

int reference_command(const std::vector<std::string>& args) {
  if (!args.empty()) throw InputError("reference: takes no arguments");
  std::cout << scenario_reference_markdown();
  return 0;
}

}  // namespace campaign
