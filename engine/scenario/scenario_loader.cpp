#include "scenario/scenario_loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <cctype>
#include <sstream>

#include "core/error.h"
#include "core/interrupt.h"
#include "core/text.h"
#include "scenario/key_registry.h"
#include "scenario/partner_table.h"

namespace campaign {
namespace {

bool is_section(std::string_view name) {
  const auto& sections = scenario_sections();
  return std::find(sections.begin(), sections.end(), name) != sections.end();
}

[[noreturn]] void unknown_key(const std::string& where, const std::string& key) {
  const std::string suggestion = closest_key(key);
  throw InputError(fmt::format("{}: {} is not a scenario key; {}see docs/scenario-reference.md", where,
                               excerpt(key), suggestion.empty() ? "" : "did you mean " + suggestion + "? "));
}

// A number as a user types it on a command line, made TOML: ".5" -> "0.5", "5." -> "5.0".
std::string as_toml_number(std::string text) {
  const std::size_t sign = !text.empty() && (text[0] == '+' || text[0] == '-') ? 1 : 0;
  const auto digit = [&](std::size_t i) {
    return i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]));
  };
  if (text.size() > sign + 1 && text[sign] == '.' && digit(sign + 1)) {
    text.insert(sign, "0");
  } else if (text.size() > sign + 1 && text.back() == '.' &&
             std::all_of(text.begin() + static_cast<std::ptrdiff_t>(sign), text.end() - 1,
                         [](unsigned char c) { return std::isdigit(c); })) {
    text += '0';
  }
  return text;
}

std::string line_of(const std::string& source, const toml::node& node) {
  return fmt::format("{}:{}", source, node.source().begin.line);
}

// Parsed once: a sweep loads thousands of variants.
const Scenario& defaults() {
  static const Scenario s = [] {
    Scenario d;
    for (const auto& spec : scenario_keys()) {
      const toml::table t = toml::parse("v = " + spec.default_toml);
      spec.assign(d, *t.get("v"), "built-in default");
    }
    return d;
  }();
  return s;
}

void apply_table(Scenario& s, KeyOrigins& origins, const toml::table& root,
                 const std::string& source) {
  for (const auto& [section_key, section] : root) {
    const std::string section_name(section_key.str());
    if (section_name == SWEEP_SECTION && section.is_table()) continue;  // read by the study
    if (!is_section(section_name) || !section.is_table()) {
      if (section.is_table()) {
        const std::string suggestion = closest_section(section_name);
        throw InputError(fmt::format("{}: [{}] is not a scenario section; {}see docs/scenario-reference.md",
                                     line_of(source, section), excerpt(section_name),
                                     suggestion.empty() ? "" : "did you mean [" + suggestion + "]? "));
      }
      unknown_key(line_of(source, section), section_name);
    }
    for (const auto& [key, value] : *section.as_table()) {
      const std::string full = section_name + "." + std::string(key.str());
      const KeySpec* spec = find_key(full);
      if (spec == nullptr) unknown_key(line_of(source, value), full);
      const std::string where = line_of(source, value);
      spec->assign(s, value, where);
      origins.set(full, where);
    }
  }
}

void apply_override(Scenario& s, KeyOrigins& origins, const std::string& assignment) {
  const std::string where = "--set " + excerpt(assignment, 80);
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw InputError(fmt::format("{}: expected section.key=value", where));
  }
  const std::string key = assignment.substr(0, eq);
  const std::string text = assignment.substr(eq + 1);
  const KeySpec* spec = find_key(key);
  if (spec == nullptr) unknown_key(where, key);
  // The value is read as TOML; anything that is not TOML is taken as a bare string,
  // except for a number key, where it is a number TOML cannot read (1e400, 2^64).
  const bool numeric = spec->kind == ValueKind::integer || spec->kind == ValueKind::real;
  toml::table parsed;
  try {
    parsed = toml::parse("v = " + (numeric ? as_toml_number(text) : text));
  } catch (const toml::parse_error& e) {
    if (numeric) {
      throw InputError(fmt::format("{}: {} = {} is not a number that can be read ({}); allowed: {}",
                                   where, key, excerpt(text, 40), excerpt(e.description(), 100),
                                   spec->allowed));
    }
    parsed = toml::table{{"v", text}};
  }
  spec->assign(s, *parsed.get("v"), where);
  if ((key == "graph.path" || key == "partners.file") && !assignment.ends_with("=")) {
    // A path typed on the command line is relative to where the user stands.
    std::string& path = key == "graph.path" ? s.graph.path : s.partners.file;
    path = std::filesystem::absolute(path).lexically_normal().string();
  }
  origins.set(key, where);
}

LoadedScenario load(const toml::table& root, const std::string& source, const std::string& base_dir,
                    const std::vector<std::string>& overrides) {
  LoadedScenario loaded{defaults(), KeyOrigins(source), {}};
  Scenario& s = loaded.scenario;
  s.source = source;
  s.base_dir = base_dir;
  apply_table(s, loaded.origins, root, source);
  for (const auto& assignment : overrides) apply_override(s, loaded.origins, assignment);
  if (s.graph.model == GraphModel::edge_list) s.audience.size = 0;  // read from the file
  if (s.graph.model == GraphModel::edge_list && !s.graph.path.empty()) {
    loaded.inputs.push_back(resolve_path(s, s.graph.path));
  }
  if (std::string table = load_partner_table(s, loaded.origins); !table.empty()) {
    loaded.inputs.push_back(std::move(table));
  }
  // Read when the ecosystem and the plan are drawn; fingerprinted as inputs (--resume).
  for (const std::string* file : {&s.partners.followers_file, &s.partners.cooperation_file, &s.media.calendar}) {
    if (!file->empty()) loaded.inputs.push_back(resolve_path(s, *file));
  }
  if (s.run.name.empty()) s.run.name = std::filesystem::path(source).stem().string();
  validate(s, loaded.origins);
  return loaded;
}

toml::table parse_or_throw(std::string_view text, const std::string& source) {
  try {
    return toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    throw InputError(fmt::format("{}:{}:{}: TOML syntax error: {}", source,
                                 e.source().begin.line, e.source().begin.column,
                                 excerpt(e.description(), 120)));
  }
}

}  // namespace

std::string KeyOrigins::where(const std::string& key) const {
  const auto it = where_.find(key);
  return it == where_.end() ? source_ + " (default of " + key + ")" : it->second;
}

ScenarioFile::ScenarioFile(const std::string& path) : path_(path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw InputError(fmt::format("{}: cannot read scenario file: it is a directory", path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw_if_interrupted();  // a FIFO with no writer, left by Ctrl-C
    throw InputError(fmt::format("{}: cannot read scenario file: {}", path, std::strerror(errno)));
  }
  std::ostringstream text;
  text << in.rdbuf();
  root_ = parse_or_throw(text.str(), path);
  base_dir_ = std::filesystem::path(path).parent_path().string();
}

LoadedScenario ScenarioFile::load(const std::vector<std::string>& overrides) const {
  LoadedScenario loaded = campaign::load(root_, path_, base_dir_, overrides);
  loaded.inputs.insert(loaded.inputs.begin(), path_);
  return loaded;
}

const toml::table* ScenarioFile::sweep_table() const { return root_[SWEEP_SECTION].as_table(); }

LoadedScenario load_scenario_file(const std::string& path,
                                  const std::vector<std::string>& overrides) {
  return ScenarioFile(path).load(overrides);
}

LoadedScenario load_scenario_text(std::string_view text, const std::string& source_name,
                                  const std::vector<std::string>& overrides) {
  return load(parse_or_throw(text, source_name), source_name, ".", overrides);
}

std::string resolved_toml(const Scenario& scenario) {
  std::string out;
  for (const auto& section : scenario_sections()) {
    out += fmt::format("{}[{}]\n", out.empty() ? "" : "\n", section);
    for (const auto& spec : scenario_keys()) {
      if (spec.key.compare(0, section.size() + 1, section + ".") != 0) continue;
      out += fmt::format("{} = {}\n", spec.key.substr(section.size() + 1), spec.to_toml(scenario));
    }
  }
  return out;
}

}  // namespace campaign
