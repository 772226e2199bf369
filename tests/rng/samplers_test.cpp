// Poisson sampler (rng/samplers.h): moments against the exact ones, the split of large
// means into pieces, and pinned draws for fixed uniforms (stability: a change of the
// algorithm changes results, and must be seen).
#include "rng/samplers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "rng/philox.h"

namespace campaign {
namespace {

// R draws of Poisson(lambda), draw j using uniforms keyed (j, piece).
std::vector<double> draws(double lambda, std::uint32_t R, std::uint64_t seed) {
  const CounterRng rng(seed);
  std::vector<double> x;
  x.reserve(R);
  for (std::uint32_t j = 0; j < R; ++j) {
    x.push_back(static_cast<double>(
        poisson(lambda, [&](std::uint32_t piece) { return rng.uniform(Stream::agency, 0, j, piece, 7); })));
  }
  return x;
}

// Sample mean and variance of R = 20000 draws. Exact: mean = variance = lambda.
// Allowed: 4 standard errors, SE(mean) = sqrt(lambda / R) and, from the fourth central
// moment lambda (1 + 3 lambda), SE(variance) = sqrt((lambda + 2 lambda^2) / R).
void expect_poisson_moments(double lambda, std::uint64_t seed) {
  const std::uint32_t R = 20000;
  const auto x = draws(lambda, R, seed);
  double mean = 0;
  for (double v : x) mean += v;
  mean /= R;
  double ss = 0;
  for (double v : x) ss += (v - mean) * (v - mean);
  const double variance = ss / (R - 1);
  EXPECT_LE(std::abs(mean - lambda), 4 * std::sqrt(lambda / R)) << "lambda " << lambda << " mean " << mean;
  EXPECT_LE(std::abs(variance - lambda), 4 * std::sqrt((lambda + 2 * lambda * lambda) / R))
      << "lambda " << lambda << " variance " << variance;
}

TEST(Poisson, SmallMeanMomentsAndProbabilities) {
  expect_poisson_moments(0.5, 1);
  // P(0) = e^-0.5, P(1) = 0.5 e^-0.5, P(2) = 0.125 e^-0.5; frequencies of 20000 draws
  // within 4 binomial sd.
  const auto x = draws(0.5, 20000, 2);
  const double p[3] = {std::exp(-0.5), 0.5 * std::exp(-0.5), 0.125 * std::exp(-0.5)};
  for (int k = 0; k < 3; ++k) {
    const double f = static_cast<double>(std::count(x.begin(), x.end(), double(k))) / x.size();
    EXPECT_LE(std::abs(f - p[k]), 4 * std::sqrt(p[k] * (1 - p[k]) / x.size())) << "k " << k;
  }
}

TEST(Poisson, ModerateMeanMoments) { expect_poisson_moments(30, 3); }

TEST(Poisson, LargeMeanMoments) { expect_poisson_moments(200, 4); }

TEST(Poisson, MeanAboveOnePieceIsSplitIntoPieces) {
  // 1700 = 4 pieces of 425 (at most 500 each): the sum of 4 Poisson(425) is Poisson(1700).
  expect_poisson_moments(1700, 5);
  auto pieces_used = [](double lambda) {
    std::uint32_t used = 0;
    poisson(lambda, [&](std::uint32_t piece) {
      EXPECT_EQ(piece, used) << "pieces must be asked for in order 0, 1, ...";
      ++used;
      return 0.5;
    });
    return used;
  };
  EXPECT_EQ(pieces_used(0.5), 1u);
  EXPECT_EQ(pieces_used(500), 1u);
  EXPECT_EQ(pieces_used(500.5), 2u);
  EXPECT_EQ(pieces_used(1700), 4u);
  EXPECT_EQ(pieces_used(0), 0u);
}

TEST(Poisson, ZeroMeanIsZero) {
  int calls = 0;
  const auto count = [&](std::uint32_t) {
    ++calls;
    return 0.999;
  };
  EXPECT_EQ(poisson(0.0, count), 0u);
  EXPECT_EQ(poisson(-1.0, count), 0u);
  EXPECT_EQ(poisson(std::nan(""), count), 0u);
  EXPECT_EQ(calls, 0);
}

TEST(Poisson, StabilityOfPinnedDraws) {
  // Inversion: the smallest k with u < F(k). Values checked against the exact CDF:
  // Poisson(3.7): F(0) = 0.0247, F(1) = 0.1162, F(3) = 0.4942, F(4) = 0.6872,
  // F(6) = 0.9182, F(7) = 0.9648, F(11) = 0.99953, F(12) = 0.99987 (mpmath, 50 digits).
  auto one = [](double lambda, double u) { return poisson(lambda, [u](std::uint32_t) { return u; }); };
  EXPECT_EQ(one(3.7, 0.0), 0u);
  EXPECT_EQ(one(3.7, 0.02), 0u);
  EXPECT_EQ(one(3.7, 0.1), 1u);
  EXPECT_EQ(one(3.7, 0.5), 4u);
  EXPECT_EQ(one(3.7, 0.95), 7u);
  EXPECT_EQ(one(3.7, 0.9996), 12u);
  // Two pieces of 300 each at u = 0.5: F(299) = 0.4923 < 0.5 < F(300) = 0.5153, twice.
  EXPECT_EQ(one(600, 0.5), 600u);
  // Keyed draws of the engine's generator, pinned. Each was checked against the exact CDF
  // (mpmath, 60 digits) at the uniforms Philox gives; the nearest uniform is 1.6e-5 from
  // a CDF step, so no rounding of the summation can move these values.
  const CounterRng rng(20240601);
  std::vector<std::uint64_t> pinned;
  for (std::uint32_t j = 0; j < 6; ++j) {
    pinned.push_back(poisson(j < 3 ? 4.5 : 1234.5,
                             [&](std::uint32_t piece) { return rng.uniform(Stream::agency, 0, j, piece, 0); }));
  }
  EXPECT_EQ(pinned, (std::vector<std::uint64_t>{4, 6, 5, 1216, 1214, 1195}));
}

}  // namespace
}  // namespace campaign
