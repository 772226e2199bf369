// `export` and `inspect`: a results file read back, as CSV tables or as a description
// (a table for people, JSON for programs).
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/options.h"
#include "core/error.h"
#include "core/text.h"
#include "experiment/study_store.h"
#include "io/output_file.h"
#include "io/results_reader.h"

namespace campaign {
namespace {

std::string json_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + json_string(items[i]);
  return out + "]";
}

void print_json(const std::string& path, const ResultsInfo& info) {
  std::string out = "{\n";
  out += fmt::format("  \"file\": {},\n  \"schema_version\": {},\n  \"engine_version\": {},\n  \"created_utc\": {},\n",
                     json_string(path), info.schema_version, json_string(info.engine_version),
                     json_string(info.created_utc));
  out += "  \"scenarios\": [";
  for (std::size_t i = 0; i < info.scenarios.size(); ++i) {
    const ScenarioInfo& s = info.scenarios[i];
    out += fmt::format(
        "{}\n    {{\"name\": {}, \"variant_id\": {}, \"content_key\": {}, \"model\": {}, \"seed\": {}, "
        "\"replications\": {}, \"steps\": {}, \"trajectories\": {}, \"metrics\": {}, \"finals\": {}}}",
        i ? "," : "", json_string(s.name), s.variant_id < 0 ? "null" : fmt::format("{}", s.variant_id),
        s.content_key.empty() ? "null" : json_string(s.content_key), json_string(s.model), s.seed,
        s.replications, s.steps, s.trajectories ? "true" : "false", json_list(s.metrics), json_list(s.finals));
  }
  out += info.scenarios.empty() ? "],\n" : "\n  ],\n";
  if (info.sweep) {
    const SweepInfo& w = *info.sweep;
    out += fmt::format("  \"sweep\": {{\"design\": {}, \"keys\": {}, \"variants\": {}, \"done\": {}, \"failed\": {}, "
                       "\"failures\": [",
                       json_string(w.design), json_list(w.keys), w.variants, w.done, w.failed);
    for (std::size_t i = 0; i < w.failures.size(); ++i) {
      out += fmt::format("{}\n    {{\"id\": {}, \"name\": {}, \"message\": {}}}", i ? "," : "", w.failures[i].id,
                         json_string(w.failures[i].name), json_string(w.failures[i].message));
    }
    out += w.failures.empty() ? "]}\n" : "\n  ]}\n";
  } else {
    out += "  \"sweep\": null\n";
  }
  if (info.compare) {
    const CompareInfo& c = *info.compare;
    out.insert(out.size() - 1, ",");  // after the sweep's closing brace
    out += fmt::format("  \"compare\": {{\"baseline\": {}, \"objective\": {}, \"paired\": {}, \"selected\": {}, "
                       "\"tables\": {}}}\n",
                       json_string(c.baseline), json_string(c.objective), c.paired ? "true" : "false",
                       c.selected.empty() ? "null" : json_string(c.selected), json_list(c.tables));
  } else {
    out.insert(out.size() - 1, ",");
    out += "  \"compare\": null\n";
  }
  out += "}\n";
  std::cout << out;
}

void print_table(const std::string& path, const ResultsInfo& info) {
  fmt::print("file       {}: schema {}, engine {}, written {}\n", excerpt_path(path, 120), info.schema_version,
             info.engine_version, info.created_utc);
  if (info.sweep) {
    const SweepInfo& w = *info.sweep;
    std::string keys;
    for (const std::string& k : w.keys) keys += (keys.empty() ? "" : ", ") + k;
    fmt::print("sweep      {} variants: {} done, {} failed, {} not run; design {}\n", w.variants, w.done, w.failed,
               w.variants - w.done - w.failed, excerpt(w.design, 120));
    fmt::print("varied     {}\n", keys.empty() ? "(nothing)" : keys);
  }
  if (info.compare) {
    const CompareInfo& c = *info.compare;
    std::string tables;
    for (const std::string& t : c.tables) tables += (tables.empty() ? "" : ", ") + t;
    fmt::print("compare    baseline {}, objective {}, {}{}; tables {} (export --table compare, ...)\n",
               excerpt(c.baseline, 60), c.objective,
               c.paired ? "common random numbers" : "independent streams",
               c.selected.empty() ? "" : fmt::format(", selected {}", excerpt(c.selected, 60)), tables);
  }
  fmt::print("scenarios  {}\n", info.scenarios.size());
  if (!info.scenarios.empty()) {
    // A sweep's variants by their values (the name after `<run.name>@`), a run's by name.
    const auto label = [](const ScenarioInfo& s) {
      const auto at = s.name.find('@');
      return s.variant_id >= 0 && at != std::string::npos ? s.name.substr(at + 1) : s.name;
    };
    std::size_t width = 4;
    for (const ScenarioInfo& s : info.scenarios) width = std::max(width, std::min<std::size_t>(label(s).size(), 70));
    fmt::print("  {:>6}  {:<{}}  {:>12}  {:>6}  {}\n", "id", info.sweep ? "values" : "name", width, "replications",
               "steps", "model");
    constexpr std::size_t SHOWN = 40;  // a long sweep: the first and the last
    for (std::size_t i = 0; i < info.scenarios.size(); ++i) {
      if (info.scenarios.size() > SHOWN && i == SHOWN / 2) {
        fmt::print("  {:>6}  ({} more)\n", "...", info.scenarios.size() - SHOWN);
        i = info.scenarios.size() - SHOWN / 2;
      }
      const ScenarioInfo& s = info.scenarios[i];
      fmt::print("  {:>6}  {:<{}}  {:>12}  {:>6}  {}{}\n", s.variant_id < 0 ? "-" : fmt::format("{}", s.variant_id),
                 excerpt(label(s), 70), width, s.replications, s.steps, s.model,
                 s.trajectories ? ", trajectories" : "");
    }
    // The metrics of each distinct list (one, unless a file mixes models).
    std::vector<std::vector<std::string>> shown;
    for (const ScenarioInfo& s : info.scenarios) {
      if (std::find(shown.begin(), shown.end(), s.finals) != shown.end()) continue;
      shown.push_back(s.finals);
      std::string metrics, derived;
      for (const std::string& m : s.metrics) metrics += (metrics.empty() ? "" : ", ") + m;
      for (std::size_t k = s.metrics.size(); k < s.finals.size(); ++k) {
        derived += (derived.empty() ? "" : ", ") + s.finals[k];
      }
      fmt::print("metrics    ({} model, {}) {}\n", s.model, s.metrics.size(), metrics);
      if (!derived.empty()) fmt::print("derived    {} (finals only)\n", derived);
    }
  }
  if (info.sweep) {
    for (const FailureInfo& f : info.sweep->failures) {
      fmt::print("failed     {} {}: {}\n", f.id, excerpt(f.name, 60), one_line(f.message, 200));
    }
  }
}

// A results file that a sweep or comparison, interrupted or still running, has not
// written yet: its finished variants wait in FILE.parts/. Says so, and how to finish it,
// rather than that the file does not exist.
void refuse_unfinished(const std::string& file) {
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) return;
  const PartStore parts(file);
  if (!parts.exists()) return;
  const std::optional<std::uint64_t> planned = parts.planned_variants();
  const std::string of = planned ? fmt::format(" of {}", *planned) : "";
  throw InputError(fmt::format("{}: not written yet: {}{} variants are finished in its .parts folder; if the "
                               "sweep or comparison was interrupted, run the same command again with --resume",
                               excerpt_path(file), parts.finished().size(), of));
}

}  // namespace

int export_command(const std::vector<std::string>& args) {
  std::string file, table_text, format = "csv", out_arg = "-";
  po::options_description options(
      "campaign-sim export RESULTS.h5 [--table sweep|finals|series|compare|wins|...] [-o FILE.csv|-]\n\n"
      "Writes one of the file's tables as CSV (docs/experiments.md): sweep (a row per variant: its\n"
      "values and every final metric's mean, sd and 95% CI), finals (a row per scenario and\n"
      "replication) or series (a row per scenario, metric and step); a comparison's compare\n"
      "(/compare/summary), wins, constraints, selection, seeding_value and\n"
      "seeding_value_replications. Default: compare for a comparison's\n"
      "file, sweep for a sweep's, finals otherwise");
  options.add_options()
      ("help,h", "show this help")
      ("table", po::value(&table_text), "sweep, finals, series, compare, wins, constraints, selection, "
       "seeding_value or seeding_value_replications")
      ("format", po::value(&format), "csv (the only one)")
      ("output,o", po::value(&out_arg), "the CSV file to write, or - for standard output (the default); "
       "an existing file is replaced")
      ("force", po::bool_switch(), "write OUT even if its extension is not .csv");
  const std::optional<po::variables_map> parsed = parse_command(args, options, "file", file);
  if (!parsed) return 0;
  const po::variables_map& vm = *parsed;
  if (file.empty()) throw InputError("export: missing RESULTS.h5 (see campaign-sim export --help)");
  refuse_unfinished(file);
  if (format != "csv") throw InputError(fmt::format("--format {}: allowed: csv", excerpt(format, 20)));
  const ResultsInfo info = read_results_info(file);
  ExportTable table = info.compare ? ExportTable::compare : info.sweep ? ExportTable::sweep : ExportTable::finals;
  if (vm.count("table")) {
    const std::pair<const char*, ExportTable> tables[] = {
        {"sweep", ExportTable::sweep},     {"finals", ExportTable::finals},         {"series", ExportTable::series},
        {"compare", ExportTable::compare}, {"wins", ExportTable::wins},             {"constraints", ExportTable::constraints},
        {"selection", ExportTable::selection},
        {"seeding_value", ExportTable::seeding_value},
        {"seeding_value_replications", ExportTable::seeding_value_replications}};
    const auto it = std::find_if(std::begin(tables), std::end(tables),
                                 [&](const auto& t) { return table_text == t.first; });
    if (it != std::end(tables)) {
      table = it->second;
    } else {
      throw InputError(fmt::format("--table {}: allowed: sweep, finals, series, compare, wins, constraints, "
                                   "selection, seeding_value, seeding_value_replications",
                                   excerpt(table_text, 20)));
    }
  }
  if (out_arg == "-") {
    export_csv(file, table, std::cout);
    std::cout.flush();
    if (!std::cout) throw IoError("export: standard output could not be written");
    return 0;
  }
  const std::string out_path = checked_output_path(out_arg, OutputFormat::csv, {file}, vm["force"].as<bool>());
  TempFile temp(out_path);
  {
    std::ofstream out(temp.path(), std::ios::binary | std::ios::trunc);
    export_csv(file, table, out);
    out.flush();
    if (!out) throw IoError(fmt::format("cannot write {}", excerpt_path(out_path)));
  }
  temp.commit();
  return 0;
}

int inspect_command(const std::vector<std::string>& args) {
  std::string file;
  po::options_description options(
      "campaign-sim inspect RESULTS.h5 [--json]\n\n"
      "What a results file holds: schema, scenarios or variants, replications, metrics, the\n"
      "sweep's design and failures");
  options.add_options()("help,h", "show this help")("json", po::bool_switch(), "as JSON");
  const std::optional<po::variables_map> parsed = parse_command(args, options, "file", file);
  if (!parsed) return 0;
  const po::variables_map& vm = *parsed;
  if (file.empty()) throw InputError("inspect: missing RESULTS.h5 (see campaign-sim inspect --help)");
  refuse_unfinished(file);
  const ResultsInfo info = read_results_info(file);
  if (vm["json"].as<bool>()) {
    print_json(file, info);
  } else {
    print_table(file, info);
  }
  return 0;
}

}  // namespace campaign
