#include "io/results_reader.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <variant>

#include "core/error.h"
#include "core/text.h"

namespace campaign {
namespace {

constexpr std::int64_t SCHEMA = 4;
// The design table's columns that are not varied keys (docs/hdf5-layout.md).
const std::set<std::string> DESIGN_FIXED = {"id", "name", "replications", "status", "target_reached",
                                            "content_key"};
constexpr std::array<const char*, 7> SERIES_COLUMNS = {"mean", "sd", "p05", "p50", "p95", "ci95_lo", "ci95_hi"};

bool has_attribute(const h5::Group& g, const std::string& name) {
  const std::vector<std::string> names = g.attribute_names();
  return std::binary_search(names.begin(), names.end(), name);
}

h5::File open_results(const std::string& path) {
  h5::File file = [&] {
    try {
      return h5::File::open_read_only(path);
    } catch (const IoError& e) {
      throw InputError(fmt::format("{}: not an HDF5 file that can be read ({})", excerpt_path(path),
                                   excerpt(e.what(), 120)));
    }
  }();
  if (!has_attribute(file, "file_type") || file.read_string_attribute("file_type") != "campaign-sim results") {
    throw InputError(fmt::format("{}: not a campaign-sim results file (its file_type attribute is missing or not \"campaign-sim results\")",
                                 excerpt_path(path)));
  }
  const std::int64_t schema = file.read_int_attribute("schema_version");
  if (schema != SCHEMA) {
    throw InputError(fmt::format("{}: results schema {}; this engine reads schema {} (scripts/plot_run.py reads "
                                 "schemas 1 to 4)",
                                 excerpt_path(path), schema, SCHEMA));
  }
  return file;
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t at = 0; at <= text.size();) {
    const std::size_t comma = std::min(text.find(',', at), text.size());
    out.push_back(text.substr(at, comma - at));
    at = comma + 1;
  }
  return out;
}

std::string model_of(const std::string& config_toml) {
  try {
    const toml::table t = toml::parse(config_toml);
    return t["diffusion"]["model"].value_or(std::string());
  } catch (const toml::parse_error&) {
    return "";
  }
}

const h5::Column* find_column(const std::vector<h5::Column>& columns, const std::string& name) {
  for (const h5::Column& c : columns) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

// One CSV cell.
std::string csv_text(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos && !text.empty() && text.front() != ' ' &&
      text.back() != ' ') {
    return text;
  }
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csv_number(double value) { return std::isnan(value) ? std::string() : fmt::format("{}", value); }

std::string csv_cell(const h5::Column& column, std::size_t row) {
  return std::visit(
      [&](const auto& values) -> std::string {
        using T = typename std::decay_t<decltype(values)>::value_type;
        if constexpr (std::is_same_v<T, double>) {
          return csv_number(values[row]);
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return fmt::format("{}", values[row]);
        } else {
          return csv_text(values[row]);
        }
      },
      column.values);
}

std::size_t rows_of(const h5::Column& column) {
  return std::visit([](const auto& values) { return values.size(); }, column.values);
}

void write_row(std::ostream& out, const std::vector<std::string>& cells) {
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) line += ',';
    line += cells[i];
  }
  line += '\n';
  out << line;
}

// Per scenario name: the cells that begin its rows (id, name and the varied values in
// a sweep file; the name in a run file), and the header of those cells.
struct RowPrefix {
  std::vector<std::string> header;
  std::map<std::string, std::vector<std::string>> cells;
};

RowPrefix row_prefix(const h5::File& file, const std::vector<std::string>& scenarios) {
  RowPrefix prefix;
  if (!file.exists("sweep")) {
    prefix.header = {"name"};
    for (const std::string& name : scenarios) prefix.cells[name] = {csv_text(name)};
    return prefix;
  }
  const std::vector<h5::Column> design = file.open_group("sweep").read_columns("design");
  const h5::Column* names = find_column(design, "name");
  if (names == nullptr) throw IoError("/sweep/design has no name column");
  std::vector<const h5::Column*> columns = {find_column(design, "id"), names};
  for (const h5::Column& c : design) {
    if (!DESIGN_FIXED.count(c.name)) columns.push_back(&c);
  }
  prefix.header = {"id", "name"};
  for (std::size_t i = 2; i < columns.size(); ++i) prefix.header.push_back(columns[i]->name);
  const auto& name_values = std::get<std::vector<std::string>>(names->values);
  for (std::size_t row = 0; row < name_values.size(); ++row) {
    std::vector<std::string> cells;
    for (const h5::Column* c : columns) cells.push_back(c ? csv_cell(*c, row) : "");
    prefix.cells[name_values[row]] = std::move(cells);
  }
  return prefix;
}

// Scenario names in the order of their variant ids (sweep files), else by name.
std::vector<std::string> scenario_order(const h5::File& file) {
  const h5::Group scenarios = file.open_group("scenarios");
  std::vector<std::pair<std::int64_t, std::string>> order;
  for (const std::string& name : scenarios.member_names()) {
    const h5::Group g = scenarios.open_group(name);
    order.emplace_back(has_attribute(g, "variant_id") ? g.read_int_attribute("variant_id") : -1, name);
  }
  std::sort(order.begin(), order.end());
  std::vector<std::string> names;
  for (auto& [id, name] : order) names.push_back(std::move(name));
  return names;
}

}  // namespace

ResultsInfo read_results_info(const std::string& path) {
  const h5::File file = open_results(path);
  ResultsInfo info;
  info.schema_version = file.read_int_attribute("schema_version");
  info.engine_version = file.read_string_attribute("engine_version");
  info.created_utc = file.read_string_attribute("created_utc");
  const h5::Group scenarios = file.open_group("scenarios");
  for (const std::string& name : scenario_order(file)) {
    const h5::Group g = scenarios.open_group(name);
    ScenarioInfo s;
    s.name = name;
    if (has_attribute(g, "variant_id")) {
      s.variant_id = g.read_int_attribute("variant_id");
      s.content_key = g.read_string_attribute("content_key");
    }
    s.seed = g.read_uint_attribute("seed");
    s.replications = g.read_int_attribute("replications");
    s.steps = g.read_int_attribute("steps");
    s.model = model_of(g.read_string_attribute("config_toml"));
    s.metrics = split_commas(g.read_string_attribute("metrics"));
    s.finals = g.table_columns("finals");
    s.trajectories = g.exists("trajectories");
    info.scenarios.push_back(std::move(s));
  }
  if (file.exists("sweep")) {
    const h5::Group sweep = file.open_group("sweep");
    SweepInfo w;
    try {
      const toml::table manifest = toml::parse(sweep.read_string_attribute("manifest"));
      w.design = manifest["design"].value_or(std::string());
    } catch (const toml::parse_error&) {
    }
    const std::vector<h5::Column> design = sweep.read_columns("design");
    for (const h5::Column& c : design) {
      if (!DESIGN_FIXED.count(c.name)) w.keys.push_back(c.name);
    }
    if (const h5::Column* status = find_column(design, "status")) {
      for (const std::string& s : std::get<std::vector<std::string>>(status->values)) {
        ++w.variants;
        w.done += s == "done";
        w.failed += s == "failed";
      }
    }
    const std::vector<h5::Column> failures = sweep.read_columns("failures");
    const h5::Column* id = find_column(failures, "id");
    const h5::Column* name = find_column(failures, "name");
    const h5::Column* message = find_column(failures, "message");
    if (id && name && message) {
      for (std::size_t i = 0; i < rows_of(*id); ++i) {
        w.failures.push_back({std::get<std::vector<std::int64_t>>(id->values)[i],
                              std::get<std::vector<std::string>>(name->values)[i],
                              std::get<std::vector<std::string>>(message->values)[i]});
      }
    }
    info.sweep = std::move(w);
  }
  if (file.exists("compare")) {
    const h5::Group compare = file.open_group("compare");
    CompareInfo c;
    c.baseline = compare.read_string_attribute("baseline");
    c.objective = compare.read_string_attribute("objective");
    c.paired = compare.read_int_attribute("paired") == 1;
    if (compare.exists("selection")) c.selected = compare.read_string_attribute("selected");
    for (const char* table : {"summary", "wins", "constraints", "selection", "seeding_value", "seeding_value_replications"}) {
      if (compare.exists(table)) c.tables.push_back(table);
    }
    info.compare = std::move(c);
  }
  return info;
}

void export_csv(const std::string& path, ExportTable table, std::ostream& out) {
  const h5::File file = open_results(path);
  if (table != ExportTable::finals && table != ExportTable::series) {
    std::string group = "sweep", dataset = "table";
    if (table == ExportTable::sweep) {
      if (!file.exists("sweep")) {
        throw InputError(fmt::format("{}: not a sweep's file (no /sweep); --table finals or series export a "
                                     "run's results",
                                     excerpt_path(path)));
      }
    } else {
      group = "compare";
      // The dataset, and the option of compare that writes it where it is optional.
      const std::pair<const char*, const char*> datasets[] = {
          {"summary", ""}, {"wins", ""}, {"constraints", " --constraint"}, {"selection", " --select"},
          {"seeding_value", " --seeding-value"}, {"seeding_value_replications", " --seeding-value"}};
      const auto [name, option] = datasets[static_cast<int>(table) - static_cast<int>(ExportTable::compare)];
      dataset = name;
      if (!file.exists("compare") || !file.open_group("compare").exists(dataset)) {
        throw InputError(fmt::format("{}: no /compare/{} ({}); it is written by campaign-sim compare{}",
                                     excerpt_path(path), dataset,
                                     file.exists("compare") ? "not in this comparison" : "not a comparison's file",
                                     option));
      }
    }
    const std::vector<h5::Column> columns = file.open_group(group).read_columns(dataset);
    std::vector<std::string> header;
    for (const h5::Column& c : columns) header.push_back(csv_text(c.name));
    write_row(out, header);
    const std::size_t rows = columns.empty() ? 0 : rows_of(columns.front());
    for (std::size_t row = 0; row < rows; ++row) {
      std::vector<std::string> cells;
      for (const h5::Column& c : columns) cells.push_back(csv_cell(c, row));
      write_row(out, cells);
    }
    return;
  }
  const std::vector<std::string> names = scenario_order(file);
  const RowPrefix prefix = row_prefix(file, names);
  const h5::Group scenarios = file.open_group("scenarios");
  bool header_written = false;
  // The finals' columns of every scenario, in order of first appearance: a sweep over
  // diffusion.model mixes models, whose missing finals are empty cells.
  std::vector<std::string> final_header;
  if (table == ExportTable::finals) {
    for (const std::string& name : names) {
      for (const std::string& c : scenarios.open_group(name).table_columns("finals")) {
        if (std::find(final_header.begin(), final_header.end(), c) == final_header.end()) final_header.push_back(c);
      }
    }
  }
  for (const std::string& name : names) {
    const h5::Group g = scenarios.open_group(name);
    const auto found = prefix.cells.find(name);
    const std::vector<std::string> lead =
        found != prefix.cells.end() ? found->second : std::vector<std::string>(prefix.header.size());
    if (table == ExportTable::finals) {
      if (!header_written) {
        std::vector<std::string> header = prefix.header;
        header.push_back("replication");
        for (const std::string& c : final_header) header.push_back(csv_text(c));
        write_row(out, header);
        header_written = true;
      }
      const std::vector<std::string> columns = g.table_columns("finals");
      const std::vector<std::vector<double>> read = g.read_columns_as_double("finals", columns);
      std::vector<const std::vector<double>*> values(final_header.size(), nullptr);
      for (std::size_t k = 0; k < final_header.size(); ++k) {
        const auto at = std::find(columns.begin(), columns.end(), final_header[k]);
        if (at != columns.end()) values[k] = &read[static_cast<std::size_t>(at - columns.begin())];
      }
      const std::size_t rows = read.empty() ? 0 : read.front().size();
      for (std::size_t r = 0; r < rows; ++r) {
        std::vector<std::string> cells = lead;
        cells.push_back(fmt::format("{}", r));
        for (const auto& v : values) cells.push_back(v ? csv_number((*v)[r]) : std::string());
        write_row(out, cells);
      }
    } else {
      if (!header_written) {
        std::vector<std::string> header = prefix.header;
        header.insert(header.end(), {"metric", "step"});
        for (const char* c : SERIES_COLUMNS) header.emplace_back(c);
        write_row(out, header);
        header_written = true;
      }
      const std::vector<std::string> metrics = split_commas(g.read_string_attribute("metrics"));
      const auto points = static_cast<std::size_t>(g.read_int_attribute("steps")) + 1;
      const std::vector<std::string> series_columns(SERIES_COLUMNS.begin(), SERIES_COLUMNS.end());
      const std::vector<std::vector<double>> values = g.read_columns_as_double("series", series_columns);
      for (std::size_t m = 0; m < metrics.size(); ++m) {
        for (std::size_t t = 0; t < points; ++t) {
          std::vector<std::string> cells = lead;
          cells.push_back(csv_text(metrics[m]));
          cells.push_back(fmt::format("{}", t));
          for (const auto& v : values) cells.push_back(csv_number(v[m * points + t]));
          write_row(out, cells);
        }
      }
    }
  }
  if (!header_written) {
    // No scenario (every variant failed): the header alone.
    std::vector<std::string> header = prefix.header;
    if (table == ExportTable::finals) header.push_back("replication");
    write_row(out, header);
  }
}

}  // namespace campaign
