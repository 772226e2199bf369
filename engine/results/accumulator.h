// Collects replications' trajectories into per-step statistics. Memory is
// O(metrics x steps) for the series plus one final value per replication and metric;
// it does not keep trajectories. The runner feeds replications in replication order.
//
// The moments are kept per chunk of CHUNK_REPLICATIONS replications (Welford within a
// chunk) and the chunks are combined in chunk order (Chan et al.), so a run cut into
// pieces at chunk boundaries, run on several machines (shards, MPI ranks) and put
// together again (absorb) gives the same bits as the run in one piece. The quantile
// sketches merge exactly in any order; the finals are concatenated.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "results/quantile_sketch.h"
#include "results/streaming_stats.h"

namespace campaign {

// One replication's record: value of metric m after step t at [m * (steps + 1) + t];
// t = 0 is the state after seeding, before the first step.
class Trajectory {
 public:
  Trajectory(std::size_t num_metrics, std::uint32_t steps)
      : num_points_(steps + std::size_t{1}), values_(num_metrics * num_points_, 0.0) {}
  double& at(std::size_t metric, std::uint32_t step) { return values_[metric * num_points_ + step]; }
  double at(std::size_t metric, std::uint32_t step) const {
    return values_[metric * num_points_ + step];
  }
  std::span<const double> metric(std::size_t m) const {
    return {values_.data() + m * num_points_, num_points_};
  }
  std::size_t num_points() const { return num_points_; }
  std::span<const double> values() const { return values_; }
  void fill(double v) { std::fill(values_.begin(), values_.end(), v); }

 private:
  std::size_t num_points_;
  std::vector<double> values_;
};

// Per-step summary of one metric; every vector has steps + 1 entries.
struct SeriesSummary {
  std::vector<double> mean, sd, p05, p50, p95, ci95_lo, ci95_hi;
};

// A per-replication value computed from a replication's finals after the run (e.g. cost
// of acquisition = cost / customers); NaN where it is undefined (zero denominator).
struct DerivedFinal {
  std::string name;
  std::vector<double> values;  // one per replication
};

inline constexpr std::uint64_t CHUNK_REPLICATIONS = 256;

// A share of a run: replications [first, first + replications), `first` a multiple of
// CHUNK_REPLICATIONS, as a shard keeps it until the pieces are put together.
struct AccumulatorPiece {
  std::uint64_t first = 0, replications = 0;
  std::vector<StreamingMoments> moments;    // [chunk][cell], cell = metric * (steps + 1) + step
  std::vector<QuantileSketch> sketches;     // [cell], over the piece's replications
  std::vector<std::vector<double>> finals;  // [metric][replication]
  std::size_t chunks(std::size_t cells) const { return cells == 0 ? 0 : moments.size() / cells; }
};

// The moments of `values` as a RunAccumulator combines a cell's replications (chunk by
// chunk): the same bits as its final_mean() and final_ci_half_width() read.
StreamingMoments chunked_moments(std::span<const double> values);

class RunAccumulator {
 public:
  RunAccumulator(std::vector<std::string> metric_names, std::uint32_t steps);
  // A piece from replication `first` (a multiple of CHUNK_REPLICATIONS): it keeps each
  // chunk's moments for piece().
  static RunAccumulator piece_from(std::vector<std::string> metric_names, std::uint32_t steps,
                                   std::uint64_t first);

  void add(const Trajectory& trajectory);
  // The next replications, from a piece (std::invalid_argument unless it starts where this
  // accumulator's replications end, at a chunk boundary, with its shape).
  void absorb(const AccumulatorPiece& piece);
  // What a piece_from() accumulator holds (std::logic_error for a whole run's).
  AccumulatorPiece piece() const;
  std::uint64_t first_replication() const { return first_; }

  const std::vector<std::string>& metric_names() const { return names_; }
  std::uint32_t steps() const { return steps_; }
  std::uint64_t replications() const { return replications_; }
  SeriesSummary series(std::size_t metric) const;
  // Final (last step) value of each replication, in replication order.
  const std::vector<double>& finals(std::size_t metric) const { return finals_[metric]; }
  // The final step's mean and 95% CI half-width, as series() gives them.
  double final_mean(std::size_t metric) const;
  double final_ci_half_width(std::size_t metric) const;

 private:
  struct Cell {
    StreamingMoments folded;   // the finished chunks, combined in order (a whole run's)
    StreamingMoments current;  // the chunk being filled
    QuantileSketch quantiles;
  };
  StreamingMoments moments(std::size_t cell) const;
  void finish_chunk();
  std::vector<std::string> names_;
  std::uint32_t steps_;
  std::uint64_t first_ = 0;
  bool keeps_chunks_ = false;
  std::uint64_t replications_ = 0;
  std::vector<Cell> cells_;  // [metric][step]
  std::vector<StreamingMoments> chunks_;  // a piece's finished chunks, [chunk][cell]
  std::vector<std::vector<double>> finals_;
};

}  // namespace campaign
