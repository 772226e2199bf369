// The partner ecosystem (model/ecosystem.h): explicit partner lists are honoured, reach
// sets and the cooperation graph are well formed and drawn as configured, the same at any
// thread count, and its figures (followers, pairs, triads) are exact.
#include "model/ecosystem.h"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/error.h"
#include "model/seeding.h"
#include "rng/philox.h"
#include "support/simulate.h"

namespace campaign {
namespace {

using testing::campaign_scenario;

// Followers are sorted, distinct people ids.
void expect_valid_people(const std::vector<NodeId>& people, NodeId n) {
  EXPECT_TRUE(std::is_sorted(people.begin(), people.end()));
  EXPECT_EQ(std::adjacent_find(people.begin(), people.end()), people.end()) << "duplicate follower";
  if (!people.empty()) {
    EXPECT_LT(people.back(), n);
  }
}

TEST(Ecosystem, ExplicitPartnerListsAreHonoured) {
  const Scenario s = campaign_scenario(
      "[partners]\ncount = 4\nroles = [\"owner\", \"source+channel\", \"owner+source+channel\", "
      "\"channel\"]\nreach = [5, 2000, 0, 50]\ncredibilities = [0.1, 0.2, 0.3, 0.4]\n"
      "costs = [10.0, 20.0, 30.0, 40.0]\n[firm]\nreach = 70\n");
  const NodeId n = 1000;
  const Ecosystem eco(s, n);
  ASSERT_EQ(eco.num_partners(), 4u);
  EXPECT_EQ(eco.firm_id(), 4u);
  const std::uint8_t roles[] = {ROLE_OWNER, ROLE_SOURCE | ROLE_CHANNEL,
                                ROLE_OWNER | ROLE_SOURCE | ROLE_CHANNEL, ROLE_CHANNEL};
  const std::size_t reach[] = {5, 1000, 0, 50};  // min(reach, audience)
  const double credibility[] = {0.1, 0.2, 0.3, 0.4};
  for (std::uint32_t i = 0; i < 4; ++i) {
    const Partner& p = eco.partner(i);
    EXPECT_EQ(p.roles, roles[i]) << i;
    EXPECT_EQ(p.credibility, credibility[i]) << i;
    EXPECT_EQ(p.cost, 10.0 * (i + 1)) << i;
    EXPECT_EQ(p.followers.size(), reach[i]) << i;
    expect_valid_people(p.followers, n);
  }
  EXPECT_EQ(eco.firm_followers().size(), 70u);
  expect_valid_people({eco.firm_followers().begin(), eco.firm_followers().end()}, n);
  // The firm's reach is capped at the audience too.
  const Ecosystem small(campaign_scenario("[firm]\nreach = 5000\n"), 300);
  EXPECT_EQ(small.firm_followers().size(), 300u);
}

TEST(Ecosystem, ScalarPartnerSettingsApplyToEveryPartner) {
  const Scenario s = campaign_scenario(
      "[partners]\ncount = 6\ncredibility = 0.7\ncost = 12.5\nreach_mean = 40\n");
  const Ecosystem eco(s, 5000);
  for (std::uint32_t i = 0; i < 6; ++i) {
    EXPECT_EQ(eco.partner(i).credibility, 0.7);
    EXPECT_EQ(eco.partner(i).cost, 12.5);
  }
}

TEST(Ecosystem, DrawnReachSetsRolesAndCooperationAreWellFormed) {
  // 200 partners with Pareto reach (mean 100, shape 2) among 100,000 people.
  const Scenario s = campaign_scenario(
      "[run]\nseed = 12\n[partners]\ncount = 200\nreach_mean = 100\nreach_tail = 2\n"
      "owner_share = 0.5\nsource_share = 0.3\nchannel_share = 0.8\ncooperation = 0.3\n");
  const NodeId n = 100000;
  const Ecosystem eco(s, n);
  const std::uint32_t P = eco.num_partners();
  ASSERT_EQ(P, 200u);
  std::vector<double> sizes;
  int role_count[3] = {0, 0, 0};
  std::size_t links = 0;
  for (std::uint32_t a = 0; a < P; ++a) {
    const Partner& p = eco.partner(a);
    expect_valid_people(p.followers, n);
    sizes.push_back(static_cast<double>(p.followers.size()));
    for (int r = 0; r < 3; ++r) role_count[r] += (p.roles >> r) & 1;
    EXPECT_EQ(p.roles & ~(ROLE_OWNER | ROLE_SOURCE | ROLE_CHANNEL), 0);
    EXPECT_TRUE(std::is_sorted(p.peers.begin(), p.peers.end()));
    EXPECT_EQ(std::adjacent_find(p.peers.begin(), p.peers.end()), p.peers.end());
    for (std::uint32_t b : p.peers) {
      ASSERT_LT(b, P);
      EXPECT_NE(a, b) << "a partner cooperates with itself";
      EXPECT_TRUE(eco.cooperate(b, a)) << a << " - " << b << " is one-sided";
    }
    for (std::uint32_t b = 0; b < P; ++b) {
      EXPECT_EQ(eco.cooperate(a, b), std::binary_search(p.peers.begin(), p.peers.end(), b));
    }
    links += p.peers.size();
  }
  // Density of the cooperation graph: Binomial(19900 pairs, 0.3); allowed 4 sd.
  const double pairs = P * (P - 1) / 2.0, p = 0.3;
  EXPECT_EQ(links % 2, 0u);
  EXPECT_LE(std::abs(links / 2.0 / pairs - p), 4 * std::sqrt(p * (1 - p) / pairs)) << links / 2.0 / pairs;
  // Role shares: Binomial(200, share) each; allowed 4 sd.
  const double shares[3] = {0.5, 0.3, 0.8};
  for (int r = 0; r < 3; ++r) {
    EXPECT_LE(std::abs(role_count[r] / 200.0 - shares[r]), 4 * std::sqrt(shares[r] * (1 - shares[r]) / 200))
        << "role " << r;
  }
  // Reach is Pareto with x_m = mean (alpha - 1) / alpha = 50, so its median is
  // x_m 2^(1/alpha) = 70.71. The sample median of 200 has sd 1 / (2 f(m) sqrt(200)) with
  // density f(m) = alpha x_m^alpha / m^(alpha + 1) = 0.01414, i.e. 2.5; allowed 4 sd plus
  // 0.5 for rounding reach to whole people.
  std::sort(sizes.begin(), sizes.end());
  const double median = (sizes[99] + sizes[100]) / 2;
  EXPECT_LE(std::abs(median - 50 * std::sqrt(2.0)), 4 * 2.5 + 0.5) << median;
}

TEST(Ecosystem, ReachIsCappedAtTheAudienceEvenForHugeMeans) {
  // reach_mean is allowed up to (not including) infinity; a Pareto draw far above the
  // audience (here every draw is >= x_m = 5e29 > 2^63) must give everyone, not garbage.
  const Scenario s = campaign_scenario("[partners]\ncount = 5\nreach_mean = 1e30\n");
  const Ecosystem eco(s, 500);
  for (std::uint32_t i = 0; i < 5; ++i) EXPECT_EQ(eco.partner(i).followers.size(), 500u) << i;
}

TEST(Ecosystem, DeterministicPerSeed) {
  const std::string body = "[partners]\ncount = 30\nreach_mean = 80\ncooperation = 0.4\n[firm]\nreach = 100\n";
  const Ecosystem a(campaign_scenario("[run]\nseed = 4\n" + body), 3000);
  const Ecosystem b(campaign_scenario("[run]\nseed = 4\n" + body), 3000);
  const Ecosystem c(campaign_scenario("[run]\nseed = 5\n" + body), 3000);
  bool differs = false;
  for (std::uint32_t i = 0; i < 30; ++i) {
    EXPECT_EQ(a.partner(i).roles, b.partner(i).roles);
    EXPECT_EQ(a.partner(i).followers, b.partner(i).followers);
    EXPECT_EQ(a.partner(i).peers, b.partner(i).peers);
    differs = differs || a.partner(i).followers != c.partner(i).followers ||
              a.partner(i).peers != c.partner(i).peers;
  }
  EXPECT_TRUE(std::equal(a.firm_followers().begin(), a.firm_followers().end(),
                         b.firm_followers().begin(), b.firm_followers().end()));
  EXPECT_TRUE(differs) << "another seed must give another ecosystem";
}

TEST(Ecosystem, TheSameAtOneAndTwoThreads) {
  // Drawn in parallel, keyed by partner: the threads change nothing.
  const Scenario s = campaign_scenario("[run]\nseed = 9\n[partners]\ncount = 200\nreach_mean = 300\n"
                                       "cooperation = 0.2\n[firm]\nreach = 100\n");
  std::optional<Ecosystem> one, two;
  {
    const tbb::global_control cap(tbb::global_control::max_allowed_parallelism, 1);
    one.emplace(s, 5000);
  }
  {
    const tbb::global_control cap(tbb::global_control::max_allowed_parallelism, 2);
    two.emplace(s, 5000);
  }
  for (std::uint32_t i = 0; i < 200; ++i) {
    EXPECT_EQ(one->partner(i).roles, two->partner(i).roles);
    EXPECT_EQ(one->partner(i).followers, two->partner(i).followers);
    EXPECT_EQ(one->partner(i).peers, two->partner(i).peers);
    EXPECT_TRUE(std::is_sorted(one->partner(i).peers.begin(), one->partner(i).peers.end()));
  }
}

TEST(Ecosystem, FiguresCountFollowersPairsAndTriadsExactly) {
  const Scenario s = campaign_scenario("[run]\nseed = 2\n[partners]\ncount = 60\nreach_mean = 50\n"
                                       "cooperation = 0.3\n");
  const Ecosystem eco(s, 4000);
  std::uint64_t links = 0, pairs = 0, triangles = 0, valid = 0, orders = 0;
  for (std::uint32_t a = 0; a < 60; ++a) {
    links += eco.partner(a).followers.size();
    for (std::uint32_t b = a + 1; b < 60; ++b) {
      if (!eco.cooperate(a, b)) continue;
      ++pairs;
      for (std::uint32_t c = b + 1; c < 60; ++c) {
        if (!eco.cooperate(a, c) || !eco.cooperate(b, c)) continue;
        ++triangles;
        const std::uint32_t t[3] = {a, b, c};
        std::uint64_t ways = 0;
        for (int o = 0; o < 3; ++o) {
          for (int src = 0; src < 3; ++src) {
            const int ch = 3 - o - src;
            if (o == src) continue;
            ways += (eco.partner(t[o]).roles & ROLE_OWNER) && (eco.partner(t[src]).roles & ROLE_SOURCE) &&
                    (eco.partner(t[ch]).roles & ROLE_CHANNEL);
          }
        }
        valid += ways > 0;
        orders += ways;
      }
    }
  }
  const EcosystemFigures& f = eco.figures();
  EXPECT_EQ(f.follower_links, links);
  EXPECT_EQ(f.cooperating_pairs, pairs);
  ASSERT_TRUE(f.triads_counted);
  EXPECT_GT(triangles, 0u);
  EXPECT_EQ(f.triads.triangles, triangles);
  EXPECT_EQ(f.triads.valid, valid);
  EXPECT_EQ(f.triads.role_assignments, orders);
}

TEST(SamplePeople, BitmapAndHashSetGiveFloydsSample) {
  // Floyd's algorithm written plainly, with a std::set: sample_people must give the same
  // people whether it keeps the picked in a bitmap (k >= n / 64) or a hash set.
  const CounterRng rng(3);
  for (const auto& [n, k] : std::vector<std::pair<NodeId, NodeId>>{{1000, 5}, {1000, 15}, {1000, 16}, {1000, 999},
                                                                   {64000, 999}, {64000, 1000}, {7, 7}}) {
    std::set<NodeId> picked;
    std::vector<NodeId> expected;
    for (NodeId j = n - k; j < n; ++j) {
      const auto t = static_cast<NodeId>(CounterRng::below(rng.u64(Stream::partners, 0, j, 2, 3), std::uint64_t{j} + 1));
      const NodeId pick = picked.insert(t).second ? t : j;
      if (pick == j) picked.insert(j);
      expected.push_back(pick);
    }
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(sample_people(n, k, rng, Stream::partners, 0, 2, 3), expected) << n << " " << k;
  }
}

}  // namespace
}  // namespace campaign
