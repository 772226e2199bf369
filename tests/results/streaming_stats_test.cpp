#include "results/streaming_stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

namespace campaign {
namespace {

StreamingMoments moments_of(const std::vector<double>& xs) {
  StreamingMoments m;
  for (double x : xs) m.add(x);
  return m;
}

TEST(StreamingMoments, EmptyAndSingleAreZeroSpread) {
  StreamingMoments m;
  EXPECT_EQ(m.count(), 0u);
  EXPECT_EQ(m.mean(), 0.0);
  EXPECT_EQ(m.variance(), 0.0);
  EXPECT_EQ(m.standard_error(), 0.0);
  m.add(3.5);
  EXPECT_EQ(m.count(), 1u);
  EXPECT_EQ(m.mean(), 3.5);
  EXPECT_EQ(m.variance(), 0.0);
  EXPECT_EQ(m.sd(), 0.0);
  EXPECT_EQ(m.standard_error(), 0.0);
}

TEST(StreamingMoments, KnownSample) {
  // Sum of squared deviations from the mean 5 is 32.
  const StreamingMoments m = moments_of({2, 4, 4, 4, 5, 5, 7, 9});
  EXPECT_EQ(m.count(), 8u);
  EXPECT_DOUBLE_EQ(m.mean(), 5.0);
  EXPECT_DOUBLE_EQ(m.variance(), 32.0 / 7.0);
  EXPECT_DOUBLE_EQ(m.sd(), std::sqrt(32.0 / 7.0));
  EXPECT_DOUBLE_EQ(m.standard_error(), std::sqrt(32.0 / 7.0) / std::sqrt(8.0));
}

TEST(StreamingMoments, EqualValuesHaveZeroVariance) {
  const StreamingMoments m = moments_of(std::vector<double>(1000, 0.1));
  EXPECT_DOUBLE_EQ(m.mean(), 0.1);
  EXPECT_GE(m.variance(), 0.0);
  EXPECT_LT(m.variance(), 1e-30);
}

TEST(StreamingMoments, LargeOffsetDoesNotCancel) {
  // Raw power sums lose every digit here (1e18 squared vs a spread of 1); Welford does not.
  std::vector<double> xs;
  for (int i = 0; i < 3000; ++i) xs.push_back(1e9 + (i % 3));  // 0,1,2 repeated
  const StreamingMoments m = moments_of(xs);
  EXPECT_NEAR(m.mean(), 1e9 + 1.0, 1e-14 * 1e9);  // a few ulps of drift
  EXPECT_NEAR(m.variance(), 2000.0 / 2999.0, 1e-6);
}

TEST(StreamingMoments, MergeMatchesSequential) {
  std::mt19937_64 gen(42);
  std::vector<double> xs;
  for (int i = 0; i < 1000; ++i) xs.push_back(static_cast<double>(gen() % 100000) / 7.0 - 3000.0);
  const StreamingMoments all = moments_of(xs);
  StreamingMoments a = moments_of({xs.begin(), xs.begin() + 137});
  const StreamingMoments b = moments_of({xs.begin() + 137, xs.end()});
  a.merge(b);
  EXPECT_EQ(a.count(), all.count());
  EXPECT_NEAR(a.mean(), all.mean(), 1e-12 * std::abs(all.mean()));
  EXPECT_NEAR(a.variance(), all.variance(), 1e-12 * all.variance());

  StreamingMoments empty;
  empty.merge(all);
  EXPECT_EQ(empty.mean(), all.mean());
  EXPECT_EQ(empty.variance(), all.variance());
  StreamingMoments same = all;
  same.merge(StreamingMoments{});
  EXPECT_EQ(same.count(), all.count());
  EXPECT_EQ(same.variance(), all.variance());
}

TEST(TCritical975, KnownValues) {
  EXPECT_TRUE(std::isinf(t_critical_975(0)));
  EXPECT_NEAR(t_critical_975(1), 12.7062, 1e-4);
  EXPECT_NEAR(t_critical_975(2), 4.3027, 1e-4);
  EXPECT_NEAR(t_critical_975(10), 2.2281, 1e-4);
  EXPECT_NEAR(t_critical_975(30), 2.0423, 1e-4);
  // Beyond the table (scipy.stats.t.ppf(0.975, df)): the expansion is within 1e-5.
  EXPECT_NEAR(t_critical_975(31), 2.039513446, 1e-5);
  EXPECT_NEAR(t_critical_975(40), 2.021075383, 1e-5);
  EXPECT_NEAR(t_critical_975(60), 2.000297821, 1e-5);
  EXPECT_NEAR(t_critical_975(1000), 1.962339081, 1e-5);
  EXPECT_NEAR(t_critical_975(std::uint64_t{1} << 40), 1.959963985, 1e-6);
}

TEST(TCritical975, DecreasesWithDegreesOfFreedom) {
  double previous = t_critical_975(1);
  for (std::uint64_t df = 2; df <= 5000; ++df) {
    const double t = t_critical_975(df);
    ASSERT_LT(t, previous) << "df " << df;
    ASSERT_GT(t, 1.959963984) << "df " << df;
    previous = t;
  }
}

}  // namespace
}  // namespace campaign
