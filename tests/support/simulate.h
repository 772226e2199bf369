// Test helpers: build a scenario from TOML text and run it in-process.
#pragma once

#include <string>
#include <vector>

#include "model/model.h"
#include "results/accumulator.h"
#include "scenario/scenario_loader.h"
#include "sim/runner.h"

namespace campaign::testing {

inline Scenario scenario_from(const std::string& toml_text) {
  return load_scenario_text(toml_text, "test.toml").scenario;
}

// A campaign scenario from the TOML text of its other sections, with overrides.
inline Scenario campaign_scenario(const std::string& body, const std::vector<std::string>& overrides = {}) {
  return load_scenario_text("[diffusion]\nmodel = \"campaign\"\n" + body, "eco.toml", overrides).scenario;
}

inline RunAccumulator simulate(const Scenario& s, const CsrGraph& graph, std::uint32_t block_size = 0) {
  const auto model = make_model(s, graph);
  RunAccumulator accumulator(model->metric_names(), s.run.steps);
  RunOptions options;
  options.replications = s.run.replications;
  options.steps = s.run.steps;
  options.block_size = block_size;
  run_replications(*model, options, accumulator, nullptr);
  return accumulator;
}

}  // namespace campaign::testing
