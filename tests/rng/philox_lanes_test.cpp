#include "rng/philox_lanes.h"

#include <gtest/gtest.h>

#include <string>

namespace campaign {
namespace {

// Every implementation the processor can run computes CounterRng::block in every lane:
// counters spread over all fields (high bits, the 24-bit c, every stream) and two keys
// (one with both key words' top bits set, which the key schedule's additions wrap).
class PhiloxLanesTest : public ::testing::TestWithParam<std::string> {};

TEST_P(PhiloxLanesTest, EqualsOneBlockAtATimeInEveryLane) {
  for (const std::uint64_t seed : {std::uint64_t{20261123}, std::uint64_t{0xFFFF'FFF0'FFFF'FFF7}}) {
    const CounterRng rng(seed);
    std::uint32_t x = 12345;
    const auto next = [&x] { return x = x * 1664525u + 1013904223u; };  // spreads the fields
    for (int batch = 0; batch < 200; ++batch) {
      PhiloxLanes lanes;
      struct Key {
        Stream stream;
        std::uint32_t r, a, b, c;
      } keys[PhiloxLanes::width];
      for (std::size_t lane = 0; lane < PhiloxLanes::width; ++lane) {
        keys[lane] = {static_cast<Stream>(1 + next() % 15), next(), next(), next(), next() & 0xFFFFFF};
        const Key& k = keys[lane];
        lanes.set_counter(lane, k.stream, k.r, k.a, k.b, k.c);
      }
      if (!lanes.run_with(GetParam(), rng)) GTEST_SKIP() << GetParam() << " not supported here";
      for (std::size_t lane = 0; lane < PhiloxLanes::width; ++lane) {
        const Key& k = keys[lane];
        ASSERT_EQ(lanes.block(lane), rng.block(k.stream, k.r, k.a, k.b, k.c))
            << "seed " << seed << " batch " << batch << " lane " << lane;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Isa, PhiloxLanesTest, ::testing::Values("avx512", "avx2", "scalar"));

TEST(PhiloxLanes, ChoosesTheWidestSupportedImplementation) {
  const std::string chosen(PhiloxLanes::chosen());
  PhiloxLanes lanes;
  const CounterRng rng(1);
  ASSERT_TRUE(lanes.run_with(chosen, rng)) << chosen;
  if (chosen != "avx512") {
    EXPECT_FALSE(lanes.run_with("avx512", rng));
  }
  if (chosen == "scalar") {
    EXPECT_FALSE(lanes.run_with("avx2", rng));
  }
  EXPECT_FALSE(lanes.run_with("sse9", rng));  // unknown names are refused
}

}  // namespace
}  // namespace campaign
