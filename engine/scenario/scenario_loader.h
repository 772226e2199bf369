// Reads a scenario: built-in defaults, then the TOML file, then `--set key=value`
// overrides, then validate(). Every error is one InputError line naming the file, line,
// key and what is allowed, e.g.
//   scenarios/x.toml:7: graph.mean_degre is not a scenario key; did you mean graph.mean_degree?
//
//   LoadedScenario loaded = load_scenario_file("scenarios/word_of_mouth.toml", {"run.steps=50"});
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "scenario/scenario.h"

namespace campaign {

// Where each key's value came from ("file:line" or "--set key=value"), for messages.
class KeyOrigins {
 public:
  explicit KeyOrigins(std::string source = "<defaults>") : source_(std::move(source)) {}
  void set(const std::string& key, std::string where) { where_[key] = std::move(where); }
  bool is_set(const std::string& key) const { return where_.count(key) != 0; }
  // The place to name in a message about `key`: "file:line", "--set ...", or
  // "file (default of key)" when the key was not given.
  std::string where(const std::string& key) const;

 private:
  std::string source_;
  std::map<std::string, std::string> where_;
};

struct LoadedScenario {
  Scenario scenario;
  KeyOrigins origins;
  // The files it was read from: the scenario, the partner table, the graph file (a
  // command must not write over any of them).
  std::vector<std::string> inputs;
};

// A scenario file may also hold a study's design as a [sweep] table (docs/experiments.md);
// loading a scenario skips it.
inline constexpr const char* SWEEP_SECTION = "sweep";

// A scenario file read and parsed once, to load many variants of it (a sweep).
class ScenarioFile {
 public:
  explicit ScenarioFile(const std::string& path);  // InputError: unreadable, not TOML
  LoadedScenario load(const std::vector<std::string>& overrides = {}) const;
  const std::string& path() const { return path_; }
  const toml::table* sweep_table() const;  // nullptr when the file has none

 private:
  std::string path_, base_dir_;
  toml::table root_;
};

LoadedScenario load_scenario_file(const std::string& path,
                                  const std::vector<std::string>& overrides = {});
// Same, from text in memory; `source_name` stands for the file in messages.
LoadedScenario load_scenario_text(std::string_view text, const std::string& source_name,
                                  const std::vector<std::string>& overrides = {});

// Cross-key checks (value ranges are checked as each key is read). Throws InputError.
void validate(const Scenario& scenario, const KeyOrigins& origins);

// The fully resolved scenario as TOML, every key present.
std::string resolved_toml(const Scenario& scenario);

}  // namespace campaign
