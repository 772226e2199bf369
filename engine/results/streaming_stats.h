// Streaming moments (Welford 1962; Chan et al. 1979 for merging). Fed in replication
// order by the runner, so the floating-point result is the same at any thread count.
#pragma once

#include <cstdint>
#include <vector>

namespace campaign {

class StreamingMoments {
 public:
  void add(double x);
  // Combines two disjoint samples (Chan et al.); merging in a fixed order gives a fixed result.
  void merge(const StreamingMoments& other);
  std::uint64_t count() const { return n_; }
  double mean() const { return mean_; }
  double m2() const { return m2_; }  // the sum of squared deviations from the mean
  // A state as count(), mean() and m2() gave it (a piece of a run read back).
  static StreamingMoments from_state(std::uint64_t n, double mean, double m2) {
    StreamingMoments m;
    m.n_ = n;
    m.mean_ = mean;
    m.m2_ = m2;
    return m;
  }
  double variance() const;  // unbiased sample variance (n - 1); 0 for n < 2
  double sd() const;
  double standard_error() const;  // sd / sqrt(n)

 private:
  std::uint64_t n_ = 0;
  double mean_ = 0.0;
  double m2_ = 0.0;
};

// Two-sided 95% Student-t critical value t_{0.975, df}: tabulated for df <= 30, a
// Cornish-Fisher expansion beyond (error < 1e-5 there). df = 0 gives infinity.
double t_critical_975(std::uint64_t df);

// The nearest-rank quantile, as the quantile sketch defines it: the smallest value with
// at least ceil(q n) values at or below it. NaN for an empty sample.
double nearest_rank_quantile(std::vector<double> values, double q);

}  // namespace campaign
