// The seeding value's person-by-person split (experiment/seeding_value.h) on hand-made
// adoption logs whose every category is known, and its measures over replications.
#include "experiment/seeding_value.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace campaign {
namespace {

TEST(SplitAdoptions, EveryPersonFallsInOneCategory) {
  // Person: 1 expansion; 2 accelerated by 3 steps; 3 unchanged; 4 delayed; 5 displaced;
  // 6 accelerated by 1 step; 7 expansion. Unsorted, as kernels log them.
  std::vector<Adoption> campaign = {{7, 9}, {2, 1}, {1, 5}, {3, 4}, {4, 8}, {6, 2}};
  std::vector<Adoption> base = {{6, 3}, {5, 2}, {4, 6}, {3, 4}, {2, 4}};
  // The campaign's final counts two agency customers besides its six logged; the base's none.
  const AdoptionSplit s = split_adoptions(campaign, base, 8, 5);
  EXPECT_EQ(s.expansion, 2u);
  EXPECT_EQ(s.acceleration, 2u);
  EXPECT_EQ(s.steps_gained, 4u);
  EXPECT_EQ(s.unchanged, 1u);
  EXPECT_EQ(s.delayed, 1u);
  EXPECT_EQ(s.displaced, 1u);
  EXPECT_EQ(s.gained(), 4u);
  EXPECT_EQ(s.outside, 2);
  EXPECT_EQ(s.base_outside, 0);
  EXPECT_EQ(s.net(), 3);  // = expansion - displaced + outside - base_outside
  EXPECT_EQ(s.net(), static_cast<double>(s.expansion) - static_cast<double>(s.displaced) + s.outside - s.base_outside);
}

TEST(SplitAdoptions, TheSameLogIsAllUnchanged) {
  std::vector<Adoption> a = {{3, 1}, {0, 2}, {9, 0}}, b = a;
  const AdoptionSplit s = split_adoptions(a, b, 3, 3);
  EXPECT_EQ(s.unchanged, 3u);
  EXPECT_EQ(s.gained() + s.delayed + s.displaced, 0u);
  EXPECT_EQ(s.net(), 0);
}

TEST(SplitAdoptions, EmptyLogs) {
  std::vector<Adoption> none, some = {{4, 2}};
  EXPECT_EQ(split_adoptions(some, none, 1, 0).expansion, 1u);
  EXPECT_EQ(split_adoptions(none, some, 0, 1).displaced, 1u);
  EXPECT_EQ(split_adoptions(none, none, 0, 0).net(), 0);
}

TEST(SplitAdoptions, APersonLoggedTwiceIsAnError) {
  std::vector<Adoption> twice = {{2, 1}, {2, 3}}, base;
  EXPECT_THROW(split_adoptions(twice, base, 2, 0), std::logic_error);
}

TEST(SeedingMeasures, MeansAndRatiosOverReplications) {
  std::vector<AdoptionSplit> reps(4);
  for (std::size_t r = 0; r < reps.size(); ++r) {
    reps[r].expansion = 10 + r;       // 10 11 12 13: mean 11.5
    reps[r].acceleration = 2 * r + 2; // 2 4 6 8: mean 5
    reps[r].steps_gained = 3 * reps[r].acceleration;
    reps[r].displaced = 1;
    reps[r].adopters = 100 + static_cast<double>(r);
    reps[r].base_adopters = 90;
  }
  const std::vector<SeedingMeasure> m = seeding_measures(reps);
  const auto find = [&](const std::string& name) {
    for (const SeedingMeasure& x : m) {
      if (name == x.name) return x.value;
    }
    ADD_FAILURE() << name;
    return Interval{};
  };
  EXPECT_DOUBLE_EQ(find("gained").estimate, 16.5);
  EXPECT_DOUBLE_EQ(find("expansion").estimate, 11.5);
  EXPECT_DOUBLE_EQ(find("acceleration").estimate, 5);
  EXPECT_DOUBLE_EQ(find("displaced").estimate, 1);
  EXPECT_DOUBLE_EQ(find("displaced").lo, 1);  // no spread: a zero-width interval
  EXPECT_DOUBLE_EQ(find("net").estimate, 11.5);
  EXPECT_EQ(find("net").n, 4u);
  // Every accelerated person gained exactly 3 steps: the ratio and its interval are 3.
  EXPECT_DOUBLE_EQ(find("steps_gained_per_accelerated").estimate, 3);
  EXPECT_NEAR(find("steps_gained_per_accelerated").hi - find("steps_gained_per_accelerated").lo, 0, 1e-12);
  EXPECT_DOUBLE_EQ(find("acceleration_share").estimate, 5 / 16.5);
  // expansion's interval: mean 11.5, sd sqrt(5/3), t(0.975, 3) = 3.182446 (statistical tables).
  EXPECT_NEAR(find("expansion").hi - 11.5, 3.182446 * std::sqrt(5.0 / 3.0) / 2, 1e-5);
}

}  // namespace
}  // namespace campaign
