// The comparison's statistics (experiment/comparison.h) against answers known by
// construction: identical variants, exact shifts, exact ratios, hand-computed tails,
// Welch's interval, and the paired interval's coverage on normal data.
#include "experiment/comparison.h"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "core/error.h"
#include "results/streaming_stats.h"
#include "rng/philox.h"

namespace campaign {
namespace {

// A standard normal draw (Box-Muller on two counter-based uniforms).
double normal(const CounterRng& rng, std::uint32_t a, std::uint32_t b, std::uint32_t c) {
  const double u1 = 1.0 - rng.uniform(Stream::design, a, b, c, 1);
  const double u2 = rng.uniform(Stream::design, a, b, c, 2);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

ComparisonInput one_metric(Better better, std::vector<std::vector<double>> per_variant, bool money = false) {
  ComparisonInput in;
  for (std::size_t v = 0; v < per_variant.size(); ++v) in.variants.push_back("v" + std::to_string(v));
  in.metrics.push_back({"metric", money ? "money" : "people", better, money, -1, -1});
  in.values.push_back(std::move(per_variant));
  in.bootstrap_resamples = 1000;
  return in;
}

std::vector<double> noisy(std::uint32_t stream, std::size_t n, double mean, double sd) {
  const CounterRng rng(99);
  std::vector<double> x;
  for (std::size_t r = 0; r < n; ++r) x.push_back(mean + sd * normal(rng, stream, static_cast<std::uint32_t>(r), 0));
  return x;
}

TEST(Comparison, IdenticalVariantsDifferByExactlyNothing) {
  const std::vector<double> x = noisy(1, 200, 50, 10);
  const Comparison c = compare_variants(one_metric(Better::higher, {x, x, x}));
  const MetricComparison& m = c.metrics[0];
  for (std::size_t v = 0; v < 3; ++v) {
    const VariantFigures& f = m.variants[v];
    EXPECT_EQ(f.diff, 0.0);
    EXPECT_EQ(f.diff_ci_lo, 0.0);
    EXPECT_EQ(f.diff_ci_hi, 0.0);
    EXPECT_EQ(f.p_best, 1.0 / 3);  // every resample a three-way tie, split evenly
    for (std::size_t w = 0; w < 3; ++w) {
      EXPECT_EQ(m.wins[v][w], 0u);
      EXPECT_EQ(m.ties[v][w], v == w ? 0u : 200u);
    }
    if (v != 0) {
      EXPECT_TRUE(std::isinf(f.crn_factor));  // the paired difference has no variance at all
      EXPECT_DOUBLE_EQ(f.correlation, 1.0);
    }
  }
}

TEST(Comparison, AnExactShiftIsMeasuredExactly) {
  const std::vector<double> a = noisy(2, 300, 100, 20);
  std::vector<double> b = a;
  for (double& x : b) x += 5;
  const Comparison c = compare_variants(one_metric(Better::higher, {a, b}));
  const MetricComparison& m = c.metrics[0];
  const VariantFigures& f = m.variants[1];
  EXPECT_NEAR(f.diff, 5.0, 1e-9);
  EXPECT_NEAR(f.diff_ci_lo, 5.0, 1e-9);
  EXPECT_NEAR(f.diff_ci_hi, 5.0, 1e-9);
  EXPECT_NEAR(f.relative_diff, 5.0 / std::abs(m.variants[0].mean), 1e-12);
  EXPECT_EQ(m.wins[1][0], 300u);
  EXPECT_EQ(m.wins[0][1], 0u);
  EXPECT_EQ(f.p_best, 1.0);
  EXPECT_EQ(m.variants[0].p_best, 0.0);
  // Lower is better: the same data, the other way round.
  const Comparison lower = compare_variants(one_metric(Better::lower, {a, b}));
  EXPECT_EQ(lower.metrics[0].wins[0][1], 300u);
  EXPECT_EQ(lower.metrics[0].variants[0].p_best, 1.0);
}

TEST(Comparison, MeansIntervalsAndCommonRandomNumbersMatchTheSampleFigures) {
  // x = z + e1, y = z + e2 + 1: correlated through z, as common random numbers make them.
  const std::size_t n = 500;
  const std::vector<double> z = noisy(3, n, 0, 3), e1 = noisy(4, n, 0, 1), e2 = noisy(5, n, 0, 1);
  std::vector<double> x(n), y(n);
  for (std::size_t r = 0; r < n; ++r) {
    x[r] = 10 + z[r] + e1[r];
    y[r] = 11 + z[r] + e2[r];
  }
  const Comparison c = compare_variants(one_metric(Better::higher, {x, y}));
  const VariantFigures& fx = c.metrics[0].variants[0];
  const VariantFigures& fy = c.metrics[0].variants[1];
  StreamingMoments mx, my, md;
  for (std::size_t r = 0; r < n; ++r) {
    mx.add(x[r]);
    my.add(y[r]);
    md.add(y[r] - x[r]);
  }
  const double t = t_critical_975(n - 1);
  EXPECT_DOUBLE_EQ(fx.mean, mx.mean());
  EXPECT_DOUBLE_EQ(fx.sd, mx.sd());
  EXPECT_NEAR(fx.ci_hi - fx.mean, t * mx.standard_error(), 1e-12);
  EXPECT_DOUBLE_EQ(fy.diff, md.mean());
  EXPECT_NEAR(fy.diff_ci_hi - fy.diff, t * md.standard_error(), 1e-12);
  EXPECT_DOUBLE_EQ(fy.crn_factor, (mx.variance() + my.variance()) / md.variance());
  // var z = 9, var e = 1: correlation 9 / 10, factor (10 + 10) / 2 = 10, within sampling error.
  EXPECT_NEAR(fy.correlation, 0.9, 0.03);
  EXPECT_NEAR(fy.crn_factor, 10.0, 2.0);
}

TEST(Comparison, TailsAreTheWorstFivePercent) {
  std::vector<double> x(100);
  std::iota(x.begin(), x.end(), 1.0);  // 1 .. 100
  const VariantFigures high = compare_variants(one_metric(Better::higher, {x})).metrics[0].variants[0];
  EXPECT_EQ(high.tail05, 5.0);  // nearest rank: the 5th smallest
  EXPECT_EQ(high.cvar05, 3.0);  // mean of 1 .. 5
  const VariantFigures low = compare_variants(one_metric(Better::lower, {x})).metrics[0].variants[0];
  EXPECT_EQ(low.tail05, 95.0);  // nearest rank: the ceil(0.95 x 100) = 95th smallest
  EXPECT_EQ(low.cvar05, 98.0);
  EXPECT_TRUE(std::isnan(high.p_negative));  // not money
  std::vector<double> money = {-3, -1, 0, 2, 5, 8, 9, 10};
  const VariantFigures m = compare_variants(one_metric(Better::higher, {money}, true)).metrics[0].variants[0];
  EXPECT_EQ(m.p_negative, 2.0 / 8);
}

TEST(Comparison, RatioOfMeansAndUndefinedRatios) {
  // cost = 3 x customers exactly in every replication: the ratio of means is 3 with no
  // spread; one replication without customers has no ratio (NaN), and is left out.
  ComparisonInput in;
  in.variants = {"a"};
  const std::vector<double> customers = {10, 20, 0, 40, 50};
  std::vector<double> cost, cac;
  for (double c : customers) {
    cost.push_back(3 * c + (c == 0 ? 7 : 0));
    cac.push_back(c > 0 ? 3.0 : std::nan(""));
  }
  in.metrics = {{"customers", "people", Better::higher, false, -1, -1},
                {"cost", "money", Better::lower, true, -1, -1},
                {"cac", "money per customer", Better::lower, false, 1, 0}};
  in.values = {{customers}, {cost}, {cac}};
  const VariantFigures f = compare_variants(in).metrics[2].variants[0];
  EXPECT_EQ(f.n, 4u);
  EXPECT_EQ(f.mean, 3.0);
  // Ratio of means over all five replications: (3 x 120 + 7) / 120.
  EXPECT_DOUBLE_EQ(f.ratio_of_means, (3 * 120.0 + 7) / 120.0);
  EXPECT_LT(f.rom_ci_lo, f.ratio_of_means);
  EXPECT_GT(f.rom_ci_hi, f.ratio_of_means);
}

TEST(Comparison, WelchIntervalForIndependentStreams) {
  const std::vector<double> a = {1, 2, 3, 4, 5}, b = {2, 4, 6, 8, 10, 12, 14};
  ComparisonInput in = one_metric(Better::higher, {a, b});
  EXPECT_THROW(compare_variants(in), std::invalid_argument);  // paired needs equal replications
  in.values[0][1].resize(5);
  in.paired = false;
  const VariantFigures f = compare_variants(in).metrics[0].variants[1];
  // b = {2, 4, 6, 8, 10}: means 3 and 6, variances 2.5 and 10; se^2 = 0.5 + 2, df =
  // 2.5^2 / (0.25/4 + 4/4) = 5.88 -> 5, t(5) = 2.5706.
  EXPECT_DOUBLE_EQ(f.diff, 3.0);
  EXPECT_NEAR(f.diff_ci_hi - f.diff, 2.570582 * std::sqrt(2.5), 1e-5);
  EXPECT_TRUE(std::isnan(f.crn_factor));
}

// The paired 95% interval covers the true difference in 95% of repeated experiments:
// 400 experiments of 30 replications of normal data with a true difference of 2, the
// count of covers within 4 binomial standard deviations of 380 (sd = sqrt(400 x 0.95 x
// 0.05) = 4.36; the t interval is exact for normal data).
TEST(Comparison, PairedIntervalCoverage) {
  const CounterRng rng(2024);
  int covered = 0;
  for (std::uint32_t e = 0; e < 400; ++e) {
    std::vector<double> a(30), b(30);
    for (std::uint32_t r = 0; r < 30; ++r) {
      const double common = 5 * normal(rng, e, r, 0);
      a[r] = common + normal(rng, e, r, 1);
      b[r] = common + 2 + normal(rng, e, r, 2);
    }
    ComparisonInput in = one_metric(Better::higher, {a, b});
    in.bootstrap_resamples = 0;
    const VariantFigures f = compare_variants(in).metrics[0].variants[1];
    covered += f.diff_ci_lo <= 2 && 2 <= f.diff_ci_hi;
  }
  EXPECT_NEAR(covered, 380, 4 * std::sqrt(400 * 0.95 * 0.05));
}

TEST(Comparison, ProbabilityOfBestIsTheSameAtAnyThreadCount) {
  const std::vector<double> a = noisy(6, 100, 10, 3), b = noisy(7, 100, 10.3, 3), c = noisy(8, 100, 9, 3);
  ComparisonInput in = one_metric(Better::higher, {a, b, c});
  in.bootstrap_resamples = 2000;
  std::vector<double> one, two;
  {
    const tbb::global_control cap(tbb::global_control::max_allowed_parallelism, 1);
    const Comparison c = compare_variants(in);
    for (const auto& f : c.metrics[0].variants) one.push_back(f.p_best);
  }
  {
    const tbb::global_control cap(tbb::global_control::max_allowed_parallelism, 2);
    const Comparison c = compare_variants(in);
    for (const auto& f : c.metrics[0].variants) two.push_back(f.p_best);
  }
  EXPECT_EQ(one, two);
  EXPECT_DOUBLE_EQ(one[0] + one[1] + one[2], 1.0);
  EXPECT_GT(one[1], one[0]);  // b has the highest mean by construction
  EXPECT_GT(one[0], one[2]);
  // A metric that is not a goal has no best.
  EXPECT_TRUE(std::isnan(compare_variants(one_metric(Better::neither, {a, b})).metrics[0].variants[0].p_best));
}

TEST(Comparison, ConstraintsParseAndCountShares) {
  const Constraint c = parse_constraint("cac<=60@0.9");
  EXPECT_EQ(c.metric, "cac");
  EXPECT_EQ(c.op, Constraint::Op::le);
  EXPECT_EQ(c.bound, 60.0);
  EXPECT_EQ(c.level, 0.9);
  EXPECT_EQ(parse_constraint("profit>0@0.95").op, Constraint::Op::gt);
  EXPECT_EQ(parse_constraint("profit>=-5.5@1").bound, -5.5);
  for (const char* bad : {"cac<=60", "cac=60@0.9", "<=60@0.9", "cac<=x@0.9", "cac<=60@1.5", "cac<=60@0"}) {
    EXPECT_THROW(parse_constraint(bad), InputError) << bad;
  }
  // 8 of 10 at or below 60, one NaN (undefined: does not meet): share 0.8; Wilson's
  // score interval for 8 of 10 at z = 1.96 is 0.490 .. 0.943 (Wilson 1927, by hand).
  const std::vector<double> x = {10, 20, 30, 40, 50, 60, 55, 45, 70, std::nan("")};
  const ConstraintShare s = constraint_share(c, x);
  EXPECT_DOUBLE_EQ(s.share, 0.8);
  EXPECT_NEAR(s.ci_lo, 0.4902, 1e-4);
  EXPECT_NEAR(s.ci_hi, 0.9433, 1e-4);
  EXPECT_FALSE(s.meets);
  EXPECT_TRUE(constraint_share(parse_constraint("cac<=60@0.8"), x).meets);
}

TEST(Comparison, OnlyEligibleVariantsAreRanked) {
  const std::vector<double> a = noisy(9, 100, 10, 1), b = noisy(10, 100, 20, 1), c = noisy(11, 100, 15, 1);
  ComparisonInput in = one_metric(Better::higher, {a, b, c});
  in.eligible = {true, false, true};  // the best by far is out
  const Comparison out = compare_variants(in);
  EXPECT_TRUE(std::isnan(out.metrics[0].variants[1].p_best));
  EXPECT_EQ(out.metrics[0].variants[2].p_best, 1.0);
  EXPECT_EQ(out.metrics[0].variants[0].p_best, 0.0);
}

}  // namespace
}  // namespace campaign
