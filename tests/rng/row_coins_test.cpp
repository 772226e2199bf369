#include "rng/row_coins.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <numeric>

namespace campaign {
namespace {

std::vector<NodeId> iota_row(std::uint32_t degree) {
  std::vector<NodeId> row(degree);
  std::iota(row.begin(), row.end(), NodeId{1000});
  return row;
}

// The bit-sliced comparison decides exactly U_j < threshold, U_j read bit by bit from
// its planes (contact_uniforms), for every row width (one chunk, several, a short last
// one) and thresholds with long runs of equal bits.
TEST(RowCoins, ReachesExactlyTheContactsWhoseUniformIsBelowTheThreshold) {
  const CounterRng rng(77);
  for (double p : {0.0, 1e-9, 0.025, 0.1, 0.5, 0.75, 0.999999, 1.0}) {
    const Coin coin(p);
    const RowCoins coins(rng, Stream::transmission, coin);
    for (std::uint32_t degree : {1u, 2u, 3u, 20u, 42u, 43u, 63u, 64u, 65u, 127u, 200u}) {
      const auto row = iota_row(degree);
      for (Replication r = 0; r < 4; ++r) {
        for (NodeId u : {0u, 9u, 4000000000u}) {
          const auto uniform = contact_uniforms(rng, Stream::transmission, r, u, 3, degree);
          std::vector<NodeId> expected, reached;
          for (std::uint32_t j = 0; j < degree; ++j) {
            if (coin(uniform[j])) expected.push_back(row[j]);
          }
          coins.talk(r, u, 3, row, [&](NodeId v) { reached.push_back(v); });
          ASSERT_EQ(reached, expected)
              << "p " << p << " degree " << degree << " r " << r << " u " << u;
        }
      }
    }
  }
}

// Each contact is reached with probability p, independently of its neighbour in the row:
// over n contacts, |share - p| <= 4 sqrt(p(1-p)/n), and the same for pairs (p^2).
// A talk given its first block from PhiloxLanes (as the kernels do, 32 talks at a time)
// reaches the same contacts as one that draws its blocks itself, whether the row needs
// one block, several, or several chunks; and so does a talk decided in two parts (the
// first chunk from the row's length, then the rest), as the campaign's word of mouth
// decides its talks ahead.
TEST(RowCoins, FirstBlockFromLanesGivesTheSameTalk) {
  const CounterRng rng(20261123);
  for (double p : {0.01, 0.1, 0.5}) {
    const RowCoins coins(rng, Stream::advocacy, Coin(p));
    for (std::uint32_t degree : {1u, 20u, 64u, 65u, 300u}) {
      const auto row = iota_row(degree);
      PhiloxLanes lanes;
      for (std::size_t lane = 0; lane < PhiloxLanes::width; ++lane) {
        coins.set_first_counter(lanes, lane, 7, static_cast<NodeId>(lane * 1000003u), 2 | 5u << 20);
      }
      lanes.run(rng);
      for (std::size_t lane = 0; lane < PhiloxLanes::width; ++lane) {
        const auto u = static_cast<NodeId>(lane * 1000003u);
        std::vector<NodeId> alone, given;
        coins.talk(7, u, 2 | 5u << 20, row, [&](NodeId v) { alone.push_back(v); });
        coins.talk(7, u, 2 | 5u << 20, row, lanes.block(lane), [&](NodeId v) { given.push_back(v); });
        ASSERT_EQ(given, alone) << "p " << p << " degree " << degree << " lane " << lane;
        std::vector<NodeId> split;
        for (std::uint64_t open = coins.first_chunk(7, u, 2 | 5u << 20, degree, lanes.block(lane));
             open != 0; open &= open - 1) {
          split.push_back(row[static_cast<std::size_t>(std::countr_zero(open))]);
        }
        coins.rest(7, u, 2 | 5u << 20, row, [&](NodeId v) { split.push_back(v); });
        ASSERT_EQ(split, alone) << "p " << p << " degree " << degree << " lane " << lane;
      }
    }
    EXPECT_EQ(coins.first_chunk(7, 1, 0, 0, CounterRng::Block{}), 0u);  // an empty row
  }
}

TEST(RowCoins, ContactsAreIndependentBernoulliCoins) {
  const CounterRng rng(5);
  const double p = 0.1;
  const RowCoins coins(rng, Stream::transmission, Coin(p));
  const std::uint32_t degree = 20;
  const auto row = iota_row(degree);
  std::vector<double> reached(degree, 0);
  double pairs = 0;
  const int talks = 40000;
  for (int i = 0; i < talks; ++i) {
    std::vector<bool> open(degree, false);
    coins.talk(0, static_cast<NodeId>(i), 0, row, [&](NodeId v) { open[v - row[0]] = true; });
    for (std::uint32_t j = 0; j < degree; ++j) reached[j] += open[j];
    for (std::uint32_t j = 0; j + 1 < degree; ++j) pairs += open[j] && open[j + 1];
  }
  for (std::uint32_t j = 0; j < degree; ++j) {
    EXPECT_NEAR(reached[j] / talks, p, 4 * std::sqrt(p * (1 - p) / talks)) << "contact " << j;
  }
  const double n_pairs = static_cast<double>(talks) * (degree - 1);
  EXPECT_NEAR(pairs / n_pairs, p * p, 4 * std::sqrt(p * p * (1 - p * p) / n_pairs));
}

// Every field of the key (replication, talker, talk index, stream) gives other coins.
TEST(RowCoins, EveryKeyFieldChangesTheCoins) {
  const CounterRng rng(11);
  const auto row = iota_row(64);
  const auto mask = [&](Stream s, Replication r, NodeId u, std::uint32_t talk) {
    std::uint64_t m = 0;
    RowCoins(rng, s, Coin(0.5)).talk(r, u, talk, row, [&](NodeId v) {
      m |= std::uint64_t{1} << (v - row[0]);
    });
    return m;
  };
  const std::uint64_t base = mask(Stream::transmission, 1, 2, 3);
  EXPECT_NE(mask(Stream::advocacy, 1, 2, 3), base);
  EXPECT_NE(mask(Stream::transmission, 2, 2, 3), base);
  EXPECT_NE(mask(Stream::transmission, 1, 3, 3), base);
  EXPECT_NE(mask(Stream::transmission, 1, 2, 4), base);
}

// Common random numbers: a larger probability reaches a superset of the contacts.
TEST(RowCoins, LargerProbabilityReachesASuperset) {
  const CounterRng rng(3);
  const auto row = iota_row(150);
  for (NodeId u = 0; u < 200; ++u) {
    std::vector<bool> low(row.size()), high(row.size());
    RowCoins(rng, Stream::transmission, Coin(0.07)).talk(0, u, 0, row, [&](NodeId v) {
      low[v - row[0]] = true;
    });
    RowCoins(rng, Stream::transmission, Coin(0.23)).talk(0, u, 0, row, [&](NodeId v) {
      high[v - row[0]] = true;
    });
    for (std::size_t j = 0; j < row.size(); ++j)
      ASSERT_TRUE(!low[j] || high[j]) << "u " << u << " j " << j;
  }
}

// Stability: part of the reproducibility contract (see CounterRng.GoldenDraws).
TEST(RowCoins, GoldenContacts) {
  const CounterRng rng(20261122);
  const auto row = iota_row(20);
  std::vector<NodeId> reached;
  RowCoins(rng, Stream::transmission, Coin(0.3)).talk(5, 17, 0, row, [&](NodeId v) {
    reached.push_back(v);
  });
  EXPECT_EQ(reached, (std::vector<NodeId>{1001, 1008, 1009, 1012, 1019}));
}

}  // namespace
}  // namespace campaign
