// Samplers built on keyed uniforms. Written with plain arithmetic (and std::exp) so that
// the same draws give the same values on every platform; pinned by stability tests.
#pragma once

#include <cmath>
#include <cstdint>

namespace campaign {

// Poisson(lambda) by inversion of the CDF (Devroye 1986, X.3), using one uniform per
// piece of at most MAX_PIECE mean (sums of Poissons are Poisson), so exp(-mean) never
// underflows. `uniform(i)` must return the i-th independent U[0, 1).
template <class Uniform>
std::uint64_t poisson(double lambda, Uniform&& uniform) {
  constexpr double MAX_PIECE = 500.0;
  if (!(lambda > 0)) return 0;
  const auto pieces = static_cast<std::uint32_t>(std::ceil(lambda / MAX_PIECE));
  const double mean = lambda / pieces;
  const double p0 = std::exp(-mean);
  std::uint64_t total = 0;
  for (std::uint32_t i = 0; i < pieces; ++i) {
    const double u = uniform(i);
    std::uint64_t k = 0;
    double p = p0, cdf = p0;
    // The bound stops the search where the remaining tail is below double precision.
    while (u >= cdf && k < 20 * static_cast<std::uint64_t>(mean) + 100) {
      ++k;
      p *= mean / static_cast<double>(k);
      cdf += p;
    }
    total += k;
  }
  return total;
}

}  // namespace campaign
