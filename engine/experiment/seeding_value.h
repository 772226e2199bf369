// A campaign's seeding value split into acceleration and expansion (`compare
// --seeding-value`, docs/compare.md), after Libai, Muller & Peres (2013), "Decomposing
// the value of word-of-mouth seeding programs: acceleration versus expansion", Journal of
// Marketing Research 50(2).
//
// Under common random numbers replication r of a campaign and of the base (the same
// scenario without it) draws the same coins for the same person, so every member of the
// audience can be followed across the two: the step in which they adopted (bought for
// the first time) with the campaign and without it, or never within the horizon.
//
//   expansion     adopted with the campaign, not without it
//   acceleration  adopted in both, earlier with the campaign (steps gained: how much)
//   unchanged     adopted in both in the same step
//   delayed       adopted in both, later with the campaign
//   displaced     adopted without the campaign, not with it (its leads took the capacity
//                 or the stock, or put someone off)
//
// The customers the campaign gained, the people who adopted sooner with it than without
// it (never counting as after the horizon), are expansion + acceleration. The change in
// adopters is expansion - displaced, plus the change in adopters outside the audience (a
// campaign's agency customers, who cannot be followed person by person): the split adds
// up to the runs' own counts in every replication (checked as it is computed).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "experiment/comparison.h"
#include "model/model.h"

namespace campaign {

// One replication of a campaign against the base.
struct AdoptionSplit {
  std::uint64_t expansion = 0, acceleration = 0, unchanged = 0, delayed = 0, displaced = 0;
  std::uint64_t steps_gained = 0;  // summed over the accelerated
  // Adopters in the metric's final, and those of them outside the audience.
  double adopters = 0, base_adopters = 0, outside = 0, base_outside = 0;
  std::uint64_t gained() const { return expansion + acceleration; }
  double net() const { return adopters - base_adopters; }
};

// The split of two replications' adoption logs (each person at most once in each; the
// logs are sorted by person here). `adopters`, `base_adopters`: the metric's finals.
AdoptionSplit split_adoptions(std::vector<Adoption>& campaign, std::vector<Adoption>& base, double adopters,
                              double base_adopters);

// The split's measures over a variant's replications, each a mean with its 95% interval,
// in this order: gained, expansion, acceleration, unchanged, delayed, displaced,
// outside_change, net (docs/compare.md); then the ratios of means
// steps_gained_per_accelerated and acceleration_share (acceleration / gained), with
// delta-method intervals.
struct SeedingMeasure {
  const char* name;
  Interval value;
};
std::vector<SeedingMeasure> seeding_measures(const std::vector<AdoptionSplit>& replications);

class Study;

// Every variant of a study against variant `base`, replications 0 .. replications - 1,
// on the models' adoption metric (customers; total_adopted for the diffusion models).
// Returns [variant][replication] (the base's row empty). The replications run in
// parallel, each on both models; the result does not depend on the threads.
std::vector<std::vector<AdoptionSplit>> seeding_value(const Study& study, std::size_t base,
                                                      std::uint64_t replications);

}  // namespace campaign
