// Per-cell streaming statistics: Welford moments for the mean, sd and confidence interval,
// a quantile sketch for the percentiles. Cells are fed in replication order by the runner,
// so every summary is a pure function of the replications, not of the thread count.
#include "results/accumulator.h"

#include <cmath>
#include <stdexcept>

namespace campaign {

RunAccumulator::RunAccumulator(std::vector<std::string> metric_names, std::uint32_t steps)
    : names_(std::move(metric_names)),
      steps_(steps),
      cells_(names_.size() * (steps + std::size_t{1})),
      finals_(names_.size()) {}

void RunAccumulator::add(const Trajectory& trajectory) {
  const std::size_t points = steps_ + std::size_t{1};
  if (trajectory.num_points() != points || trajectory.values().size() != names_.size() * points) {
    throw std::invalid_argument("RunAccumulator::add: trajectory shape does not match " +
                                std::to_string(names_.size()) + " metrics x " +
                                std::to_string(points) + " points");
  }
  const std::span<const double> values = trajectory.values();
  for (std::size_t i = 0; i < values.size(); ++i) {
    cells_[i].moments.add(values[i]);
    cells_[i].quantiles.add(values[i]);
  }
  for (std::size_t m = 0; m < names_.size(); ++m) finals_[m].push_back(trajectory.at(m, steps_));
  ++replications_;
}

SeriesSummary RunAccumulator::series(std::size_t metric) const {
  if (metric >= names_.size()) throw std::out_of_range("RunAccumulator::series: metric index");
  const std::size_t points = steps_ + std::size_t{1};
  SeriesSummary s;
  for (auto* v : {&s.mean, &s.sd, &s.p05, &s.p50, &s.p95, &s.ci95_lo, &s.ci95_hi}) {
    v->resize(points);
  }
  // Student t with n - 1 degrees of freedom; with fewer than two replications there is no
  // spread to speak of, and the interval collapses to the mean rather than being NaN or
  // infinite (t_{0.975,0} is infinite and 0 * inf would be NaN).
  const std::uint64_t n = replications_;
  const double t = n >= 2 ? t_critical_975(n - 1) : 0.0;
  for (std::size_t step = 0; step < points; ++step) {
    const Cell& cell = cells_[metric * points + step];
    const double mean = cell.moments.mean();
    const double half_width = n >= 2 ? t * cell.moments.standard_error() : 0.0;
    s.mean[step] = mean;
    s.sd[step] = cell.moments.sd();
    s.p05[step] = cell.quantiles.quantile(0.05);
    s.p50[step] = cell.quantiles.quantile(0.50);
    s.p95[step] = cell.quantiles.quantile(0.95);
    s.ci95_lo[step] = mean - half_width;
    s.ci95_hi[step] = mean + half_width;
  }
  return s;
}

double RunAccumulator::final_mean(std::size_t metric) const {
  return cells_.at(metric * (steps_ + std::size_t{1}) + steps_).moments.mean();
}

double RunAccumulator::final_ci_half_width(std::size_t metric) const {
  const StreamingMoments& m = cells_.at(metric * (steps_ + std::size_t{1}) + steps_).moments;
  return replications_ >= 2 ? t_critical_975(replications_ - 1) * m.standard_error() : 0.0;
}

}  // namespace campaign
