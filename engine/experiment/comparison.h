// Comparing variants on their per-replication finals (`campaign-sim compare`,
// docs/compare.md). Under common random numbers replication r of every variant draws the
// same coins for the same person, arc and step, so the variants' finals are paired by
// replication, and differences are measured replication by replication:
//
//   - per variant: mean and 95% CI (Student t); for a ratio (cac, roi, ...) also the
//     ratio of the means of its numerator and denominator, with a delta-method CI;
//   - against the baseline: the paired difference of means with its 95% CI (Welch's
//     interval when the variants ran on independent streams), and the relative
//     difference;
//   - the share of replications in which each variant beats each other one (ties apart);
//   - P(best): the share of paired bootstrap resamples (replications drawn with
//     replacement, the same draws for every variant) in which a variant has the best
//     mean, a tie split evenly among the tied;
//   - risk: the value at the bad 5% tail (the 5% quantile where higher is better, the
//     95% where lower is), CVaR 5% (the mean of the worst ceil(5% n) replications) and,
//     for money where higher is better, P(value < 0);
//   - common random numbers' worth: var(x - b) against var(x) + var(b), the factor by
//     which independent streams would need more replications for the same CI width.
//
// Everything is a pure function of the finals and the bootstrap seed: the same finals
// give the same figures at any thread count.
#pragma once

#include <cstdint>
#include <string>
#include <string>
#include <vector>

#include "model/metrics.h"

namespace campaign {

struct CompareMetric {
  std::string name, unit;
  Better better = Better::neither;
  bool money = false;
  // A ratio's numerator and denominator: indices into ComparisonInput::metrics (which
  // then holds them), or -1.
  int numerator = -1, denominator = -1;
};

struct ComparisonInput {
  std::vector<std::string> variants;  // names, in order
  std::size_t baseline = 0;
  std::vector<CompareMetric> metrics;
  // values[m][v][r]: metric m of variant v in replication r; NaN where undefined (a
  // ratio whose denominator is 0). Every variant has the same replications.
  std::vector<std::vector<std::vector<double>>> values;
  bool paired = true;  // common random numbers; false: independent streams
  // Variants P(best) ranks (those meeting the constraints); empty: all. The others get NaN.
  std::vector<bool> eligible;
  std::uint64_t bootstrap_resamples = 4000;
  std::uint64_t bootstrap_seed = 1;
};

struct VariantFigures {
  std::uint64_t n = 0;  // replications where the value is defined
  double mean = 0, sd = 0, ci_lo = 0, ci_hi = 0;
  double ratio_of_means = 0, rom_ci_lo = 0, rom_ci_hi = 0;  // ratios only (NaN otherwise)
  double diff = 0, diff_ci_lo = 0, diff_ci_hi = 0, relative_diff = 0;  // against the baseline
  double tail05 = 0, cvar05 = 0;
  double p_negative = 0;  // money where higher is better (NaN otherwise)
  double p_best = 0;      // NaN for a metric that is not a goal
  double correlation = 0;    // with the baseline, replication by replication
  double crn_factor = 0;     // (var x + var b) / var(x - b); NaN when unpaired
};

struct MetricComparison {
  std::vector<VariantFigures> variants;
  // wins[v][w], ties[v][w]: replications in which v is better than w, or equal.
  std::vector<std::vector<std::uint64_t>> wins, ties;
  std::uint64_t paired_replications = 0;  // replications where every variant is defined
};

struct Comparison {
  std::vector<MetricComparison> metrics;  // as ComparisonInput::metrics
};

Comparison compare_variants(const ComparisonInput& input);

// A mean and its 95% Student-t interval over the defined (finite) values; NaN bounds
// below two values.
struct Interval {
  std::uint64_t n = 0;
  double estimate = 0, lo = 0, hi = 0;
};
Interval mean_interval(const std::vector<double>& values);
// mean(num) / mean(den) over the replications where both are defined, with a
// delta-method 95% interval: var(R) ~ (var x - 2 R cov + R^2 var y) / (n my^2). NaN where
// mean(den) is 0.
Interval ratio_of_means(const std::vector<double>& num, const std::vector<double>& den);

// A chance constraint, "cac<=60@0.9": the share of replications in which the metric
// satisfies the bound must be at least `level`.
struct Constraint {
  std::string text;  // as given
  std::string metric;
  enum class Op { le, lt, ge, gt } op = Op::le;
  double bound = 0, level = 0;
};
Constraint parse_constraint(const std::string& text);  // InputError naming the form

struct ConstraintShare {
  double share = 0, ci_lo = 0, ci_hi = 0;  // Wilson 95% interval
  bool meets = false;                      // share >= level
};
// Over all replications; a replication where the metric is undefined (NaN) does not
// satisfy the bound.
ConstraintShare constraint_share(const Constraint& c, const std::vector<double>& values);

}  // namespace campaign
