#include "experiment/comparison.h"

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "core/error.h"
#include "core/text.h"
#include "results/streaming_stats.h"
#include "rng/philox.h"

namespace campaign {
namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

bool defined(double x) { return std::isfinite(x); }

// Half-width of a 95% t interval of a mean, NaN below two values.
double half_width(const StreamingMoments& m) {
  return m.count() >= 2 ? t_critical_975(m.count() - 1) * m.standard_error() : NaN;
}

// Is a better than b (strictly), in the metric's direction?
bool beats(Better better, double a, double b) { return better == Better::higher ? a > b : a < b; }

// The worst 5% of a sample: the value at the bad tail and the mean beyond it (CVaR).
void tail_risk(std::vector<double> values, Better better, VariantFigures& f) {
  if (values.empty()) {
    f.tail05 = f.cvar05 = NaN;
    return;
  }
  // The tail's value: the nearest-rank 5% quantile, or the 95% where lower is better.
  f.tail05 = nearest_rank_quantile(values, better == Better::lower ? 0.95 : 0.05);
  std::sort(values.begin(), values.end());
  if (better == Better::lower) std::reverse(values.begin(), values.end());  // worst first
  // CVaR: the mean of the worst ceil(0.05 n) values.
  const auto k = static_cast<std::size_t>(std::max(1.0, std::ceil(0.05 * static_cast<double>(values.size()))));
  double sum = 0;
  for (std::size_t i = 0; i < k; ++i) sum += values[i];
  f.cvar05 = sum / static_cast<double>(k);
}

// Mean, CI, ratio of means, risk of one variant's values of one metric.
VariantFigures describe(const ComparisonInput& in, std::size_t m, std::size_t v) {
  const CompareMetric& metric = in.metrics[m];
  const std::vector<double>& x = in.values[m][v];
  VariantFigures f;
  StreamingMoments moments;
  std::vector<double> kept;
  std::uint64_t negative = 0;
  for (double value : x) {
    if (!defined(value)) continue;
    moments.add(value);
    kept.push_back(value);
    negative += value < 0;
  }
  f.n = moments.count();
  f.mean = f.n ? moments.mean() : NaN;
  f.sd = f.n >= 2 ? moments.sd() : NaN;
  const double half = half_width(moments);
  f.ci_lo = f.mean - half;
  f.ci_hi = f.mean + half;
  f.p_negative = metric.money && metric.better == Better::higher && f.n
                     ? static_cast<double>(negative) / static_cast<double>(f.n)
                     : NaN;
  tail_risk(std::move(kept), metric.better, f);
  f.ratio_of_means = f.rom_ci_lo = f.rom_ci_hi = NaN;
  if (metric.numerator >= 0 && metric.denominator >= 0) {
    const Interval rom = ratio_of_means(in.values[static_cast<std::size_t>(metric.numerator)][v],
                                        in.values[static_cast<std::size_t>(metric.denominator)][v]);
    f.ratio_of_means = rom.estimate;
    f.rom_ci_lo = rom.lo;
    f.rom_ci_hi = rom.hi;
  }
  return f;
}

// The difference to the baseline: paired replication by replication, or Welch's.
void against_baseline(const ComparisonInput& in, std::size_t m, std::size_t v, VariantFigures& f,
                      const VariantFigures& base) {
  const std::vector<double>& x = in.values[m][v];
  const std::vector<double>& b = in.values[m][in.baseline];
  f.correlation = f.crn_factor = NaN;
  f.relative_diff = NaN;
  if (in.paired) {
    StreamingMoments d, mx, mb;
    std::vector<std::pair<double, double>> pairs;
    for (std::size_t r = 0; r < x.size(); ++r) {
      if (defined(x[r]) && defined(b[r])) pairs.emplace_back(x[r], b[r]);
    }
    for (const auto& [a, c] : pairs) {
      d.add(a - c);
      mx.add(a);
      mb.add(c);
    }
    f.diff = d.count() ? d.mean() : NaN;
    const double half = half_width(d);
    f.diff_ci_lo = f.diff - half;
    f.diff_ci_hi = f.diff + half;
    if (v != in.baseline && pairs.size() >= 2) {
      double cov = 0;
      for (const auto& [a, c] : pairs) cov += (a - mx.mean()) * (c - mb.mean());
      cov /= static_cast<double>(pairs.size() - 1);
      const double sx = mx.sd(), sb = mb.sd();
      f.correlation = sx > 0 && sb > 0 ? cov / (sx * sb) : NaN;
      const double independent = mx.variance() + mb.variance();
      const double paired = d.variance();
      f.crn_factor = independent == 0 ? NaN
                     : paired == 0    ? std::numeric_limits<double>::infinity()
                                      : independent / paired;
    }
  } else {
    f.diff = f.mean - base.mean;
    if (v == in.baseline) {
      f.diff_ci_lo = f.diff_ci_hi = 0;
    } else if (f.n >= 2 && base.n >= 2) {
      const double vx = f.sd * f.sd / static_cast<double>(f.n), vb = base.sd * base.sd / static_cast<double>(base.n);
      const double se = std::sqrt(vx + vb);
      // Welch-Satterthwaite degrees of freedom, rounded down (a wider interval).
      const double df = (vx + vb) * (vx + vb) /
                        (vx * vx / static_cast<double>(f.n - 1) + vb * vb / static_cast<double>(base.n - 1));
      const double t = t_critical_975(std::isfinite(df) ? std::max<std::uint64_t>(1, static_cast<std::uint64_t>(df))
                                                         : f.n + base.n - 2);
      f.diff_ci_lo = f.diff - t * se;
      f.diff_ci_hi = f.diff + t * se;
    } else {
      f.diff_ci_lo = f.diff_ci_hi = NaN;
    }
  }
  if (std::isfinite(base.mean) && base.mean != 0) f.relative_diff = f.diff / std::abs(base.mean);
}

// P(best) from paired bootstrap resamples of the replications where every variant is
// defined (independent streams: each variant resampled on its own draws).
std::vector<double> probability_of_best(const ComparisonInput& in, std::size_t m,
                                        const std::vector<std::size_t>& rows) {
  const std::size_t variants = in.variants.size();
  const Better better = in.metrics[m].better;
  const std::uint64_t resamples = in.bootstrap_resamples;
  std::vector<double> share(variants, NaN);
  if (better == Better::neither || rows.empty() || resamples == 0) return share;
  const auto ranked = [&](std::size_t v) { return in.eligible.empty() || in.eligible[v]; };
  bool any = false;
  for (std::size_t v = 0; v < variants; ++v) any = any || ranked(v);
  if (!any) return share;
  const CounterRng rng(in.bootstrap_seed);
  const std::size_t n = rows.size();
  // One winner set per resample, filled in parallel, counted in order: the same result
  // at any thread count.
  std::vector<std::vector<std::uint32_t>> winners(resamples);
  tbb::parallel_for(std::uint64_t{0}, resamples, [&](std::uint64_t b) {
    std::vector<double> sums(variants, 0.0);
    for (std::size_t v = 0; v < variants; ++v) {
      const std::vector<double>& x = in.values[m][v];
      const std::uint32_t lane = in.paired ? 0u : static_cast<std::uint32_t>(v);
      for (std::size_t j = 0; j < n; ++j) {
        const std::uint64_t bits = rng.u64(Stream::bootstrap, static_cast<std::uint32_t>(b),
                                           static_cast<std::uint32_t>(j), static_cast<std::uint32_t>(j >> 32), lane);
        sums[v] += x[rows[CounterRng::below(bits, n)]];
      }
    }
    std::vector<std::uint32_t>& best = winners[b];
    for (std::size_t v = 0; v < variants; ++v) {
      if (!ranked(v)) continue;
      if (best.empty() || beats(better, sums[v], sums[best.front()])) {
        best.assign(1, static_cast<std::uint32_t>(v));
      } else if (sums[v] == sums[best.front()]) {
        best.push_back(static_cast<std::uint32_t>(v));
      }
    }
  });
  // Counted by the size of the tie, divided once at the end: k-way ties of every
  // resample give exactly 1/k.
  std::vector<std::vector<std::uint64_t>> by_tie(variants, std::vector<std::uint64_t>(variants + 1, 0));
  for (const std::vector<std::uint32_t>& best : winners) {
    for (std::uint32_t v : best) ++by_tie[v][best.size()];
  }
  for (std::size_t v = 0; v < variants; ++v) {
    if (!ranked(v)) continue;
    double s = 0;
    for (std::size_t k = 1; k <= variants; ++k) {
      s += static_cast<double>(by_tie[v][k]) / static_cast<double>(k * resamples);
    }
    share[v] = s;
  }
  return share;
}

}  // namespace

Interval mean_interval(const std::vector<double>& values) {
  StreamingMoments moments;
  for (double x : values) {
    if (defined(x)) moments.add(x);
  }
  Interval i;
  i.n = moments.count();
  i.estimate = i.n ? moments.mean() : NaN;
  const double half = half_width(moments);
  i.lo = i.estimate - half;
  i.hi = i.estimate + half;
  return i;
}

Interval ratio_of_means(const std::vector<double>& num, const std::vector<double>& den) {
  StreamingMoments mx, my;
  std::vector<std::pair<double, double>> pairs;
  for (std::size_t r = 0; r < std::min(num.size(), den.size()); ++r) {
    if (defined(num[r]) && defined(den[r])) pairs.emplace_back(num[r], den[r]);
  }
  for (const auto& [a, b] : pairs) {
    mx.add(a);
    my.add(b);
  }
  Interval i{pairs.size(), NaN, NaN, NaN};
  if (pairs.empty() || my.mean() == 0) return i;
  i.estimate = mx.mean() / my.mean();
  if (pairs.size() < 2) return i;
  const auto n = static_cast<double>(pairs.size());
  double cov = 0;
  for (const auto& [a, b] : pairs) cov += (a - mx.mean()) * (b - my.mean());
  cov /= n - 1;
  const double ratio = i.estimate;
  const double var =
      (mx.variance() - 2 * ratio * cov + ratio * ratio * my.variance()) / (n * my.mean() * my.mean());
  const double h = t_critical_975(pairs.size() - 1) * std::sqrt(std::max(0.0, var));
  i.lo = ratio - h;
  i.hi = ratio + h;
  return i;
}

Constraint parse_constraint(const std::string& text) {
  Constraint c;
  c.text = text;
  const auto fail = [&] {
    return InputError(fmt::format("--constraint {}: expected METRIC<=VALUE@LEVEL (or <, >=, >), e.g. "
                                  "cac<=60@0.9: cac at most 60 in at least 90% of the replications",
                                  excerpt(text, 60)));
  };
  const std::size_t op = text.find_first_of("<>");
  const std::size_t at = text.rfind('@');
  if (op == std::string::npos || op == 0 || at == std::string::npos || at < op) throw fail();
  c.metric = text.substr(0, op);
  std::size_t value = op + 1;
  const bool equal = value < text.size() && text[value] == '=';
  if (equal) ++value;
  c.op = text[op] == '<' ? (equal ? Constraint::Op::le : Constraint::Op::lt)
                         : (equal ? Constraint::Op::ge : Constraint::Op::gt);
  const auto number = [&](const std::string& part, double& out) {
    const char* first = part.data();
    const auto [end, ec] = std::from_chars(first, first + part.size(), out);
    return ec == std::errc() && end == first + part.size() && std::isfinite(out);
  };
  if (!number(text.substr(value, at - value), c.bound) || !number(text.substr(at + 1), c.level)) throw fail();
  if (!(c.level > 0 && c.level <= 1)) {
    throw InputError(fmt::format("--constraint {}: the level must be in (0, 1]", excerpt(text, 60)));
  }
  return c;
}

ConstraintShare constraint_share(const Constraint& c, const std::vector<double>& values) {
  ConstraintShare out;
  std::uint64_t met = 0;
  for (double x : values) {
    if (!defined(x)) continue;
    switch (c.op) {
      case Constraint::Op::le: met += x <= c.bound; break;
      case Constraint::Op::lt: met += x < c.bound; break;
      case Constraint::Op::ge: met += x >= c.bound; break;
      case Constraint::Op::gt: met += x > c.bound; break;
    }
  }
  const auto n = static_cast<double>(values.size());
  if (values.empty()) return out;
  const double p = static_cast<double>(met) / n;
  // Wilson's score interval, z = 1.959964.
  const double z = 1.959964, z2 = z * z;
  const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = z / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  out.share = p;
  out.ci_lo = std::max(0.0, centre - half);
  out.ci_hi = std::min(1.0, centre + half);
  out.meets = p >= c.level;
  return out;
}

Comparison compare_variants(const ComparisonInput& in) {
  const std::size_t variants = in.variants.size();
  if (variants == 0 || in.baseline >= variants || in.values.size() != in.metrics.size()) {
    throw std::invalid_argument("compare_variants: inconsistent input");
  }
  Comparison out;
  for (std::size_t m = 0; m < in.metrics.size(); ++m) {
    if (in.values[m].size() != variants) throw std::invalid_argument("compare_variants: values per variant");
    const std::size_t replications = in.values[m].front().size();
    for (const auto& x : in.values[m]) {
      if (x.size() != replications) throw std::invalid_argument("compare_variants: replications differ");
    }
    MetricComparison mc;
    for (std::size_t v = 0; v < variants; ++v) mc.variants.push_back(describe(in, m, v));
    const VariantFigures base = mc.variants[in.baseline];
    for (std::size_t v = 0; v < variants; ++v) against_baseline(in, m, v, mc.variants[v], base);
    // Rows where every variant is defined: the win rates' and the bootstrap's sample.
    std::vector<std::size_t> rows;
    for (std::size_t r = 0; r < replications; ++r) {
      bool all = true;
      for (std::size_t v = 0; v < variants && all; ++v) all = defined(in.values[m][v][r]);
      if (all) rows.push_back(r);
    }
    mc.paired_replications = rows.size();
    const Better better = in.metrics[m].better;
    mc.wins.assign(variants, std::vector<std::uint64_t>(variants, 0));
    mc.ties = mc.wins;
    if (better != Better::neither) {
      for (std::size_t r : rows) {
        for (std::size_t v = 0; v < variants; ++v) {
          for (std::size_t w = 0; w < variants; ++w) {
            if (v == w) continue;
            const double a = in.values[m][v][r], b = in.values[m][w][r];
            mc.wins[v][w] += beats(better, a, b);
            mc.ties[v][w] += a == b;
          }
        }
      }
    }
    const std::vector<double> best = probability_of_best(in, m, rows);
    for (std::size_t v = 0; v < variants; ++v) mc.variants[v].p_best = best[v];
    out.metrics.push_back(std::move(mc));
  }
  return out;
}

}  // namespace campaign
