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

#include "cli/options.h"
#include "core/error.h"
#include "core/interrupt.h"
#include "core/text.h"
#include "core/version.h"
#include "graph/csr_file.h"
#include "graph/graph_stats.h"
#include "io/output_file.h"
#include "io/results_writer.h"
#include "model/ecosystem_cache.h"
#include "model/metrics.h"
#include "model/model.h"
#include "scenario/key_registry.h"
#include "scenario/scenario_loader.h"
#include "sim/footprint.h"
#include "sim/graph_factory.h"
#include "sim/runner.h"

namespace campaign {

namespace {

constexpr const char* GRAPH_USAGE =
    "usage: campaign-sim graph convert EDGES OUT.csr [--directed [--arcs follows|talks_to]] [--force]\n"
    "       campaign-sim graph info FILE [--directed [--arcs follows|talks_to]] [--json]\n"
    "                                   (an edge list, a Matrix Market file, a .csr file, or a scenario .toml)\n"
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

// --directed and --arcs, as graph.directed and graph.arcs read a file.
po::options_description direction_options() {
  po::options_description options;
  options.add_options()
      ("directed", po::bool_switch(), "read the file as a follower network (as graph.directed = true): word of "
       "mouth travels one way along each line")
      ("arcs", po::value<std::string>(), "with --directed, what a line \"u v\" says: follows (u follows v, so v "
       "talks to u; the default) or talks_to (u talks to v)");
  return options;
}

ArcReading arc_reading(const po::variables_map& vm) {
  if (!vm["directed"].as<bool>()) {
    if (vm.count("arcs")) throw InputError("--arcs goes with --directed");
    return ArcReading::undirected;
  }
  const std::string arcs = vm.count("arcs") ? vm["arcs"].as<std::string>() : std::string(name_of(GraphArcs::follows));
  std::string allowed;
  for (const auto& [name, value] : EnumNames<GraphArcs>::values) {  // graph.arcs' values
    if (name == arcs) return arc_reading_of(true, value);
    allowed += (allowed.empty() ? "" : ", ") + std::string(name);
  }
  throw InputError(fmt::format("--arcs {} is not allowed; allowed: {}", excerpt(arcs, 40), allowed));
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
  const std::string usage =
      "campaign-sim graph convert EDGES OUT.csr [--directed [--arcs follows|talks_to]] [--force]\n"
      "(EDGES: a SNAP edge list or a Matrix Market file, gzip or not)";
  po::options_description extra;
  extra.add_options()("force", po::bool_switch(), "write OUT even if its extension is not .csr, and "
                                                  "read EDGES even when the memory estimate exceeds what is available");
  extra.add(direction_options());
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
  const ArcReading reading = arc_reading(vm);
  const LoadedGraph loaded = in_phase("reading " + in, note, [&] { return load_graph_file(in, reading); });
  const double read_seconds = (tbb::tick_count::now() - start).seconds();
  in_phase("writing " + out_arg, note, [&] {
    write_csr(out, loaded.graph, loaded.original_ids);
    return 0;
  });
  fmt::print("read      {}: {} people, {} {} ({} self-loops and {} duplicate edges dropped) in {:.2f} s\n",
             excerpt(in, 200), loaded.graph.num_nodes(), loaded.graph.num_edges(),
             loaded.graph.directed() ? "arcs (directed, as word of mouth travels)" : "edges",
             loaded.report.self_loops_dropped, loaded.report.duplicates_dropped, read_seconds);
  std::error_code ec;
  fmt::print("wrote     {} ({})\n", excerpt(out_arg, 200),
             format_bytes(static_cast<double>(std::filesystem::file_size(out, ec))));
  return 0;
}

int graph_info(const std::vector<std::string>& args) {
  const std::string usage =
      "campaign-sim graph info FILE [--directed [--arcs follows|talks_to]] [--json]\n"
      "(FILE: a SNAP edge list, a Matrix Market file, a .csr file, or a scenario .toml)";
  po::options_description extra;
  extra.add_options()("force", po::bool_switch(), "read FILE even when the memory estimate exceeds "
                                                  "what is available")
      ("json", po::bool_switch(), "print one JSON object instead of lines (a graph file only)");
  extra.add(direction_options());
  po::variables_map vm;
  if (parse_graph_args(args, usage, {"FILE"}, extra, vm)) return 0;
  const std::string file = vm["FILE"].as<std::string>();
  const bool force = vm["force"].as<bool>(), json = vm["json"].as<bool>();
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
  // A directed .csr file says so itself.
  const ArcReading reading = is_csr_file(file) && read_csr_header(file).directed && !vm["directed"].as<bool>()
                                 ? ArcReading::talks_to
                                 : arc_reading(vm);
  const LoadedGraph loaded = in_phase("reading " + file, estimate_note(estimate.build_bytes, memory_limit(workers)),
                                      [&] { return load_graph_file(file, reading); });
  const double seconds = (tbb::tick_count::now() - start).seconds();
  const CsrGraph& g = loaded.graph;
  const GraphStats s = in_phase("summarising " + file, "", [&] { return graph_stats(g); });
  const double bytes = 8.0 * (g.num_nodes() + 1.0) + 4.0 * static_cast<double>(g.num_arcs());
  const double largest_share = s.people > 0 ? static_cast<double>(s.largest_component) / s.people : 0.0;
  if (json) {
    const auto number = [](double x) { return std::isfinite(x) ? fmt::format("{:.6g}", x) : std::string("null"); };
    fmt::print("{{\"file\": {}, \"format\": \"{}\", \"directed\": {}, \"people\": {}, \"edges\": {}, "
               "\"degree\": {{\"min\": {}, \"p50\": {}, \"p90\": {}, \"p99\": {}, \"max\": {}, \"mean\": {}, "
               "\"mean_square\": {}}}, \"isolated\": {}, \"components\": {}, \"largest_component\": {}, "
               "\"largest_component_share\": {}, \"epidemic_threshold\": {}, \"memory_bytes\": {:.0f}}}\n",
               json_string(file), is_csr_file(file) ? "csr" : "edge_list", s.directed ? "true" : "false", s.people,
               s.edges, s.min_degree,
               s.p50_degree, s.p90_degree, s.p99_degree, s.max_degree, number(s.mean_degree),
               number(s.mean_square_degree), s.isolated, s.components, s.largest_component, number(largest_share),
               number(s.epidemic_threshold), bytes);
    return 0;
  }
  fmt::print("{}: {} people, {} {}, mean degree {:.2f}, max degree {}, {} isolated; loaded in "
             "{:.2f} s ({}); {} in memory\n",
             excerpt(file, 200), g.num_nodes(), g.num_edges(), s.directed ? "arcs (directed)" : "edges",
             s.mean_degree, s.max_degree, s.isolated, seconds,
             is_csr_file(file) ? "binary CSR" : "text file", format_bytes(bytes));
  fmt::print("degrees     min {}, median {}, p90 {}, p99 {}, max {}; mean {:.2f}, mean square {:.2f} ({})\n",
             s.min_degree, s.p50_degree, s.p90_degree, s.p99_degree, s.max_degree, s.mean_degree,
             s.mean_square_degree,
             s.directed ? fmt::format("out-degrees: whom each talks to; in-degree at most {}", s.max_in_degree)
                        : std::string("undirected"));
  fmt::print("components  {}{}; the largest holds {} people ({:.1f}%)\n", s.components,
             s.directed ? " (weakly connected)" : "", s.largest_component, 100 * largest_share);
  if (std::isfinite(s.epidemic_threshold)) {
    fmt::print("threshold   T_c = {} = {:.4g}: an independent cascade with transmission well above it can reach "
               "a share of the people, well below it a handful\n",
               s.directed ? "<k>/<k_in k_out>" : "<k>/(<k^2> - <k>)", s.epidemic_threshold);
  } else {
    fmt::print("threshold   none: {}, so no cascade spreads\n",
               s.directed ? "<k_in k_out> = 0 (no one both hears and talks)"
                          : "<k^2> <= <k> (no person has two links)");
  }
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
    std::cout << "usage: campaign-sim reference [--metrics]\n"
                 "Prints every scenario key, its type, default, allowed values, unit and meaning, "
                 "as Markdown (docs/scenario-reference.md); with --metrics, the models' metrics "
                 "(the tables of docs/hdf5-layout.md).\n";
    return 0;
  }
  if (args.size() == 1 && args[0] == "--metrics") {
    std::cout << metrics_reference_markdown();
    return 0;
  }
  if (!args.empty()) throw InputError("reference: takes no arguments but --metrics (see campaign-sim reference --help)");
  std::cout << scenario_reference_markdown();
  return 0;
}

}  // namespace campaign
