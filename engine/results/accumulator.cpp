// Per-cell streaming statistics: Welford moments for the mean, sd and confidence interval
// (per chunk of replications, chunks combined in order), a quantile sketch for the
// percentiles. Cells are fed in replication order by the runner, so every summary is a
// pure function of the replications, not of the thread count nor of how the run was cut
// into pieces at chunk boundaries.
#include "results/accumulator.h"

#include <cmath>
#include <stdexcept>

namespace campaign {

RunAccumulator::RunAccumulator(std::vector<std::string> metric_names, std::uint32_t steps)
    : names_(std::move(metric_names)),
      steps_(steps),
      cells_(names_.size() * (steps + std::size_t{1})),
      finals_(names_.size()) {}

StreamingMoments chunked_moments(std::span<const double> values) {
  StreamingMoments folded, current;
  for (std::size_t i = 0; i < values.size(); ++i) {
    current.add(values[i]);
    if ((i + 1) % CHUNK_REPLICATIONS == 0) {
      folded.merge(current);
      current = StreamingMoments();
    }
  }
  folded.merge(current);
  return folded;
}

RunAccumulator RunAccumulator::piece_from(std::vector<std::string> metric_names, std::uint32_t steps,
                                          std::uint64_t first) {
  if (first % CHUNK_REPLICATIONS != 0) {
    throw std::invalid_argument("RunAccumulator::piece_from: the first replication is not a chunk's first");
  }
  RunAccumulator piece(std::move(metric_names), steps);
  piece.first_ = first;
  piece.keeps_chunks_ = true;
  return piece;
}

void RunAccumulator::finish_chunk() {
  for (Cell& cell : cells_) {
    if (keeps_chunks_) {
      chunks_.push_back(cell.current);
    } else {
      cell.folded.merge(cell.current);
    }
    cell.current = StreamingMoments();
  }
}

StreamingMoments RunAccumulator::moments(std::size_t cell) const {
  StreamingMoments m = cells_[cell].folded;
  m.merge(cells_[cell].current);
  return m;
}

void RunAccumulator::absorb(const AccumulatorPiece& piece) {
  const std::size_t cells = cells_.size();
  if (keeps_chunks_ || piece.first != replications_ || replications_ % CHUNK_REPLICATIONS != 0 ||
      piece.sketches.size() != cells || piece.finals.size() != names_.size() ||
      piece.moments.size() != cells * ((piece.replications + CHUNK_REPLICATIONS - 1) / CHUNK_REPLICATIONS)) {
    throw std::invalid_argument("RunAccumulator::absorb: the piece does not continue this run");
  }
  for (const auto& column : piece.finals) {
    if (column.size() != piece.replications) throw std::invalid_argument("RunAccumulator::absorb: finals' length");
  }
  const std::size_t chunks = piece.chunks(cells);
  for (std::size_t c = 0; c < chunks; ++c) {
    const bool full = (c + 1) * CHUNK_REPLICATIONS <= piece.replications;
    for (std::size_t i = 0; i < cells; ++i) {
      const StreamingMoments& m = piece.moments[c * cells + i];
      if (full) {
        cells_[i].folded.merge(m);
      } else {
        cells_[i].current = m;  // the run's last chunk, not full: as add() leaves it
      }
    }
  }
  for (std::size_t i = 0; i < cells; ++i) cells_[i].quantiles.merge(piece.sketches[i]);
  for (std::size_t m = 0; m < names_.size(); ++m) {
    finals_[m].insert(finals_[m].end(), piece.finals[m].begin(), piece.finals[m].end());
  }
  replications_ += piece.replications;
}

AccumulatorPiece RunAccumulator::piece() const {
  if (!keeps_chunks_) throw std::logic_error("RunAccumulator::piece: a whole run's accumulator");
  AccumulatorPiece out;
  out.first = first_;
  out.replications = replications_;
  out.moments = chunks_;
  if (replications_ % CHUNK_REPLICATIONS != 0) {
    for (const Cell& cell : cells_) out.moments.push_back(cell.current);
  }
  for (const Cell& cell : cells_) out.sketches.push_back(cell.quantiles);
  out.finals = finals_;
  return out;
}

void RunAccumulator::add(const Trajectory& trajectory) {
  const std::size_t points = steps_ + std::size_t{1};
  if (trajectory.num_points() != points || trajectory.values().size() != names_.size() * points) {
    throw std::invalid_argument("RunAccumulator::add: trajectory shape does not match " +
                                std::to_string(names_.size()) + " metrics x " +
                                std::to_string(points) + " points");
  }
  const std::span<const double> values = trajectory.values();
  for (std::size_t i = 0; i < values.size(); ++i) {
    cells_[i].current.add(values[i]);
    cells_[i].quantiles.add(values[i]);
  }
  for (std::size_t m = 0; m < names_.size(); ++m) finals_[m].push_back(trajectory.at(m, steps_));
  ++replications_;
  if (replications_ % CHUNK_REPLICATIONS == 0) finish_chunk();
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
    const StreamingMoments moments = this->moments(metric * points + step);
    const double mean = moments.mean();
    const double half_width = n >= 2 ? t * moments.standard_error() : 0.0;
    s.mean[step] = mean;
    s.sd[step] = moments.sd();
    s.p05[step] = cell.quantiles.quantile(0.05);
    s.p50[step] = cell.quantiles.quantile(0.50);
    s.p95[step] = cell.quantiles.quantile(0.95);
    s.ci95_lo[step] = mean - half_width;
    s.ci95_hi[step] = mean + half_width;
  }
  return s;
}

double RunAccumulator::final_mean(std::size_t metric) const {
  if (metric >= names_.size()) throw std::out_of_range("RunAccumulator::final_mean: metric index");
  return moments(metric * (steps_ + std::size_t{1}) + steps_).mean();
}

double RunAccumulator::final_ci_half_width(std::size_t metric) const {
  if (metric >= names_.size()) throw std::out_of_range("RunAccumulator::final_ci_half_width: metric index");
  const StreamingMoments m = moments(metric * (steps_ + std::size_t{1}) + steps_);
  return replications_ >= 2 ? t_critical_975(replications_ - 1) * m.standard_error() : 0.0;
}

}  // namespace campaign
