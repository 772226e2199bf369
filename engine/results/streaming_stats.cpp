// Welford's update keeps the mean and the sum of squared deviations (m2) instead of raw
// power sums, so the variance of large counts with a small spread does not cancel away.
#include "results/streaming_stats.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace campaign {

void StreamingMoments::add(double x) {
  ++n_;
  const double delta = x - mean_;
  mean_ += delta / static_cast<double>(n_);
  m2_ += delta * (x - mean_);
}

void StreamingMoments::merge(const StreamingMoments& other) {
  if (other.n_ == 0) return;
  if (n_ == 0) {
    *this = other;
    return;
  }
  const double na = static_cast<double>(n_);
  const double nb = static_cast<double>(other.n_);
  const double n = na + nb;
  const double delta = other.mean_ - mean_;
  mean_ += delta * (nb / n);
  m2_ += other.m2_ + delta * delta * (na * nb / n);
  n_ += other.n_;
}

double StreamingMoments::variance() const {
  if (n_ < 2) return 0.0;
  // m2 is a sum of non-negative terms in exact arithmetic; rounding can leave -0 or a tiny
  // negative when every value is equal.
  return std::max(0.0, m2_ / static_cast<double>(n_ - 1));
}

double StreamingMoments::sd() const { return std::sqrt(variance()); }

double StreamingMoments::standard_error() const {
  if (n_ == 0) return 0.0;
  return sd() / std::sqrt(static_cast<double>(n_));
}

double t_critical_975(std::uint64_t df) {
  // t_{0.975, df} for df = 1..30, to 9 decimals (scipy.stats.t.ppf(0.975, df)).
  static constexpr std::array<double, 30> TABLE = {
      12.706204736, 4.302652730, 3.182446305, 2.776445105, 2.570581837, 2.446911849,
      2.364624251,  2.306004135, 2.262157163, 2.228138852, 2.200985160, 2.178812830,
      2.160368656,  2.144786688, 2.131449546, 2.119905299, 2.109815578, 2.100922040,
      2.093024054,  2.085963447, 2.079613845, 2.073873068, 2.068657610, 2.063898562,
      2.059538553,  2.055529439, 2.051830516, 2.048407142, 2.045229642, 2.042272456};
  if (df == 0) return std::numeric_limits<double>::infinity();
  if (df <= TABLE.size()) return TABLE[df - 1];
  // Cornish-Fisher expansion of the t quantile in powers of 1/df around the normal
  // quantile z (Abramowitz & Stegun 26.7.5); four terms leave an error below 3e-8 at
  // df = 31 that shrinks like df^-5.
  constexpr double z = 1.959963984540054;  // Phi^-1(0.975)
  constexpr double z2 = z * z;
  constexpr double z3 = z2 * z, z5 = z3 * z2, z7 = z5 * z2, z9 = z7 * z2;
  constexpr double g1 = (z3 + z) / 4.0;
  constexpr double g2 = (5.0 * z5 + 16.0 * z3 + 3.0 * z) / 96.0;
  constexpr double g3 = (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / 384.0;
  constexpr double g4 =
      (79.0 * z9 + 776.0 * z7 + 1482.0 * z5 - 1920.0 * z3 - 945.0 * z) / 92160.0;
  const double v = 1.0 / static_cast<double>(df);
  return z + v * (g1 + v * (g2 + v * (g3 + v * g4)));
}

double nearest_rank_quantile(std::vector<double> values, double q) {
  if (values.empty()) return std::nan("");
  const auto rank = static_cast<std::size_t>(std::max(1.0, std::ceil(q * static_cast<double>(values.size()))));
  const auto k = static_cast<std::ptrdiff_t>(std::min(rank, values.size()) - 1);
  std::nth_element(values.begin(), values.begin() + k, values.end());
  return values[static_cast<std::size_t>(k)];
}

}  // namespace campaign
