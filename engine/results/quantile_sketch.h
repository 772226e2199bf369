// A mergeable, order-independent quantile sketch with bounded relative error, so
// percentiles need memory that does not grow with the number of replications.
//
// Buckets are the top bits of the IEEE-754 representation (sign, exponent and the first
// 8 mantissa bits), as in HdrHistogram: a bucket spans a relative width of at most 2^-8.
// quantile(q) returns the nearest-rank value (the smallest x with at least ceil(q * n)
// observations <= x), up to that bucket's width: exactly for integer values below 512,
// otherwise within a relative error of 2^-9 (bucket midpoint), clamped to the exact
// observed [min, max]. A bucket stands for its lower bound while every value added to it
// equalled that bound (so integers below 512 come back exact), for its midpoint otherwise.
//
//   QuantileSketch s;  for (double x : xs) s.add(x);  double median = s.quantile(0.5);
#pragma once

#include <cstdint>
#include <vector>

namespace campaign {

class QuantileSketch {
 public:
  void add(double x);  // x must be finite
  void merge(const QuantileSketch& other);
  std::uint64_t count() const { return count_; }
  double quantile(double q) const;  // q in [0, 1]; NaN when empty
  double min() const { return min_; }
  double max() const { return max_; }
  // The state as 64-bit words, appended to `out` (a piece of a run in a shard's file):
  // decode() of them gives a sketch with the same quantiles, count, min and max.
  void encode(std::vector<std::uint64_t>& out) const;
  // From words written by encode(), starting at `at` (moved past them); std::invalid_argument
  // when they are not one.
  static QuantileSketch decode(const std::vector<std::uint64_t>& words, std::size_t& at);

 private:
  // One side (positive or negative magnitudes): counts for keys [first_key_, ...).
  struct Side {
    std::int64_t first_key = 0;
    std::vector<std::uint64_t> counts;
    std::vector<std::uint8_t> inexact;  // per key: 1 once a value off the bucket's lower bound
    void add(std::int64_t key);
    void mark_inexact(std::int64_t key);  // after add(key)
    void cover(std::int64_t lo, std::int64_t hi);  // grow to hold keys [lo, hi]
    void merge(const Side& other);
    std::uint64_t total() const;
  };
  Side positive_;
  Side negative_;  // keyed by |x|
  std::uint64_t zeros_ = 0;
  std::uint64_t count_ = 0;
  double min_ = 0.0;
  double max_ = 0.0;
};

}  // namespace campaign
