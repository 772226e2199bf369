// Sequential selection of the best (experiment/selection.h, KN of Kim & Nelson 2001) on
// normal observations with known means: it selects the best with the promised
// probability, eliminates clearly worse variants early, and its outcome does not depend
// on the block size (hence not on threads).
#include "experiment/selection.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "rng/philox.h"

namespace campaign {
namespace {

// Observation r of variant v in macro-replication e: mean[v] + a shared part (common
// random numbers: correlation 0.5) + its own noise, unit variance in all.
SimulateBlock normal_source(std::vector<double> means, std::uint32_t e, std::uint64_t* simulated = nullptr) {
  return [means, e, simulated](const std::vector<std::size_t>& survivors, std::uint64_t first, std::uint64_t count,
                               std::vector<std::vector<double>>& values) {
    const CounterRng rng(7);
    const auto normal = [&](std::uint32_t r, std::uint32_t lane) {
      const double u1 = 1.0 - rng.uniform(Stream::design, e, r, lane, 1);
      const double u2 = rng.uniform(Stream::design, e, r, lane, 2);
      return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
    };
    for (std::size_t v : survivors) {
      ASSERT_EQ(values[v].size(), first);
      for (std::uint64_t r = first; r < first + count; ++r) {
        const auto rr = static_cast<std::uint32_t>(r);
        values[v].push_back(means[v] + std::sqrt(0.5) * normal(rr, 0) +
                            std::sqrt(0.5) * normal(rr, static_cast<std::uint32_t>(v + 1)));
      }
      if (simulated) *simulated += count;
    }
  };
}

// The slippage configuration: the best exceeds the others by exactly delta. The
// probability of correct selection is at least 0.95; over 300 macro-replications the
// count of correct selections must reach 285 - 4 sd (sd = sqrt(300 x 0.95 x 0.05) = 3.8),
// i.e. 270 (KN is conservative: it is usually nearer 0.99).
TEST(Selection, SelectsTheBestWithThePromisedProbability) {
  SelectionOptions o;
  o.indifference = 0.5;
  o.confidence = 0.95;
  o.first_stage = 10;
  int correct = 0;
  std::uint64_t used = 0, fixed = 0;
  for (std::uint32_t e = 0; e < 300; ++e) {
    const SelectionResult r = select_best(5, o, 4, normal_source({0, 0, 0.5, 0, 0}, e));
    correct += r.selected == 2 && r.guaranteed;
    for (std::uint64_t n : r.replications) {
      used += n;
      // Past h2 S2 / delta^2 no continuation region is left: never more than the fixed design.
      EXPECT_LE(n, r.fixed_per_variant + 1);
    }
    fixed += 5 * r.fixed_per_variant;
  }
  EXPECT_GE(correct, 300 * 0.95 - 4 * std::sqrt(300 * 0.95 * 0.05));
  EXPECT_LT(used, fixed);
}

TEST(Selection, ClearlyWorseVariantsStopEarly) {
  SelectionOptions o;
  o.indifference = 0.2;
  o.first_stage = 10;
  // Eight variants, the best far ahead of six of them and 0.3 ahead of one.
  const SelectionResult r = select_best(8, o, 1, normal_source({0, -20, -20, -20, 0.3, -20, -20, -20}, 1));
  EXPECT_EQ(r.selected, 4u);
  EXPECT_TRUE(r.guaranteed);
  for (std::size_t v : {1, 2, 3, 5, 6, 7}) {
    EXPECT_EQ(r.replications[v], 10u) << v;  // out at the first screening
    EXPECT_EQ(r.eliminated_at[v], 10u) << v;
  }
  EXPECT_GT(r.replications[0], 10u);
  EXPECT_EQ(r.replications[4], r.replications[0]);  // the last two ran together to the end
  std::uint64_t total = 0;
  for (std::uint64_t n : r.replications) total += n;
  EXPECT_LT(total, 8 * r.fixed_per_variant / 2);  // well under the fixed design's cost
}

TEST(Selection, TheOutcomeDoesNotDependOnTheBlockSize) {
  SelectionOptions o;
  o.indifference = 0.3;
  for (std::uint32_t e = 0; e < 20; ++e) {
    const SelectionResult a = select_best(4, o, 1, normal_source({0, 0.1, 0.3, -0.2}, e));
    const SelectionResult b = select_best(4, o, 13, normal_source({0, 0.1, 0.3, -0.2}, e));
    EXPECT_EQ(a.selected, b.selected);
    EXPECT_EQ(a.replications, b.replications);
    EXPECT_EQ(a.eliminated_at, b.eliminated_at);
  }
}

TEST(Selection, TheBudgetEndsItWithoutTheGuarantee) {
  SelectionOptions o;
  o.indifference = 0.01;  // identical variants, a tiny zone: never settled in 50
  o.max_replications = 50;
  const SelectionResult r = select_best(3, o, 8, normal_source({0, 0, 0}, 3));
  EXPECT_FALSE(r.guaranteed);
  for (std::uint64_t n : r.replications) EXPECT_LE(n, 50u);
  EXPECT_GT(r.fixed_per_variant, 50u);
  EXPECT_THROW(select_best(1, o, 1, normal_source({0}, 0)), std::invalid_argument);
  o.indifference = 0;
  EXPECT_THROW(select_best(3, o, 1, normal_source({0, 0, 0}, 0)), std::invalid_argument);
}

}  // namespace
}  // namespace campaign
