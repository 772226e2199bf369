// Sequential selection of the best variant (`compare --select`): the fully sequential
// procedure KN of Kim & Nelson (2001), "A fully sequential procedure for
// indifference-zone selection in simulation", ACM TOMACS 11(3). It allows common random
// numbers (the variances of the pairwise differences are estimated, not assumed).
//
// Guarantee: if the best variant's mean exceeds every other's by at least the
// indifference zone delta, it is selected with probability at least `confidence`
// (normal observations; a replication's final is a sum over many people and steps).
//
//   1. Every variant runs n0 replications; S2[i][l] is the sample variance of the
//      differences X_i - X_l over them; eta = ((2 alpha / (k - 1))^(-2 / (n0 - 1)) - 1) / 2,
//      h2 = 2 eta (n0 - 1), alpha = 1 - confidence.
//   2. At r replications, variant i survives if for every other survivor l,
//      mean_i(r) >= mean_l(r) - max(0, delta / (2 r) (h2 S2[i][l] / delta^2 - r)).
//   3. Stop when one survivor is left (selected), when r has passed every pair's
//      continuation region (the survivors then tie exactly: the first is named, with the
//      guarantee), or at the budget (the best mean is named, without the guarantee); else
//      every survivor runs one more replication.
//
// Replications are simulated in blocks for speed, but screening looks at every r in
// order and ignores what a variant simulated past its elimination: the outcome does not
// depend on the block size, hence not on the thread count.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "model/metrics.h"
#include "model/model.h"
#include "results/accumulator.h"

namespace campaign {

struct SelectionOptions {
  double indifference = 0;   // delta > 0, in the objective's unit
  double confidence = 0.95;  // in (0, 1)
  std::uint64_t first_stage = 10;        // n0 >= 2
  std::uint64_t max_replications = 10000;  // per variant
};

struct SelectionResult {
  std::size_t selected = 0;
  bool guaranteed = true;  // false: the budget ran out with several survivors
  std::vector<std::uint64_t> replications;   // used by each variant (its values up to there count)
  std::vector<std::uint64_t> eliminated_at;  // the r that eliminated it; 0 for the survivors
  double eta = 0, h2 = 0;
  // Replications per variant of a fixed design with the same guarantee: the r at which
  // no pair's continuation region is left, max over pairs of ceil(h2 S2 / delta^2).
  std::uint64_t fixed_per_variant = 0;
};

// Appends to values[v] the objective of variants `survivors` for replications
// [first, first + count) (values[v] has `first` values on entry). Higher is better: the
// caller negates an objective where lower is better.
using SimulateBlock = std::function<void(const std::vector<std::size_t>& survivors, std::uint64_t first,
                                         std::uint64_t count, std::vector<std::vector<double>>& values)>;

// `block`: replications per survivor per call after the first stage (at least 1).
SelectionResult select_best(std::size_t variants, const SelectionOptions& options, std::uint64_t block,
                            const SimulateBlock& simulate);

class Study;

// KN on a study's variants, which share one graph (common random numbers: the caller
// checked), by `objective` (a metric of the model, not a derived ratio) in the direction
// `better`. Replications run in blocks of SELECTION_BLOCK per survivor, spread over the
// threads; each variant's accumulator takes exactly the replications the selection used
// (in replication order: a variant's results equal a fixed run of that many), and is
// handed to `finished` at the end, variant by variant.
inline constexpr std::uint64_t SELECTION_BLOCK = 4;
using SelectionFinished = std::function<void(std::size_t variant, const Scenario& scenario, const Model& model,
                                             const RunAccumulator& accumulator)>;
SelectionResult run_selection(const Study& study, const std::string& objective, Better better,
                              const SelectionOptions& options, const SelectionFinished& finished);

}  // namespace campaign
