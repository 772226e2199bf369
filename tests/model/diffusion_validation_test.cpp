// Statistical validation of the diffusion kernels against exact values. Each check is
// |mean - exact| <= 4 sd / sqrt(R), with the exact value computed here by dynamic
// programming over the model's Markov chain (and compared with the published constant).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "graph/generators.h"
#include "support/simulate.h"

namespace campaign {
namespace {

using testing::scenario_from;
using testing::simulate;

// log of the binomial pmf C(n, k) x^k (1 - x)^(n - k).
double log_binomial_pmf(int n, int k, double x) {
  if (x <= 0) return k == 0 ? 0.0 : -INFINITY;
  if (x >= 1) return k == n ? 0.0 : -INFINITY;
  return std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0) + k * std::log(x) +
         (n - k) * std::log1p(-x);
}

// Network Bass on the complete graph K_n: with a adopted, each of the n - a others adopts
// independently with probability 1 - (1-p)(1-q)^a. Returns E[adopted / n] after each step.
std::vector<double> exact_bass_complete(int n, double p, double q, int steps) {
  std::vector<double> dist(n + 1, 0.0), next(n + 1);
  dist[0] = 1.0;
  std::vector<double> mean_fraction = {0.0};
  for (int t = 1; t <= steps; ++t) {
    std::fill(next.begin(), next.end(), 0.0);
    for (int a = 0; a <= n; ++a) {
      if (dist[a] == 0) continue;
      const double x = 1.0 - (1.0 - p) * std::pow(1.0 - q, a);
      for (int k = 0; k <= n - a; ++k) next[a + k] += dist[a] * std::exp(log_binomial_pmf(n - a, k, x));
    }
    dist.swap(next);
    double mean = 0;
    for (int a = 0; a <= n; ++a) mean += a * dist[a];
    mean_fraction.push_back(mean / n);
  }
  return mean_fraction;
}

// Independent cascade on K_n from one seed, by generations: with s susceptible and i newly
// infected, the next generation is Binomial(s, 1 - (1-T)^i). Returns E[final size].
double exact_cascade_complete(int n, double T) {
  // expected[s][i] = expected final number infected from state (s susceptible, i newly infected)
  std::vector<std::vector<double>> expected(n, std::vector<double>(n + 1, 0.0));
  for (int s = 0; s < n; ++s) {
    for (int i = 1; i + s <= n; ++i) {
      const double x = 1.0 - std::pow(1.0 - T, i);
      double e = 0;
      for (int k = 1; k <= s; ++k) e += std::exp(log_binomial_pmf(s, k, x)) * (k + expected[s - k][k]);
      expected[s][i] = e;
    }
  }
  return 1.0 + expected[n - 1][1];
}

TEST(NetworkBassValidation, CompleteGraphMatchesExactMarkovChain) {
  const int n = 500;
  const double p = 0.02, q = 0.4 / 499;
  const std::vector<double> exact = exact_bass_complete(n, p, q, 10);
  // Published reference values for this case.
  EXPECT_NEAR(exact[5], 0.192493, 1e-6);
  EXPECT_NEAR(exact[10], 0.644149, 1e-6);

  Scenario s = scenario_from(
      "[run]\nreplications = 1000\nsteps = 10\nseed = 11\n[audience]\nsize = 500\n"
      "[graph]\nmodel = \"complete\"\n[diffusion]\nmodel = \"network_bass\"\np = 0.02\n"
      "q = 0.000801603206412826\n[seeding]\ncount = 0\n");
  const CsrGraph graph = complete_graph(n);
  const RunAccumulator acc = simulate(s, graph);
  const SeriesSummary total = acc.series(TOTAL_ADOPTED);
  for (int t : {5, 10}) {
    const double mean = total.mean[t] / n, sd = total.sd[t] / n;
    EXPECT_LE(std::abs(mean - exact[t]), 4 * sd / std::sqrt(1000.0))
        << "step " << t << ": mean " << mean << " exact " << exact[t];
  }
}

TEST(IndependentCascadeValidation, CompleteGraphK10MatchesExactFinalSize) {
  const double exact = exact_cascade_complete(10, 0.2);
  EXPECT_NEAR(exact, 6.784458, 1e-6);  // published reference value
  const std::uint32_t R = 20000;
  Scenario s = scenario_from(
      "[run]\nreplications = 20000\nsteps = 10\nseed = 5\n[audience]\nsize = 10\n"
      "[graph]\nmodel = \"complete\"\n[diffusion]\ntransmission = 0.2\n[seeding]\ncount = 1\n");
  const RunAccumulator acc = simulate(s, complete_graph(10));
  const SeriesSummary total = acc.series(TOTAL_ADOPTED);
  EXPECT_LE(std::abs(total.mean[10] - exact), 4 * total.sd[10] / std::sqrt(double(R)))
      << "mean " << total.mean[10] << " exact " << exact;
}

TEST(IndependentCascadeValidation, ErdosRenyiFinalFractionIsSquaredGiantCascade) {
  // Mean degree c = 6, T = 0.25: the giant-cascade fraction S solves S = 1 - exp(-c T S)
  // (Newman 2002); a random seed starts a large cascade with probability S, which then
  // reaches a fraction S, so E[final fraction] = S^2. Allowed: 4 sd / sqrt(R) plus 0.01
  // for finite size (N = 20000).
  double S = 0.5;
  for (int i = 0; i < 200; ++i) S = 1.0 - std::exp(-6.0 * 0.25 * S);
  EXPECT_NEAR(S, 0.582812, 1e-6);
  EXPECT_NEAR(S * S, 0.339669, 1e-6);
  const std::uint32_t R = 2000;
  Scenario s = scenario_from(
      "[run]\nreplications = 2000\nsteps = 200\nseed = 3\n[audience]\nsize = 20000\n"
      "[graph]\nmodel = \"erdos_renyi\"\nmean_degree = 6\n[diffusion]\ntransmission = 0.25\n");
  const CsrGraph graph = erdos_renyi(20000, 6.0 / 19999, s.run.seed);
  const RunAccumulator acc = simulate(s, graph);
  const SeriesSummary total = acc.series(TOTAL_ADOPTED);
  const double mean = total.mean[200] / 20000, sd = total.sd[200] / 20000;
  EXPECT_LE(std::abs(mean - S * S), 4 * sd / std::sqrt(double(R)) + 0.01) << "mean " << mean;
}

}  // namespace
}  // namespace campaign
