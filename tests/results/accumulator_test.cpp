#include "results/accumulator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

#include "results/streaming_stats.h"

namespace campaign {
namespace {

double nearest_rank(std::vector<double> xs, double q) {
  std::sort(xs.begin(), xs.end());
  const auto rank = std::max<std::size_t>(
      1, static_cast<std::size_t>(std::ceil(q * static_cast<double>(xs.size()))));
  return xs[rank - 1];
}

// R replications of 3 metrics over 4 steps: continuous, integer and constant values.
std::vector<Trajectory> random_trajectories(std::uint64_t seed, std::size_t replications) {
  std::mt19937_64 gen(seed);
  std::normal_distribution<double> normal(1000.0, 30.0);
  std::uniform_int_distribution<int> counts(0, 700);
  std::vector<Trajectory> out;
  for (std::size_t r = 0; r < replications; ++r) {
    Trajectory t(3, 4);
    for (std::uint32_t s = 0; s <= 4; ++s) {
      t.at(0, s) = normal(gen);
      t.at(1, s) = counts(gen);
      t.at(2, s) = 5.0;
    }
    out.push_back(std::move(t));
  }
  return out;
}

void expect_same_bits(const RunAccumulator& a, const RunAccumulator& b) {
  ASSERT_EQ(a.replications(), b.replications());
  for (std::size_t m = 0; m < a.metric_names().size(); ++m) {
    const SeriesSummary x = a.series(m), y = b.series(m);
    for (std::size_t s = 0; s < x.mean.size(); ++s) {
      // EXPECT_EQ on doubles: bit for bit (no NaN here).
      EXPECT_EQ(x.mean[s], y.mean[s]) << m << " " << s;
      EXPECT_EQ(x.sd[s], y.sd[s]) << m << " " << s;
      EXPECT_EQ(x.p05[s], y.p05[s]);
      EXPECT_EQ(x.p50[s], y.p50[s]);
      EXPECT_EQ(x.p95[s], y.p95[s]);
      EXPECT_EQ(x.ci95_lo[s], y.ci95_lo[s]);
      EXPECT_EQ(x.ci95_hi[s], y.ci95_hi[s]);
    }
    EXPECT_EQ(a.finals(m), b.finals(m));
    EXPECT_EQ(a.final_mean(m), b.final_mean(m));
    EXPECT_EQ(a.final_ci_half_width(m), b.final_ci_half_width(m));
  }
}

// A run cut into pieces at chunk boundaries, wherever the cuts fall, is the run in one
// piece bit for bit (what shards and ranks rely on).
TEST(RunAccumulator, PiecesPutTogetherAreTheWholeRunBitForBit) {
  const std::uint64_t K = CHUNK_REPLICATIONS;
  const std::size_t R = 5 * K + 77;  // a last chunk that is not full
  const std::vector<Trajectory> all = random_trajectories(5, R);
  RunAccumulator whole({"a", "b", "c"}, 4);
  for (const Trajectory& t : all) whole.add(t);
  for (const std::vector<std::uint64_t>& cuts :
       std::vector<std::vector<std::uint64_t>>{{0, R}, {0, K, R}, {0, 2 * K, 3 * K, R}, {0, K, 2 * K, 3 * K, 4 * K, 5 * K, R}, {0, 5 * K, R}}) {
    RunAccumulator joined({"a", "b", "c"}, 4);
    for (std::size_t p = 0; p + 1 < cuts.size(); ++p) {
      RunAccumulator piece = RunAccumulator::piece_from({"a", "b", "c"}, 4, cuts[p]);
      for (std::uint64_t r = cuts[p]; r < cuts[p + 1]; ++r) piece.add(all[r]);
      const AccumulatorPiece state = piece.piece();
      EXPECT_EQ(state.first, cuts[p]);
      EXPECT_EQ(state.replications, cuts[p + 1] - cuts[p]);
      joined.absorb(state);
    }
    expect_same_bits(joined, whole);
  }
  // The chunked moments of a final column are the accumulator's.
  const StreamingMoments m = chunked_moments(whole.finals(0));
  EXPECT_EQ(m.mean(), whole.final_mean(0));
  // And they agree with the plain Welford pass to rounding.
  StreamingMoments plain;
  for (double x : whole.finals(0)) plain.add(x);
  EXPECT_NEAR(m.mean(), plain.mean(), 1e-12 * std::abs(plain.mean()));
  EXPECT_NEAR(m.sd(), plain.sd(), 1e-9 * plain.sd());
}

TEST(RunAccumulator, PiecesMustFollowEachOther) {
  const std::uint64_t K = CHUNK_REPLICATIONS;
  const std::vector<Trajectory> all = random_trajectories(6, 2 * K);
  RunAccumulator second = RunAccumulator::piece_from({"a", "b", "c"}, 4, K);
  for (std::uint64_t r = K; r < 2 * K; ++r) second.add(all[r]);
  RunAccumulator run({"a", "b", "c"}, 4);
  EXPECT_THROW(run.absorb(second.piece()), std::invalid_argument);  // replications 0..K missing
  EXPECT_THROW(RunAccumulator::piece_from({"a"}, 4, 3), std::invalid_argument);
  EXPECT_THROW(run.piece(), std::logic_error);
  RunAccumulator other_shape({"a", "b"}, 4);
  RunAccumulator first = RunAccumulator::piece_from({"a", "b", "c"}, 4, 0);
  for (std::uint64_t r = 0; r < K; ++r) first.add(all[r]);
  EXPECT_THROW(other_shape.absorb(first.piece()), std::invalid_argument);
}

TEST(RunAccumulator, KnownTrajectories) {
  // Two metrics, two steps, four replications with hand-picked integer values.
  const std::vector<std::vector<double>> a = {{1, 3, 6}, {2, 2, 9}, {0, 5, 5}, {1, 4, 8}};
  RunAccumulator acc({"a", "b"}, 2);
  for (std::size_t r = 0; r < a.size(); ++r) {
    Trajectory t(2, 2);
    for (std::uint32_t s = 0; s <= 2; ++s) {
      t.at(0, s) = a[r][s];
      t.at(1, s) = 10.0 * static_cast<double>(r);  // constant along the trajectory
    }
    acc.add(t);
  }
  EXPECT_EQ(acc.replications(), 4u);
  EXPECT_EQ(acc.steps(), 2u);
  EXPECT_EQ(acc.finals(0), (std::vector<double>{6, 9, 5, 8}));
  EXPECT_EQ(acc.finals(1), (std::vector<double>{0, 10, 20, 30}));

  const SeriesSummary s = acc.series(0);
  ASSERT_EQ(s.mean.size(), 3u);
  // Step 0: {1, 2, 0, 1}: mean 1, squared deviations 0+1+1+0 = 2, variance 2/3.
  EXPECT_DOUBLE_EQ(s.mean[0], 1.0);
  EXPECT_DOUBLE_EQ(s.sd[0], std::sqrt(2.0 / 3.0));
  // Step 2: {6, 9, 5, 8}: mean 7, squared deviations 1+4+4+1 = 10.
  EXPECT_DOUBLE_EQ(s.mean[2], 7.0);
  EXPECT_DOUBLE_EQ(s.sd[2], std::sqrt(10.0 / 3.0));
  const double half = 3.182446305 * std::sqrt(10.0 / 3.0) / 2.0;  // t_{0.975,3} sd / sqrt 4
  EXPECT_NEAR(s.ci95_lo[2], 7.0 - half, 1e-9);
  EXPECT_NEAR(s.ci95_hi[2], 7.0 + half, 1e-9);
  // Nearest rank over {5, 6, 8, 9}: p05 -> 1st, p50 -> 2nd, p95 -> 4th.
  EXPECT_EQ(s.p05[2], 5.0);
  EXPECT_EQ(s.p50[2], 6.0);
  EXPECT_EQ(s.p95[2], 9.0);

  const SeriesSummary b = acc.series(1);
  for (std::size_t step = 0; step < 3; ++step) {
    EXPECT_DOUBLE_EQ(b.mean[step], 15.0);
    EXPECT_EQ(b.p50[step], 10.0);
  }
  EXPECT_THROW(acc.series(2), std::out_of_range);
}

TEST(RunAccumulator, MatchesDirectComputation) {
  std::mt19937_64 gen(5);
  const std::uint32_t steps = 30;
  const std::size_t reps = 257;
  RunAccumulator acc({"x", "y", "z"}, steps);
  std::vector<Trajectory> all;
  for (std::size_t r = 0; r < reps; ++r) {
    Trajectory t(3, steps);
    for (std::size_t m = 0; m < 3; ++m) {
      for (std::uint32_t s = 0; s <= steps; ++s) t.at(m, s) = static_cast<double>(gen() % 500);
    }
    acc.add(t);
    all.push_back(t);
  }
  for (std::size_t m = 0; m < 3; ++m) {
    const SeriesSummary s = acc.series(m);
    for (std::uint32_t step = 0; step <= steps; ++step) {
      std::vector<double> column;
      StreamingMoments direct;
      for (const Trajectory& t : all) {
        column.push_back(t.at(m, step));
        direct.add(t.at(m, step));
      }
      EXPECT_EQ(s.mean[step], direct.mean());
      EXPECT_EQ(s.sd[step], direct.sd());
      EXPECT_EQ(s.p05[step], nearest_rank(column, 0.05));
      EXPECT_EQ(s.p50[step], nearest_rank(column, 0.50));
      EXPECT_EQ(s.p95[step], nearest_rank(column, 0.95));
      const double half = t_critical_975(reps - 1) * direct.sd() / std::sqrt(double(reps));
      // mean +- half, up to the rounding of that sum.
      EXPECT_NEAR(s.ci95_hi[step], s.mean[step] + half, 1e-12 * s.mean[step]);
      EXPECT_NEAR(s.ci95_lo[step], s.mean[step] - half, 1e-12 * s.mean[step]);
      EXPECT_LE(s.ci95_lo[step], s.mean[step]);
      EXPECT_GE(s.ci95_hi[step], s.mean[step]);
    }
    ASSERT_EQ(acc.finals(m).size(), reps);
    for (std::size_t r = 0; r < reps; ++r) EXPECT_EQ(acc.finals(m)[r], all[r].at(m, steps));
  }
}

TEST(RunAccumulator, SingleReplicationHasNoNaN) {
  RunAccumulator acc({"only"}, 3);
  Trajectory t(1, 3);
  for (std::uint32_t s = 0; s <= 3; ++s) t.at(0, s) = 2.5 * s;
  acc.add(t);
  const SeriesSummary s = acc.series(0);
  for (std::uint32_t step = 0; step <= 3; ++step) {
    EXPECT_EQ(s.mean[step], 2.5 * step);
    EXPECT_EQ(s.sd[step], 0.0);
    EXPECT_EQ(s.ci95_lo[step], s.mean[step]);
    EXPECT_EQ(s.ci95_hi[step], s.mean[step]);
    EXPECT_EQ(s.p05[step], s.mean[step]);
    EXPECT_EQ(s.p95[step], s.mean[step]);
  }
}

TEST(RunAccumulator, RejectsMismatchedTrajectory) {
  RunAccumulator acc({"a", "b"}, 4);
  EXPECT_THROW(acc.add(Trajectory(2, 5)), std::invalid_argument);
  EXPECT_THROW(acc.add(Trajectory(3, 4)), std::invalid_argument);
  EXPECT_EQ(acc.replications(), 0u);
  acc.add(Trajectory(2, 4));
  EXPECT_EQ(acc.replications(), 1u);
}

}  // namespace
}  // namespace campaign
