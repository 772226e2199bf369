#include "results/quantile_sketch.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

namespace campaign {
namespace {

// Nearest rank: the ceil(q n)-th smallest value (at least the first).
double nearest_rank(std::vector<double> xs, double q) {
  std::sort(xs.begin(), xs.end());
  const auto n = static_cast<double>(xs.size());
  const auto rank = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(q * n)));
  return xs[std::min(rank, xs.size()) - 1];
}

QuantileSketch sketch_of(const std::vector<double>& xs) {
  QuantileSketch s;
  for (double x : xs) s.add(x);
  return s;
}

std::vector<double> q_grid() {
  std::vector<double> qs = {0.0, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1.0};
  for (int i = 1; i < 200; ++i) qs.push_back(i / 200.0);
  return qs;
}

// Integers in [lo, hi] from raw engine output, so the data do not depend on the standard
// library's distributions.
std::vector<double> random_integers(std::uint64_t seed, std::size_t n, std::int64_t lo,
                                    std::int64_t hi) {
  std::mt19937_64 gen(seed);
  std::vector<double> xs;
  const auto span = static_cast<std::uint64_t>(hi - lo + 1);
  for (std::size_t i = 0; i < n; ++i) {
    xs.push_back(static_cast<double>(lo + static_cast<std::int64_t>(gen() % span)));
  }
  return xs;
}

// A mix that crosses every regime: tiny and huge magnitudes, both signs, exact zeros,
// values in [1, 512) where buckets are narrower than 1, and values on bucket bounds.
std::vector<double> random_continuous(std::uint64_t seed, std::size_t n) {
  std::mt19937_64 gen(seed);
  auto unit = [&] { return static_cast<double>(gen() >> 11) * 0x1.0p-53; };
  std::vector<double> xs;
  for (std::size_t i = 0; i < n; ++i) {
    double x = 0.0;
    switch (gen() % 5) {
      case 0: x = unit() * 2000.0 - 1000.0; break;
      case 1: x = std::pow(10.0, unit() * 12.0 - 6.0) * (gen() % 2 ? 1.0 : -1.0); break;
      case 2: x = 1.0 + unit() * 511.0; break;
      case 3: x = gen() % 7 == 0 ? 0.0 : unit() * 1e6; break;
      default: x = static_cast<double>(gen() % 4096) - 2048.0; break;
    }
    xs.push_back(x);
  }
  return xs;
}

TEST(QuantileSketch, EmptyIsNaN) {
  const QuantileSketch s;
  EXPECT_EQ(s.count(), 0u);
  EXPECT_TRUE(std::isnan(s.quantile(0.5)));
}

TEST(QuantileSketch, SingleValueIsExact) {
  for (double x : {0.0, -0.0, 1.0, 3.14159, -2.5e-300, 1e300, -7777.77}) {
    QuantileSketch s;
    s.add(x);
    for (double q : {0.0, 0.5, 1.0}) EXPECT_EQ(s.quantile(q), x) << x;
  }
}

TEST(QuantileSketch, RejectsNonFinite) {
  QuantileSketch s;
  EXPECT_THROW(s.add(std::numeric_limits<double>::infinity()), std::invalid_argument);
  EXPECT_THROW(s.add(std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
  EXPECT_EQ(s.count(), 0u);
}

TEST(QuantileSketch, IntegersBelow512AreExact) {
  std::uint64_t seed = 1;
  for (std::size_t n : {1u, 2u, 3u, 7u, 20u, 100u, 1001u, 5000u}) {
    for (auto [lo, hi] : {std::pair<std::int64_t, std::int64_t>{0, 511}, {0, 20}, {-511, 511},
                          {300, 511}, {-511, -1}}) {
      const std::vector<double> xs = random_integers(seed++, n, lo, hi);
      const QuantileSketch s = sketch_of(xs);
      ASSERT_EQ(s.count(), n);
      for (double q : q_grid()) {
        ASSERT_EQ(s.quantile(q), nearest_rank(xs, q))
            << "n " << n << " range [" << lo << ", " << hi << "] q " << q;
      }
    }
  }
}

TEST(QuantileSketch, ContinuousWithinRelativeError) {
  const double bound = std::ldexp(1.0, -9);
  for (std::uint64_t seed : {11u, 12u, 13u}) {
    for (std::size_t n : {10u, 333u, 20000u}) {
      const std::vector<double> xs = random_continuous(seed, n);
      const QuantileSketch s = sketch_of(xs);
      for (double q : q_grid()) {
        const double expected = nearest_rank(xs, q);
        const double got = s.quantile(q);
        ASSERT_LE(std::abs(got - expected), bound * std::abs(expected))
            << "seed " << seed << " n " << n << " q " << q << " expected " << expected
            << " got " << got;
        if (expected == 0.0) {
          ASSERT_EQ(got, 0.0);
        }
        ASSERT_EQ(std::signbit(got) && got != 0.0, std::signbit(expected) && expected != 0.0);
      }
    }
  }
}

TEST(QuantileSketch, NarrowBucketUsesMidpointForOffBoundValues) {
  // 1.0037 lies in the bucket [1, 1 + 2^-8): its lower bound would be 0.37% off, more
  // than 2^-9; the midpoint is within it.
  const QuantileSketch s = sketch_of({0.5, 1.0037, 1.0038, 2.0});
  const double got = s.quantile(0.5);
  EXPECT_LE(std::abs(got - 1.0037), std::ldexp(1.0, -9) * 1.0037);
  EXPECT_NE(got, 1.0);
}

TEST(QuantileSketch, ZerosAndNegativeZero) {
  const QuantileSketch s = sketch_of({-0.0, 0.0, 0.0, -1.0, 1.0});
  EXPECT_EQ(s.quantile(0.2), -1.0);
  EXPECT_EQ(s.quantile(0.5), 0.0);
  EXPECT_EQ(s.quantile(0.8), 0.0);
  EXPECT_EQ(s.quantile(1.0), 1.0);
}

TEST(QuantileSketch, ExtremesClampToObservedRange) {
  const double big = std::numeric_limits<double>::max();
  const double tiny = std::numeric_limits<double>::denorm_min();
  const QuantileSketch s = sketch_of({big, big * 0.9999, -big, tiny, -tiny, 1.0});
  for (double q : q_grid()) {
    const double v = s.quantile(q);
    ASSERT_TRUE(std::isfinite(v)) << q;
    ASSERT_GE(v, s.min());
    ASSERT_LE(v, s.max());
  }
  EXPECT_EQ(s.quantile(0.0), -big);
  EXPECT_EQ(s.quantile(1.0), big);
  EXPECT_EQ(s.min(), -big);
  EXPECT_EQ(s.max(), big);
}

TEST(QuantileSketch, MergeEqualsAddingAll) {
  const std::vector<double> xs = random_continuous(21, 9000);
  const QuantileSketch all = sketch_of(xs);
  // Parts with different key ranges, so merging has to grow both ends.
  std::vector<double> a, b, c;
  for (double x : xs) (std::abs(x) < 1.0 ? a : std::abs(x) < 1000.0 ? b : c).push_back(x);
  QuantileSketch merged = sketch_of(b);
  merged.merge(sketch_of(a));
  merged.merge(QuantileSketch{});
  merged.merge(sketch_of(c));
  EXPECT_EQ(merged.count(), all.count());
  EXPECT_EQ(merged.min(), all.min());
  EXPECT_EQ(merged.max(), all.max());
  for (double q : q_grid()) ASSERT_EQ(merged.quantile(q), all.quantile(q)) << q;

  QuantileSketch into_empty;
  into_empty.merge(all);
  for (double q : q_grid()) ASSERT_EQ(into_empty.quantile(q), all.quantile(q)) << q;
}

TEST(QuantileSketch, EncodeDecodeKeepsEveryQuantile) {
  std::vector<double> xs = random_continuous(41, 4000);
  const std::vector<double> ints = random_integers(42, 2000, -600, 600);  // zeros and exact buckets
  xs.insert(xs.end(), ints.begin(), ints.end());
  const QuantileSketch s = sketch_of(xs);
  std::vector<std::uint64_t> words = {7};  // appended after what is there
  s.encode(words);
  QuantileSketch{}.encode(words);
  std::size_t at = 1;
  const QuantileSketch back = QuantileSketch::decode(words, at);
  const QuantileSketch empty = QuantileSketch::decode(words, at);
  EXPECT_EQ(at, words.size());
  EXPECT_EQ(back.count(), s.count());
  EXPECT_EQ(back.min(), s.min());
  EXPECT_EQ(back.max(), s.max());
  for (double q : q_grid()) ASSERT_EQ(back.quantile(q), s.quantile(q)) << q;
  EXPECT_EQ(empty.count(), 0u);
  // A decoded sketch merges like the original.
  QuantileSketch merged = back;
  merged.merge(sketch_of(random_continuous(43, 100)));
  QuantileSketch expected = s;
  expected.merge(sketch_of(random_continuous(43, 100)));
  for (double q : q_grid()) ASSERT_EQ(merged.quantile(q), expected.quantile(q)) << q;
  // Cut short, or counts that do not add up: refused.
  std::vector<std::uint64_t> short_words(words.begin() + 1, words.begin() + 6);
  at = 0;
  EXPECT_THROW(QuantileSketch::decode(short_words, at), std::invalid_argument);
  std::vector<std::uint64_t> wrong(words.begin() + 1, words.end());
  wrong[0] += 1;
  at = 0;
  EXPECT_THROW(QuantileSketch::decode(wrong, at), std::invalid_argument);
}

TEST(QuantileSketch, OrderIndependent) {
  std::vector<double> xs = random_continuous(31, 5000);
  const std::vector<double> ints = random_integers(32, 3000, -600, 600);
  xs.insert(xs.end(), ints.begin(), ints.end());
  const QuantileSketch forward = sketch_of(xs);
  std::vector<double> sorted = xs;
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> descending(sorted.rbegin(), sorted.rend());
  std::vector<double> shuffled = xs;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937_64(33));
  for (const auto* order : {&sorted, &descending, &shuffled}) {
    const QuantileSketch other = sketch_of(*order);
    for (double q : q_grid()) ASSERT_EQ(other.quantile(q), forward.quantile(q)) << q;
  }
  // Merging in either direction gives the same sketch.
  const std::vector<double> left(xs.begin(), xs.begin() + 4000), right(xs.begin() + 4000, xs.end());
  QuantileSketch ab = sketch_of(left), ba = sketch_of(right);
  ab.merge(sketch_of(right));
  ba.merge(sketch_of(left));
  for (double q : q_grid()) ASSERT_EQ(ab.quantile(q), ba.quantile(q)) << q;
}

}  // namespace
}  // namespace campaign
