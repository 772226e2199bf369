// The results layout of docs/hdf5-layout.md (schema_version 4), written through the h5
// wrapper. Atomicity comes from the file system, not from HDF5: everything is written to a
// temporary file in the same directory (io/output_file.h), and rename(2) moves it to the
// final name in one step, so the final name holds either the previous file or a complete
// new one.
#include "io/results_writer.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <ctime>
#include <optional>
#include <span>
#include <stdexcept>

#include "core/error.h"
#include "core/version.h"
#include "io/hdf5_file.h"

namespace campaign {
namespace {

constexpr const char* STEP_INDEX_NOTE =
    "index t holds the state after step t; index 0 is the state after seeding, before step 1";

std::string utc_now_iso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// The columns of the series tables, in this order (SeriesSummary's fields).
const std::array<std::string, 7> SERIES_COLUMNS = {"mean", "sd",      "p05",    "p50",
                                                   "p95",  "ci95_lo", "ci95_hi"};

// Names become HDF5 link names and a comma-separated list: neither may hold '/' or ','.
bool is_plain_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." &&
         name.find_first_of("/,") == std::string::npos;
}

void write_header(h5::Group& group, const ScenarioHeader& header, const std::string& metric_list) {
  group.set_attribute("config_toml", header.config_toml);
  group.set_attribute("seed", header.seed);
  // int64, so that numpy arithmetic on them stays integer (uint64 + 1 is a float there).
  group.set_attribute("replications", static_cast<std::int64_t>(header.replications));
  group.set_attribute("steps", std::int64_t{header.steps});
  group.set_attribute("metrics", metric_list);
  group.set_attribute("step_index", std::string(STEP_INDEX_NOTE));
  for (const auto& [name, value] : header.facts) group.set_attribute(name, value);
  if (header.variant_id >= 0) {
    group.set_attribute("variant_id", header.variant_id);
    group.set_attribute("content_key", header.content_key);
  }
}

ScenarioHeader read_header(const h5::Group& group, const std::string& name) {
  ScenarioHeader h;
  h.name = name;
  h.config_toml = group.read_string_attribute("config_toml");
  h.seed = group.read_uint_attribute("seed");
  h.replications = static_cast<std::uint64_t>(group.read_int_attribute("replications"));
  h.steps = static_cast<std::uint32_t>(group.read_int_attribute("steps"));
  const std::string metrics = group.read_string_attribute("metrics");
  for (std::size_t at = 0; at <= metrics.size();) {
    const std::size_t comma = std::min(metrics.find(',', at), metrics.size());
    h.metric_names.push_back(metrics.substr(at, comma - at));
    at = comma + 1;
  }
  const std::vector<std::string> attributes = group.attribute_names();
  if (std::find(attributes.begin(), attributes.end(), "variant_id") != attributes.end()) {
    h.variant_id = group.read_int_attribute("variant_id");
    h.content_key = group.read_string_attribute("content_key");
  }
  for (const std::string& attribute : attributes) {  // sorted by name, as written
    if (attribute.starts_with(FACT_PREFIX)) h.facts.emplace_back(attribute, group.read_double_attribute(attribute));
  }
  return h;
}

std::string metric_list_of(const ScenarioHeader& header) {
  std::string list;
  for (const std::string& metric : header.metric_names) {
    if (!is_plain_name(metric)) {
      throw std::logic_error("ResultsWriter: metric name '" + metric + "' is not a plain name");
    }
    list += (list.empty() ? "" : ",") + metric;
  }
  return list;
}

constexpr std::array<const char*, 3> MOMENT_COLUMNS = {"n", "mean", "m2"};

}  // namespace

struct ResultsWriter::Impl {
  struct OpenScenario {
    ScenarioHeader header;
    h5::Group group;
    std::vector<h5::MatrixWriter> trajectories;  // one per metric, when saved
    std::vector<std::vector<double>> bands;      // per metric: the band being filled
    std::uint64_t rows_written = 0;
    bool summary_written = false;
  };

  h5::File file;
  h5::Group scenarios;
  std::optional<OpenScenario> current;

  explicit Impl(const std::string& temp_path)
      : file(h5::File::create(temp_path)), scenarios(file.create_group("scenarios")) {}
};

ResultsWriter::ResultsWriter(const std::string& final_path, std::string_view file_type) : temp_(final_path) {
  try {
    impl_ = std::make_unique<Impl>(temp_.path());
    h5::File& file = impl_->file;
    file.set_attribute("file_type", std::string(file_type));
    file.set_attribute("schema_version", RESULTS_SCHEMA_VERSION);
    file.set_attribute("engine_version", std::string(ENGINE_VERSION));
    file.set_attribute("created_utc", utc_now_iso8601());
  } catch (const IoError& e) {
    impl_.reset();  // before temp_ removes the file
    throw IoError("cannot create output file '" + final_path + "': " + e.what());
  }
}

// HDF5 names the file it writes, the temporary one; the user knows the output by its name.
void ResultsWriter::rethrow_naming_output(const IoError& error) const {
  std::string message = error.what();
  const std::string& temp = temp_.path();
  for (auto at = message.find(temp); at != std::string::npos; at = message.find(temp, at)) {
    message.replace(at, temp.size(), temp_.final_path());
  }
  throw IoError(message);
}

ResultsWriter::~ResultsWriter() {
  try {
    impl_.reset();  // handles close without throwing; temp_ then removes the file
  } catch (...) {
  }
}

void ResultsWriter::begin_scenario(const ScenarioHeader& header) try {
  if (committed_) throw std::logic_error("ResultsWriter::begin_scenario after commit");
  if (impl_->current && !impl_->current->summary_written) {
    throw std::logic_error("ResultsWriter::begin_scenario: scenario '" +
                           impl_->current->header.name + "' has no summary yet");
  }
  if (!is_plain_name(header.name)) {
    throw InputError("scenario name '" + header.name +
                     "' cannot name an HDF5 group: it must be non-empty and contain no '/' or ','");
  }
  const std::string metric_list = metric_list_of(header);
  impl_->current.reset();  // closes the previous scenario's datasets

  h5::Group group = impl_->scenarios.create_group(header.name);
  write_header(group, header, metric_list);

  std::vector<h5::MatrixWriter> trajectories;
  std::vector<std::vector<double>> bands;
  if (header.save_trajectories) {
    h5::Group trajectory_group = group.create_group("trajectories");
    const std::uint64_t points = header.steps + std::uint64_t{1};
    for (const std::string& metric : header.metric_names) {
      trajectories.push_back(trajectory_group.create_matrix(metric, header.replications, points));
      bands.emplace_back(trajectories.back().band_rows() * points);
    }
  }
  impl_->current.emplace(
      Impl::OpenScenario{header, std::move(group), std::move(trajectories), std::move(bands)});
} catch (const IoError& e) {
  rethrow_naming_output(e);
}

void ResultsWriter::write_trajectories(std::uint64_t first_replication,
                                       const std::vector<Trajectory>& trajectories) try {
  if (committed_ || !impl_->current) {
    throw std::logic_error("ResultsWriter::write_trajectories outside a scenario");
  }
  Impl::OpenScenario& scenario = *impl_->current;
  if (!scenario.header.save_trajectories) {
    throw std::logic_error("ResultsWriter::write_trajectories: scenario '" +
                           scenario.header.name + "' does not save trajectories");
  }
  if (trajectories.empty() || scenario.trajectories.empty()) return;
  const std::size_t points = scenario.header.steps + std::size_t{1};
  const std::size_t metrics = scenario.header.metric_names.size();
  for (const Trajectory& t : trajectories) {
    if (t.num_points() != points || t.values().size() != metrics * points) {
      throw std::invalid_argument("ResultsWriter::write_trajectories: trajectory shape does "
                                  "not match the scenario header");
    }
  }
  if (first_replication != scenario.rows_written) {
    throw std::logic_error("ResultsWriter::write_trajectories: replication " +
                           std::to_string(first_replication) + " of scenario '" +
                           scenario.header.name + "' out of order (next is " +
                           std::to_string(scenario.rows_written) + ")");
  }
  if (trajectories.size() > scenario.header.replications - scenario.rows_written) {
    throw std::invalid_argument("ResultsWriter::write_trajectories: replications past the " +
                                std::to_string(scenario.header.replications) + " of scenario '" +
                                scenario.header.name + "'");
  }
  // Each replication's rows go into the metrics' bands; a full band (or the last) is
  // encoded for all metrics at once, in parallel, and stored in order.
  const std::uint64_t band_rows = scenario.trajectories.front().band_rows();
  for (const Trajectory& t : trajectories) {
    const std::uint64_t row = scenario.rows_written++;
    const std::size_t offset = (row % band_rows) * points;
    for (std::size_t m = 0; m < metrics; ++m) {
      const std::span<const double> values = t.metric(m);
      std::copy(values.begin(), values.end(),
                scenario.bands[m].begin() + static_cast<std::ptrdiff_t>(offset));
    }
    if ((row + 1) % band_rows == 0 || row + 1 == scenario.header.replications) {
      const std::uint64_t first_row = row - row % band_rows;
      const std::size_t count = (row - first_row + 1) * points;
      std::vector<h5::EncodedBand> encoded(metrics);
      tbb::parallel_for(std::size_t{0}, metrics, [&](std::size_t m) {
        encoded[m] = scenario.trajectories[m].encode_band(
            first_row, std::span<const double>(scenario.bands[m]).first(count));
      });
      for (std::size_t m = 0; m < metrics; ++m) scenario.trajectories[m].write_band(encoded[m]);
    }
  }
} catch (const IoError& e) {
  rethrow_naming_output(e);
}

VariantResult summarize(const ScenarioHeader& header, const RunAccumulator& accumulator,
                        const std::vector<DerivedFinal>& derived) {
  if (accumulator.metric_names() != header.metric_names || accumulator.steps() != header.steps ||
      accumulator.replications() != header.replications) {
    throw std::logic_error("summarize: the accumulator of scenario '" + header.name +
                           "' does not match its header (metrics, steps or replications)");
  }
  VariantResult result{header, {}, header.metric_names, {}};
  for (std::size_t m = 0; m < header.metric_names.size(); ++m) {
    result.series.push_back(accumulator.series(m));
    result.finals.push_back(accumulator.finals(m));
  }
  for (const DerivedFinal& extra : derived) {
    if (extra.values.size() != header.replications || !is_plain_name(extra.name) ||
        std::find(result.final_names.begin(), result.final_names.end(), extra.name) !=
            result.final_names.end()) {
      throw std::logic_error("summarize: derived final '" + extra.name +
                             "' does not have one value per replication, or its name is taken");
    }
    result.final_names.push_back(extra.name);
    result.finals.push_back(extra.values);
  }
  return result;
}

VariantResult read_variant(const h5::Group& scenarios, const std::string& name) {
  const h5::Group group = scenarios.open_group(name);
  if (group.exists("trajectories")) {
    throw IoError("scenario '" + name + "' has trajectories: it cannot be copied as a summary");
  }
  VariantResult result;
  result.header = read_header(group, name);
  const ScenarioHeader& h = result.header;
  const std::size_t points = h.steps + std::size_t{1};
  const std::vector<std::string> series_columns(SERIES_COLUMNS.begin(), SERIES_COLUMNS.end());
  const std::vector<std::vector<double>> columns = group.read_columns_as_double("series", series_columns);
  for (std::size_t m = 0; m < h.metric_names.size(); ++m) {
    SeriesSummary& s = result.series.emplace_back();
    std::vector<double>* fields[] = {&s.mean, &s.sd, &s.p05, &s.p50, &s.p95, &s.ci95_lo, &s.ci95_hi};
    for (std::size_t c = 0; c < SERIES_COLUMNS.size(); ++c) {
      const auto first = columns[c].begin() + static_cast<std::ptrdiff_t>(m * points);
      fields[c]->assign(first, first + static_cast<std::ptrdiff_t>(points));
    }
  }
  result.final_names = group.table_columns("finals");
  result.finals = group.read_columns_as_double("finals", result.final_names);
  return result;
}

void ResultsWriter::write_summary(const RunAccumulator& accumulator,
                                  const std::vector<DerivedFinal>& derived) {
  if (committed_ || !impl_->current) {
    throw std::logic_error("ResultsWriter::write_summary outside a scenario");
  }
  if (impl_->current->summary_written) {
    throw std::logic_error("ResultsWriter::write_summary: scenario '" +
                           impl_->current->header.name + "' already has a summary");
  }
  write_result(summarize(impl_->current->header, accumulator, derived));
}

void ResultsWriter::write_variant(const VariantResult& result) {
  begin_scenario(result.header);
  write_result(result);
}

void ResultsWriter::write_result(const VariantResult& result) try {
  Impl::OpenScenario& scenario = *impl_->current;
  // Every metric's series in one dataset (a table per metric, a row per step, stacked in
  // engine order) and all finals in one table (a row per replication): two HDF5 objects
  // per scenario, since each costs HDF5 some 15-40 us whatever its size.
  std::vector<std::span<const double>> series;
  for (const SeriesSummary& s : result.series) {
    series.insert(series.end(), {s.mean, s.sd, s.p05, s.p50, s.p95, s.ci95_lo, s.ci95_hi});
  }
  std::vector<std::span<const double>> finals(result.finals.begin(), result.finals.end());
  scenario.group.write_tables("series", SERIES_COLUMNS, series);
  scenario.group.write_table("finals", result.final_names, finals);
  scenario.summary_written = true;
} catch (const IoError& e) {
  rethrow_naming_output(e);
}

void ResultsWriter::write_study(const StudyTables& tables) try {
  if (committed_) throw std::logic_error("ResultsWriter::write_study after commit");
  if (impl_->current && !impl_->current->summary_written) {
    throw std::logic_error("ResultsWriter::write_study: scenario '" + impl_->current->header.name +
                           "' has no summary yet");
  }
  impl_->current.reset();
  h5::Group sweep = impl_->file.create_group("sweep");
  sweep.set_attribute("manifest", tables.manifest);
  sweep.write_columns("design", tables.design);
  sweep.write_columns("table", tables.table);
  sweep.write_columns("failures", tables.failures);
} catch (const IoError& e) {
  rethrow_naming_output(e);
}

void ResultsWriter::write_compare(const CompareTables& tables) try {
  if (committed_) throw std::logic_error("ResultsWriter::write_compare after commit");
  impl_->current.reset();
  h5::Group compare = impl_->file.create_group("compare");
  compare.set_attribute("baseline", tables.baseline);
  compare.set_attribute("objective", tables.objective);
  compare.set_attribute("paired", static_cast<std::int64_t>(tables.paired ? 1 : 0));
  compare.set_attribute("bootstrap_resamples", tables.bootstrap_resamples);
  compare.set_attribute("bootstrap_seed", tables.bootstrap_seed);
  compare.write_columns("summary", tables.summary);
  compare.write_columns("wins", tables.wins);
  if (!tables.constraints.empty()) compare.write_columns("constraints", tables.constraints);
  if (!tables.selection.empty()) {
    compare.write_columns("selection", tables.selection);
    compare.set_attribute("selected", tables.selected);
    for (const auto& [name, value] : tables.selection_figures) compare.set_attribute("selection_" + name, value);
  }
  if (!tables.seeding_value.empty()) {
    compare.write_columns("seeding_value", tables.seeding_value);
    compare.write_columns("seeding_value_replications", tables.seeding_value_replications);
  }
} catch (const IoError& e) {
  rethrow_naming_output(e);
}

VariantPiece read_piece(const h5::Group& pieces, const std::string& name) {
  const h5::Group group = pieces.open_group(name);
  VariantPiece piece;
  piece.header = read_header(group, name);
  AccumulatorPiece& state = piece.state;
  state.first = static_cast<std::uint64_t>(group.read_int_attribute("first_replication"));
  state.replications = static_cast<std::uint64_t>(group.read_int_attribute("piece_replications"));
  const std::vector<std::string> moment_columns(MOMENT_COLUMNS.begin(), MOMENT_COLUMNS.end());
  const std::vector<std::vector<double>> moments = group.read_columns_as_double("moments", moment_columns);
  for (std::size_t i = 0; i < moments[0].size(); ++i) {
    state.moments.push_back(
        StreamingMoments::from_state(static_cast<std::uint64_t>(moments[0][i]), moments[1][i], moments[2][i]));
  }
  const std::vector<h5::Column> words = group.read_columns("sketches");
  if (words.size() != 1) throw IoError("piece '" + name + "': /sketches is not one column of words");
  std::vector<std::uint64_t> bits;
  for (std::int64_t w : std::get<std::vector<std::int64_t>>(words[0].values)) bits.push_back(static_cast<std::uint64_t>(w));
  const std::size_t cells = piece.header.metric_names.size() * (piece.header.steps + std::size_t{1});
  try {
    std::size_t at = 0;
    for (std::size_t c = 0; c < cells; ++c) state.sketches.push_back(QuantileSketch::decode(bits, at));
    if (at != bits.size()) throw std::invalid_argument("words left over");
  } catch (const std::invalid_argument& e) {
    throw IoError("piece '" + name + "': its quantile sketches cannot be read (" + e.what() + ")");
  }
  const std::vector<std::string> finals = group.table_columns("finals");
  std::vector<std::vector<double>> columns = group.read_columns_as_double("finals", finals);
  for (std::size_t c = 0; c < finals.size(); ++c) {
    if (c < piece.header.metric_names.size()) {
      state.finals.push_back(std::move(columns[c]));
    } else {
      piece.derived_names.push_back(finals[c]);
      piece.derived.push_back(std::move(columns[c]));
    }
  }
  return piece;
}

VariantResult join_pieces(const std::vector<VariantPiece>& pieces) {
  if (pieces.empty()) throw std::invalid_argument("join_pieces: no pieces");
  const ScenarioHeader& header = pieces.front().header;
  RunAccumulator accumulator(header.metric_names, header.steps);
  std::vector<DerivedFinal> derived;
  for (const std::string& name : pieces.front().derived_names) derived.push_back({name, {}});
  for (const VariantPiece& piece : pieces) {
    if (piece.state.first != accumulator.replications()) {
      throw std::invalid_argument("variant " + header.name + ": replications " +
                                  std::to_string(accumulator.replications()) + " to " +
                                  std::to_string(piece.state.first) +
                                  (piece.state.first > accumulator.replications() ? " are in no part"
                                                                                  : " are in two parts"));
    }
    if (piece.header.config_toml != header.config_toml || piece.derived_names != pieces.front().derived_names) {
      throw std::invalid_argument("variant " + header.name + ": its pieces are of different scenarios");
    }
    accumulator.absorb(piece.state);
    for (std::size_t d = 0; d < derived.size(); ++d) {
      derived[d].values.insert(derived[d].values.end(), piece.derived[d].begin(), piece.derived[d].end());
    }
  }
  if (accumulator.replications() != header.replications) {
    throw std::invalid_argument("variant " + header.name + ": replications " +
                                std::to_string(accumulator.replications()) + " to " +
                                std::to_string(header.replications) + " are in no part");
  }
  return summarize(header, accumulator, derived);
}

ShardRecord read_shard_record(const h5::File& file, const std::string& path) {
  const std::vector<std::string> attributes = file.attribute_names();
  const auto has = [&](const char* name) {
    return std::find(attributes.begin(), attributes.end(), name) != attributes.end();
  };
  if (!has("file_type") || file.read_string_attribute("file_type") != SHARD_FILE_TYPE) {
    throw InputError(path + ": not a shard's part file (file_type is not \"" + std::string(SHARD_FILE_TYPE) +
                     "\"; parts are written by run, sweep or compare with --shard I/N)");
  }
  ShardRecord r;
  r.shard = file.read_uint_attribute("shard");
  r.shards = file.read_uint_attribute("shards");
  r.command = file.read_string_attribute("command");
  const std::string arguments = file.read_string_attribute("arguments");
  for (std::size_t at = 0; at < arguments.size();) {  // one per line
    const std::size_t end = std::min(arguments.find('\n', at), arguments.size());
    r.arguments.push_back(arguments.substr(at, end - at));
    at = end + 1;
  }
  r.directory = file.read_string_attribute("directory");
  r.manifest = file.read_string_attribute("manifest");
  r.study = file.read_string_attribute("study");
  r.units = file.read_uint_attribute("units");
  r.first_unit = file.read_uint_attribute("first_unit");
  r.end_unit = file.read_uint_attribute("end_unit");
  const h5::Group shard = file.open_group("shard");
  for (const h5::Column& c : shard.read_columns("failures")) {
    if (c.name == "id") r.failed_ids = std::get<std::vector<std::int64_t>>(c.values);
    if (c.name == "name") r.failed_names = std::get<std::vector<std::string>>(c.values);
    if (c.name == "message") r.failed_messages = std::get<std::vector<std::string>>(c.values);
  }
  return r;
}

void ResultsWriter::write_piece(const VariantPiece& piece) try {
  if (committed_) throw std::logic_error("ResultsWriter::write_piece after commit");
  impl_->current.reset();
  if (!impl_->file.exists("pieces")) impl_->file.create_group("pieces");
  h5::Group group = impl_->file.open_group("pieces").create_group(piece.header.name);
  write_header(group, piece.header, metric_list_of(piece.header));
  const AccumulatorPiece& state = piece.state;
  group.set_attribute("first_replication", static_cast<std::int64_t>(state.first));
  group.set_attribute("piece_replications", static_cast<std::int64_t>(state.replications));
  std::vector<double> n, mean, m2;
  for (const StreamingMoments& m : state.moments) {
    n.push_back(static_cast<double>(m.count()));
    mean.push_back(m.mean());
    m2.push_back(m.m2());
  }
  const std::vector<std::string> moment_columns(MOMENT_COLUMNS.begin(), MOMENT_COLUMNS.end());
  const std::vector<std::span<const double>> moment_values = {n, mean, m2};
  group.write_table("moments", moment_columns, moment_values);
  std::vector<std::uint64_t> words;
  for (const QuantileSketch& sketch : state.sketches) sketch.encode(words);
  std::vector<std::int64_t> signed_words(words.begin(), words.end());
  const std::vector<h5::Column> sketch_columns = {{"word", std::move(signed_words)}};
  group.write_columns("sketches", sketch_columns);
  std::vector<std::string> names = piece.header.metric_names;
  names.insert(names.end(), piece.derived_names.begin(), piece.derived_names.end());
  std::vector<std::span<const double>> finals(state.finals.begin(), state.finals.end());
  finals.insert(finals.end(), piece.derived.begin(), piece.derived.end());
  group.write_table("finals", names, finals);
} catch (const IoError& e) {
  rethrow_naming_output(e);
}

void ResultsWriter::write_shard(const ShardRecord& r) try {
  if (committed_) throw std::logic_error("ResultsWriter::write_shard after commit");
  impl_->current.reset();
  h5::File& file = impl_->file;
  file.set_attribute("shard", r.shard);
  file.set_attribute("shards", r.shards);
  file.set_attribute("command", r.command);
  std::string arguments;
  for (const std::string& a : r.arguments) arguments += (arguments.empty() ? "" : "\n") + a;
  file.set_attribute("arguments", arguments);
  file.set_attribute("directory", r.directory);
  file.set_attribute("manifest", r.manifest);
  file.set_attribute("study", r.study);
  file.set_attribute("units", r.units);
  file.set_attribute("first_unit", r.first_unit);
  file.set_attribute("end_unit", r.end_unit);
  const std::vector<h5::Column> failures = {
      {"id", r.failed_ids}, {"name", r.failed_names}, {"message", r.failed_messages}};
  file.create_group("shard").write_columns("failures", failures);
} catch (const IoError& e) {
  rethrow_naming_output(e);
}

void ResultsWriter::commit() try {
  if (committed_) throw std::logic_error("ResultsWriter::commit called twice");
  if (impl_->current) {
    const Impl::OpenScenario& scenario = *impl_->current;
    if (!scenario.summary_written) {
      throw std::logic_error("ResultsWriter::commit: scenario '" + scenario.header.name +
                             "' has no summary");
    }
    if (scenario.header.save_trajectories &&
        scenario.rows_written != scenario.header.replications) {
      throw std::logic_error("ResultsWriter::commit: scenario '" + scenario.header.name +
                             "' has " + std::to_string(scenario.rows_written) + " of " +
                             std::to_string(scenario.header.replications) +
                             " trajectories written");
    }
  }
  impl_->current.reset();
  impl_->file.close();
  temp_.commit();
  committed_ = true;
} catch (const IoError& e) {
  rethrow_naming_output(e);
}

}  // namespace campaign
