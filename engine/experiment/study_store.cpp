#include "experiment/study_store.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include "core/error.h"
#include "core/interrupt.h"
#include "core/text.h"
#include "core/version.h"
#include "results/streaming_stats.h"

namespace campaign {
namespace fs = std::filesystem;

namespace {

constexpr const char* MANIFEST = "study.toml";
constexpr const char* LOCK = "lock";
constexpr std::string_view PART_SUFFIX = ".h5";         // <id>-<16 hex>.h5: a finished variant
constexpr std::string_view PIECE_SUFFIX = "-piece.h5";  // <id>-<16 hex>-piece.h5: a shard's piece of one

std::string toml_string(const std::string& text) {
  std::ostringstream out;
  out << toml::value<std::string>(text);
  return out.str();
}

// size and modification time: a changed graph or partner file is noticed without
// reading gigabytes.
std::string fingerprint(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return fmt::format("{} (missing)", path);
  char when[32] = "";
  struct tm utc {};
  gmtime_r(&info.st_mtim.tv_sec, &utc);
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &utc);
  return fmt::format("{} ({} bytes, modified {}.{:09}Z)", path, static_cast<long long>(info.st_size), when,
                     info.st_mtim.tv_nsec);
}

}  // namespace

std::string study_manifest(const Study& study, const std::string& design_spec) {
  const Design& d = study.design();
  std::string out;
  out += fmt::format("engine_version = {}\n", toml_string(ENGINE_VERSION));
  // The scenario as the variants see it before their own values.
  Scenario base = study.scenario_file().load(study.overrides()).scenario;
  out += fmt::format("scenario = {}\n", toml_string(resolved_toml(base)));
  std::string inputs;
  for (const std::string& input : study.inputs()) {
    if (input == study.scenario_file().path()) continue;  // its content is `scenario`
    inputs += (inputs.empty() ? "" : ", ") + toml_string(fingerprint(input));
  }
  out += fmt::format("inputs = [{}]\n", inputs);
  out += fmt::format("replications = {}\n", toml_string(study.policy().describe()));
  out += fmt::format("design = {}\n", toml_string(design_spec));
  std::string keys;
  for (const std::string& key : d.keys) keys += (keys.empty() ? "" : ", ") + toml_string(key);
  out += fmt::format("keys = [{}]\n", keys);
  out += fmt::format("samples = {}\n", d.points.size());
  return out;
}

std::optional<std::string> manifest_change(const std::string& before, const std::string& now, bool grow_ok) {
  toml::table old_table, new_table;
  try {
    old_table = toml::parse(before);
    new_table = toml::parse(now);
  } catch (const toml::parse_error& e) {
    return fmt::format("the manifest cannot be read ({})", excerpt(e.description(), 80));
  }
  const auto text = [](const toml::table& t, const char* key) {
    std::ostringstream out;
    if (const toml::node* node = t.get(key)) {
      if (node->is_string()) {
        out << node->value_or(std::string());
      } else {
        node->visit([&](const auto& n) { out << n; });
      }
    }
    return out.str();
  };
  const std::string design = text(new_table, "design");
  const bool prefix_stable = design.starts_with("sobol") || design.starts_with("random");
  for (const char* key : {"engine_version", "scenario", "inputs", "replications", "design", "keys", "samples"}) {
    const std::string was = text(old_table, key), is = text(new_table, key);
    if (was == is) continue;
    if (std::string_view(key) == "samples" && prefix_stable && grow_ok) {
      // A grown design keeps every point it had; a smaller one would drop finished ones.
      if (std::stoull(is) >= std::stoull(was)) continue;
      return fmt::format("samples was {}, now {}: --resume grows a design but does not shrink it; give "
                         "--samples {} or more",
                         was, is, was);
    }
    if (std::string_view(key) == "scenario") {
      const std::optional<ScenarioDifference> d = first_difference(was, is);
      return !d ? std::string("the scenario (its file or --set) has changed")
                : fmt::format("the scenario has changed: {} was {}, now {}", d->key, d->first, d->second);
    }
    return fmt::format("{} was {}, now {}", key, excerpt(was, 80), excerpt(is, 80));
  }
  return std::nullopt;
}

void check_resumable(const std::string& before, const std::string& now, const std::string& where,
                     bool grow_ok) {
  if (const std::optional<std::string> what = manifest_change(before, now, grow_ok)) {
    throw InputError(fmt::format("{}: --resume refused: {}; run the same command, or start again "
                                 "with --overwrite",
                                 where, *what));
  }
}

// ---- PartStore ------------------------------------------------------------------------

PartStore::PartStore(std::string out_path) : out_path_(std::move(out_path)), folder_(out_path_ + ".parts") {}

PartStore::~PartStore() {
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

bool PartStore::exists() const {
  std::error_code ec;
  return fs::exists(fs::path(folder_) / MANIFEST, ec);
}

void PartStore::open() {
  std::error_code ec;
  if (fs::exists(folder_, ec) && !fs::is_directory(folder_, ec)) {
    throw InputError(fmt::format("{}: exists and is not a folder; the sweep keeps its finished "
                                 "variants there (remove it or choose another -o)",
                                 excerpt_path(folder_)));
  }
  const fs::path parent = fs::path(out_path_).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec)) {  // as `run` says it
    throw IoError(fmt::format("cannot create output file '{}': directory '{}' does not exist",
                              excerpt_path(out_path_), excerpt_path(parent.string())));
  }
  fs::create_directory(folder_, ec);
  if (ec) throw IoError(fmt::format("cannot create the folder {}: {}", excerpt_path(folder_), ec.message()));
  const std::string lock = (fs::path(folder_) / LOCK).string();
  lock_fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd_ < 0) throw IoError(fmt::format("cannot create {}: {}", excerpt_path(lock), std::strerror(errno)));
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    throw InputError(fmt::format("{}: another sweep is writing into {} now; wait for it, or choose "
                                 "another -o",
                                 excerpt_path(out_path_), excerpt_path(folder_)));
  }
  // With the lock held, a temporary file here is a killed process's leftover.
  for (const auto& entry : fs::directory_iterator(folder_, ec)) {
    if (entry.path().filename().string().find(".tmp-") != std::string::npos) fs::remove(entry.path(), ec);
  }
}

std::optional<std::string> PartStore::manifest() const {
  std::ifstream in(fs::path(folder_) / MANIFEST);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<std::uint64_t> PartStore::planned_variants() const {
  const std::optional<std::string> text = manifest();
  if (!text) return std::nullopt;
  try {
    const toml::table table = toml::parse(*text);
    if (const std::optional<std::int64_t> samples = table["samples"].value<std::int64_t>()) {
      return static_cast<std::uint64_t>(*samples);
    }
  } catch (const toml::parse_error&) {
  }
  return std::nullopt;
}

void PartStore::write_manifest(const std::string& manifest) {
  const std::string path = (fs::path(folder_) / MANIFEST).string();
  TempFile temp(path);
  {
    std::ofstream out(temp.path(), std::ios::binary | std::ios::trunc);
    out << manifest;
    out.flush();
    if (!out) throw IoError(fmt::format("cannot write {}", excerpt_path(path)));
  }
  temp.commit();
}

namespace {

// The folder's files <id>-<16 hex><suffix>, by key (temporary files left out).
std::map<std::string, std::string> files_by_key(const std::string& folder, std::string_view suffix) {
  std::map<std::string, std::string> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    const std::string name = entry.path().filename().string();
    const auto dash = name.find('-');
    if (dash == std::string::npos || !name.ends_with(suffix) || name.find(".tmp-") != std::string::npos) continue;
    const std::string key = name.substr(dash + 1, name.size() - dash - 1 - suffix.size());
    if (key.size() == 16) files.emplace(key, entry.path().string());
  }
  return files;
}

std::string file_of(const std::string& folder, const ScenarioHeader& header, std::string_view suffix) {
  return (fs::path(folder) / fmt::format("{:06}-{}{}", header.variant_id, header.content_key, suffix)).string();
}

}  // namespace

std::map<std::string, std::string> PartStore::finished() const { return files_by_key(folder_, PART_SUFFIX); }

std::map<std::string, std::string> PartStore::finished_pieces() const { return files_by_key(folder_, PIECE_SUFFIX); }

void PartStore::write(const VariantResult& result) {
  ResultsWriter writer(file_of(folder_, result.header, PART_SUFFIX));
  writer.write_variant(result);
  writer.commit();
}

void PartStore::write_piece(const VariantPiece& piece) {
  ResultsWriter writer(file_of(folder_, piece.header, PIECE_SUFFIX), SHARD_FILE_TYPE);
  writer.write_piece(piece);
  writer.commit();
}

void PartStore::remove_parts() {
  std::error_code ec;
  for (const auto& [key, path] : finished()) fs::remove(path, ec);
  for (const auto& [key, path] : finished_pieces()) fs::remove(path, ec);
  fs::remove(fs::path(folder_) / MANIFEST, ec);
}

void PartStore::remove_folder() {
  remove_parts();
  std::error_code ec;
  fs::remove(fs::path(folder_) / LOCK, ec);
  if (lock_fd_ >= 0) ::close(lock_fd_);
  lock_fd_ = -1;
  fs::remove(folder_, ec);  // only when empty: a file a user put there stays
}

// ---- The merged file --------------------------------------------------------------------

namespace {

// Whether a variant that finished in an earlier process met its CI targets: at fewer
// than max_replications it stopped because it did; at the cap, its stored finals say (the
// same values in the same order give the accumulator's mean and standard error).
bool target_reached(const ReplicationPolicy& policy, const VariantResult& result) {
  if (!policy.adaptive()) return true;
  if (result.header.replications < policy.max_replications) return true;
  // At the cap, the run checks its targets only where the cap is a checkpoint.
  if ((policy.max_replications - policy.min_replications) % policy.check_every != 0) return false;
  for (const CiTarget& t : policy.targets) {
    const auto at = std::find(result.final_names.begin(), result.final_names.end(), t.metric);
    if (at == result.final_names.end()) return false;
    const StreamingMoments m = chunked_moments(result.finals[static_cast<std::size_t>(at - result.final_names.begin())]);
    const double half = m.count() >= 2 ? t_critical_975(m.count() - 1) * m.standard_error() : 0.0;
    if (!(half <= t.relative * std::abs(m.mean()))) return false;
  }
  return true;
}

}  // namespace

std::map<std::string, std::string> finished_in_file(const std::string& path, std::string& manifest) {
  std::map<std::string, std::string> out;
  const h5::File file = h5::File::open_read_only(path);
  if (!file.exists("sweep")) return out;
  const h5::Group sweep = file.open_group("sweep");
  manifest = sweep.read_string_attribute("manifest");
  const std::vector<h5::Column> design = sweep.read_columns("design");
  const std::vector<std::string>* names = nullptr;
  const std::vector<std::string>* keys = nullptr;
  const std::vector<std::string>* status = nullptr;
  for (const h5::Column& c : design) {
    if (c.name == "name") names = &std::get<std::vector<std::string>>(c.values);
    if (c.name == "content_key") keys = &std::get<std::vector<std::string>>(c.values);
    if (c.name == "status") status = &std::get<std::vector<std::string>>(c.values);
  }
  if (names == nullptr || keys == nullptr || status == nullptr) {
    throw IoError(fmt::format("{}: /sweep/design lacks name, content_key or status", path));
  }
  for (std::size_t i = 0; i < names->size(); ++i) {
    if ((*status)[i] == "done") out.emplace((*keys)[i], (*names)[i]);
  }
  return out;
}

VariantResult read_stored(const StoredResults& stored, const StudyVariant& v) {
  std::string reading;
  try {
    if (const auto part = stored.whole.find(v.content_key); part != stored.whole.end()) {
      reading = part->second;
      const h5::File file = h5::File::open_read_only(part->second);
      return read_variant(file.open_group("scenarios"), v.name);
    }
    const auto pieces = stored.pieces.find(v.content_key);
    if (pieces == stored.pieces.end()) throw std::logic_error("read_stored: variant " + v.name + " is not stored");
    std::vector<VariantPiece> read;
    for (const std::string& path : pieces->second) {
      reading = path;
      const h5::File file = h5::File::open_read_only(path);
      read.push_back(read_piece(file.open_group("pieces"), v.name));
    }
    try {
      return join_pieces(read);
    } catch (const std::invalid_argument& e) {
      throw InputError(e.what());
    }
  } catch (const IoError& e) {
    throw IoError(fmt::format("the finished variant {} cannot be read from {} ({}); delete that "
                              "file and --resume to run it again",
                              v.name, reading, e.what()));
  }
}

void write_shard_file(const Study& study, const StudyShare& share, const StudyOutcome& outcome,
                      const StoredResults& stored, ShardRecord record, const std::string& out_path) {
  ResultsWriter writer(out_path, SHARD_FILE_TYPE);
  for (std::size_t i : share.variants) {
    throw_if_interrupted();
    const StudyVariant& v = study.variants()[i];
    if (outcome.status[i] == VariantStatus::failed) {
      record.failed_ids.push_back(v.id);
      record.failed_names.push_back(v.name);
      record.failed_messages.push_back(outcome.messages[i]);
    }
    if (outcome.status[i] != VariantStatus::done) continue;
    if (const auto piece = stored.pieces.find(v.content_key); piece != stored.pieces.end()) {
      const h5::File file = h5::File::open_read_only(piece->second.at(0));
      writer.write_piece(read_piece(file.open_group("pieces"), v.name));
    } else {
      writer.write_variant(read_stored(stored, v));
    }
  }
  writer.write_shard(record);
  begin_final_commit();
  writer.commit();
}

void write_study_file(const Study& study, StudyOutcome& outcome, const std::string& manifest,
                      const StoredResults& stored, const std::optional<std::string>& previous_out,
                      const std::string& out_path, const StudyFileExtras& extras) {
  const std::vector<StudyVariant>& variants = study.variants();
  const Design& d = study.design();
  std::optional<h5::File> previous;
  std::map<std::string, std::string> previous_names;
  if (previous_out) {
    std::string ignored;
    previous_names = finished_in_file(*previous_out, ignored);
    previous.emplace(h5::File::open_read_only(*previous_out));
  }
  ResultsWriter writer(out_path);
  // Design columns, typed by the keys' kinds.
  std::vector<h5::Column> design;
  design.push_back({"id", std::vector<std::int64_t>()});
  design.push_back({"name", std::vector<std::string>()});
  for (std::size_t k = 0; k < d.keys.size(); ++k) {
    if (d.kinds[k] == ValueKind::integer) {
      design.push_back({d.keys[k], std::vector<std::int64_t>()});
    } else if (d.kinds[k] == ValueKind::real) {
      design.push_back({d.keys[k], std::vector<double>()});
    } else {
      design.push_back({d.keys[k], std::vector<std::string>()});
    }
  }
  design.push_back({"replications", std::vector<std::int64_t>()});
  design.push_back({"status", std::vector<std::string>()});
  design.push_back({"target_reached", std::vector<std::int64_t>()});
  design.push_back({"content_key", std::vector<std::string>()});
  // Statistics of the finals: a column per final of any finished variant, in order of
  // first appearance (a sweep over diffusion.model mixes the models' metrics); NaN where
  // a variant has no such final or did not finish.
  std::vector<std::string> final_names;
  std::vector<std::vector<double>> stats;  // [final * 4 + statistic][variant]
  const auto column_of = [&](const std::string& name) {
    const auto at = std::find(final_names.begin(), final_names.end(), name);
    if (at != final_names.end()) return static_cast<std::size_t>(at - final_names.begin());
    final_names.push_back(name);
    for (int k = 0; k < 4; ++k) stats.emplace_back(variants.size(), std::nan(""));
    return final_names.size() - 1;
  };
  std::vector<std::int64_t> failure_ids;
  std::vector<std::string> failure_names, failure_messages;
  const auto status_text = [](VariantStatus s) {
    return s == VariantStatus::done ? "done" : s == VariantStatus::failed ? "failed" : "pending";
  };
  for (std::size_t i = 0; i < variants.size(); ++i) {
    if (i % 64 == 0) throw_if_interrupted();
    const StudyVariant& v = variants[i];
    std::get<std::vector<std::int64_t>>(design[0].values).push_back(v.id);
    std::get<std::vector<std::string>>(design[1].values).push_back(v.name);
    for (std::size_t k = 0; k < d.keys.size(); ++k) {
      auto& column = design[2 + k].values;
      const std::string& text = v.values[k];
      if (d.kinds[k] == ValueKind::integer) {
        std::get<std::vector<std::int64_t>>(column).push_back(std::llround(std::stod(text)));
      } else if (d.kinds[k] == ValueKind::real) {
        std::get<std::vector<double>>(column).push_back(std::stod(text));
      } else {
        // A quoted TOML string is stored as its text.
        std::string value = text;
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
        std::get<std::vector<std::string>>(column).push_back(value);
      }
    }
    if (outcome.status[i] == VariantStatus::failed) {
      failure_ids.push_back(v.id);
      failure_names.push_back(v.name);
      failure_messages.push_back(outcome.messages[i]);
    }
    std::optional<VariantResult> result;
    if (outcome.status[i] == VariantStatus::done) {
      if (stored.has(v.content_key)) {
        result = read_stored(stored, v);
      } else if (const auto old = previous_names.find(v.content_key); old != previous_names.end()) {
        result = read_variant(previous->open_group("scenarios"), old->second);
      } else {
        throw std::logic_error("write_study_file: finished variant " + v.name + " has no results");
      }
      if (result->header.content_key != v.content_key) {
        throw IoError(fmt::format("the results of variant {} belong to another scenario (content key "
                                  "{}, expected {})",
                                  v.name, result->header.content_key, v.content_key));
      }
      writer.write_variant(*result);
      if (extras.result) extras.result(i, *result);
      if (outcome.replications[i] == 0) {  // finished before this process: from its results
        outcome.replications[i] = result->header.replications;
        outcome.target_reached[i] = target_reached(study.policy(), *result);
      }
      for (std::size_t c = 0; c < result->final_names.size(); ++c) {
        const std::size_t f = column_of(result->final_names[c]);
        StreamingMoments m;
        for (double x : result->finals[c]) {
          if (!std::isnan(x)) m.add(x);  // a ratio undefined in a replication
        }
        if (m.count() == 0) continue;
        const double half = m.count() >= 2 ? t_critical_975(m.count() - 1) * m.standard_error() : 0.0;
        stats[f * 4 + 0][i] = m.mean();
        stats[f * 4 + 1][i] = m.sd();
        stats[f * 4 + 2][i] = m.mean() - half;
        stats[f * 4 + 3][i] = m.mean() + half;
      }
    }
    const std::size_t rest = 2 + d.keys.size();
    std::get<std::vector<std::int64_t>>(design[rest].values)
        .push_back(static_cast<std::int64_t>(outcome.replications[i]));
    std::get<std::vector<std::string>>(design[rest + 1].values).push_back(status_text(outcome.status[i]));
    std::get<std::vector<std::int64_t>>(design[rest + 2].values).push_back(
        outcome.status[i] == VariantStatus::done && outcome.target_reached[i] ? 1 : 0);
    std::get<std::vector<std::string>>(design[rest + 3].values).push_back(v.content_key);
  }
  StudyTables tables;
  tables.manifest = manifest;
  tables.table = design;
  tables.table.erase(tables.table.end() - 1);  // the content key is the design's business
  for (std::size_t f = 0; f < final_names.size(); ++f) {
    const char* suffix[] = {"_mean", "_sd", "_ci95_lo", "_ci95_hi"};
    for (std::size_t s = 0; s < 4; ++s) tables.table.push_back({final_names[f] + suffix[s], std::move(stats[f * 4 + s])});
  }
  tables.design = std::move(design);
  tables.failures = {{"id", failure_ids}, {"name", failure_names}, {"message", failure_messages}};
  writer.write_study(tables);
  if (extras.tables) extras.tables(writer);
  previous.reset();
  begin_final_commit();
  writer.commit();
}

}  // namespace campaign
