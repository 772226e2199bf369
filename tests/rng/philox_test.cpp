#include "rng/philox.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

namespace campaign {
namespace {

// Known-answer vectors of Philox4x32-10 from Random123's kat_vectors file.
TEST(Philox, MatchesRandom123KnownAnswers) {
  const r123::Philox4x32 philox;
  const auto zero = philox({{0, 0, 0, 0}}, {{0, 0}});
  EXPECT_EQ(zero[0], 0x6627e8d5u);
  EXPECT_EQ(zero[1], 0xe169c58du);
  EXPECT_EQ(zero[2], 0xbc57ac4cu);
  EXPECT_EQ(zero[3], 0x9b00dbd8u);
  const auto pi = philox({{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}}, {{0xa4093822, 0x299f31d0}});
  EXPECT_EQ(pi[0], 0xd16cfe09u);
  EXPECT_EQ(pi[1], 0x94fdccebu);
  EXPECT_EQ(pi[2], 0x5001e420u);
  EXPECT_EQ(pi[3], 0x24126ea1u);
}

// Stability: these draws are part of the reproducibility contract. If this test fails,
// every published result changes; bump the results schema and say so.
TEST(CounterRng, GoldenDraws) {
  const CounterRng rng(20261122);
  EXPECT_EQ(rng.u32(Stream::transmission, 0, 1, 2, 0), 4168626613u);
  EXPECT_EQ(rng.u32(Stream::transmission, 7, 1, 2, 0), 2285655400u);
  EXPECT_EQ(rng.u32(Stream::seeding, 0, 1, 2, 3), 4166715471u);
  EXPECT_EQ(rng.u64(Stream::adoption, 3, 5, 9), 3712465201837211045ull);
  EXPECT_DOUBLE_EQ(rng.uniform(Stream::adoption, 3, 5, 9), 0.20125314185543697);
}

TEST(CounterRng, EveryCounterFieldChangesTheDraw) {
  const CounterRng rng(1);
  std::set<std::uint32_t> seen = {rng.u32(Stream::transmission, 0, 0, 0, 0),
                                  rng.u32(Stream::adoption, 0, 0, 0, 0),
                                  rng.u32(Stream::transmission, 1, 0, 0, 0),
                                  rng.u32(Stream::transmission, 0, 1, 0, 0),
                                  rng.u32(Stream::transmission, 0, 0, 1, 0),
                                  rng.u32(Stream::transmission, 0, 0, 0, 1),
                                  CounterRng(2).u32(Stream::transmission, 0, 0, 0, 0)};
  EXPECT_EQ(seen.size(), 7u);
}

TEST(CounterRng, UniformIsInUnitIntervalWithMeanHalf) {
  const CounterRng rng(5);
  const int n = 200000;
  double sum = 0;
  for (int i = 0; i < n; ++i) {
    const double x = rng.uniform(Stream::adoption, 0, static_cast<std::uint32_t>(i), 0);
    ASSERT_GE(x, 0.0);
    ASSERT_LT(x, 1.0);
    sum += x;
  }
  // sd of a U(0,1) is 1/sqrt(12); tolerance 4 standard errors.
  EXPECT_NEAR(sum / n, 0.5, 4.0 / std::sqrt(12.0 * n));
}

TEST(CounterRng, BelowStaysInRangeAndIsExactAtTheEnds) {
  EXPECT_EQ(CounterRng::below(0, 10), 0u);
  EXPECT_EQ(CounterRng::below(~0ull, 10), 9u);
  EXPECT_EQ(CounterRng::below(1ull << 63, 10), 5u);
  EXPECT_EQ(CounterRng::to_unit(0), 0.0);
  EXPECT_LT(CounterRng::to_unit(~0ull), 1.0);
}

TEST(Coin, ThresholdsAreExactMultiplesOfTwoToTheMinus32) {
  EXPECT_FALSE(Coin(0.0)(0));
  EXPECT_TRUE(Coin(1.0)(0xFFFFFFFFu));
  const Coin half(0.5);
  EXPECT_TRUE(half(0x7FFFFFFFu));
  EXPECT_FALSE(half(0x80000000u));
  EXPECT_DOUBLE_EQ(half.probability(), 0.5);
  EXPECT_NEAR(Coin(0.1).probability(), 0.1, 0x1.0p-33);
}

}  // namespace
}  // namespace campaign
