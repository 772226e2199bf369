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
#include "graph/generators.h"
#include "model/seeding.h"
#include "rng/philox.h"
#include "support/simulate.h"

namespace campaign {
namespace {

using testing::campaign_scenario;

std::vector<NodeId> list(std::span<const NodeId> ids) { return {ids.begin(), ids.end()}; }

// Followers are sorted, distinct people ids.
void expect_valid_people(std::span<const NodeId> people, NodeId n) {
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
    EXPECT_EQ(eco.followers(i).size(), reach[i]) << i;
    expect_valid_people(eco.followers(i), n);
  }
  EXPECT_EQ(eco.firm_followers().size(), 70u);
  expect_valid_people(eco.firm_followers(), n);
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
    const auto peers = eco.peers(a);
    expect_valid_people(eco.followers(a), n);
    sizes.push_back(static_cast<double>(eco.followers(a).size()));
    for (int r = 0; r < 3; ++r) role_count[r] += (p.roles >> r) & 1;
    EXPECT_EQ(p.roles & ~(ROLE_OWNER | ROLE_SOURCE | ROLE_CHANNEL), 0);
    EXPECT_TRUE(std::is_sorted(peers.begin(), peers.end()));
    EXPECT_EQ(std::adjacent_find(peers.begin(), peers.end()), peers.end());
    for (std::uint32_t b : peers) {
      ASSERT_LT(b, P);
      EXPECT_NE(a, b) << "a partner cooperates with itself";
      EXPECT_TRUE(eco.cooperate(b, a)) << a << " - " << b << " is one-sided";
    }
    for (std::uint32_t b = 0; b < P; ++b) {
      EXPECT_EQ(eco.cooperate(a, b), std::binary_search(peers.begin(), peers.end(), b));
    }
    links += peers.size();
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
  for (std::uint32_t i = 0; i < 5; ++i) EXPECT_EQ(eco.followers(i).size(), 500u) << i;
}

TEST(Ecosystem, DeterministicPerSeed) {
  const std::string body = "[partners]\ncount = 30\nreach_mean = 80\ncooperation = 0.4\n[firm]\nreach = 100\n";
  const Ecosystem a(campaign_scenario("[run]\nseed = 4\n" + body), 3000);
  const Ecosystem b(campaign_scenario("[run]\nseed = 4\n" + body), 3000);
  const Ecosystem c(campaign_scenario("[run]\nseed = 5\n" + body), 3000);
  bool differs = false;
  for (std::uint32_t i = 0; i < 30; ++i) {
    EXPECT_EQ(a.partner(i).roles, b.partner(i).roles);
    EXPECT_EQ(list(a.followers(i)), list(b.followers(i)));
    EXPECT_EQ(list(a.peers(i)), list(b.peers(i)));
    differs = differs || list(a.followers(i)) != list(c.followers(i)) || list(a.peers(i)) != list(c.peers(i));
  }
  EXPECT_TRUE(std::equal(a.firm_followers().begin(), a.firm_followers().end(),
                         b.firm_followers().begin(), b.firm_followers().end()));
  EXPECT_TRUE(differs) << "another seed must give another ecosystem";
}

TEST(Ecosystem, TheSameAtOneAndTwoThreads) {
  // Drawn in parallel, keyed by partner: the threads change nothing, whatever the models.
  const CsrGraph graph = erdos_renyi(5000, 8.0 / 4999, 2);
  for (const std::string models : {"followers = \"uniform\"", "followers = \"community\"\ncooperation_model = \"block\"",
                                   "followers = \"neighbourhood\"\ncooperation_model = \"preferential\""}) {
    const Scenario s = campaign_scenario("[run]\nseed = 9\n[partners]\ncount = 200\nreach_mean = 300\n"
                                         "cooperation = 0.05\n" + models + "\n[firm]\nreach = 100\n");
    std::optional<Ecosystem> one, two;
    {
      const tbb::global_control cap(tbb::global_control::max_allowed_parallelism, 1);
      one.emplace(s, graph);
    }
    {
      const tbb::global_control cap(tbb::global_control::max_allowed_parallelism, 2);
      two.emplace(s, graph);
    }
    for (std::uint32_t i = 0; i < 200; ++i) {
      EXPECT_EQ(one->partner(i).roles, two->partner(i).roles) << models;
      EXPECT_EQ(list(one->followers(i)), list(two->followers(i))) << models;
      EXPECT_EQ(list(one->peers(i)), list(two->peers(i))) << models;
    }
  }
}

TEST(Ecosystem, FiguresCountFollowersPairsAndTriadsExactly) {
  const Scenario s = campaign_scenario("[run]\nseed = 2\n[partners]\ncount = 60\nreach_mean = 50\n"
                                       "cooperation = 0.3\n");
  const Ecosystem eco(s, 4000);
  std::uint64_t links = 0, pairs = 0, triangles = 0, valid = 0, orders = 0;
  for (std::uint32_t a = 0; a < 60; ++a) {
    links += eco.followers(a).size();
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

TEST(Ecosystem, ALargerTeamContainsTheSmallerOne) {
  // Draws keyed by partner index, and cooperation grown partner by partner (random and
  // preferential models): the first 40 of 90 partners have the same roles, followers and
  // pairs among themselves as a team of 40.
  for (const std::string model : {"random\"\ncooperation = 0.3", "preferential\"\ncooperation_degree = 6"}) {
    const std::string body = "[run]\nseed = 21\n[partners]\nreach_mean = 60\ncooperation_model = \"" + model + "\n";
    const Ecosystem small(campaign_scenario(body, {"partners.count=40"}), 5000);
    const Ecosystem large(campaign_scenario(body, {"partners.count=90"}), 5000);
    for (std::uint32_t i = 0; i < 40; ++i) {
      EXPECT_EQ(small.partner(i).roles, large.partner(i).roles) << model << " " << i;
      EXPECT_EQ(list(small.followers(i)), list(large.followers(i))) << model << " " << i;
      std::vector<NodeId> within;
      for (NodeId b : large.peers(i)) {
        if (b < 40) within.push_back(b);
      }
      EXPECT_EQ(list(small.peers(i)), within) << model << " " << i;
    }
    EXPECT_GT(small.figures().cooperating_pairs, 0u);
  }
}

TEST(Ecosystem, BlockCooperationKeepsItsShareInsideGroups) {
  // 400 partners in 8 groups of 50, mean degree 20, 80% inside: pairs inside a group ~
  // Binomial(8 x 1225, p_in = 16/49), across ~ Binomial(70000, p_out = 4/350); each count
  // within 4 sd of its mean.
  const Scenario s = campaign_scenario(
      "[run]\nseed = 5\n[partners]\ncount = 400\nreach_mean = 10\ncooperation_model = \"block\"\n"
      "cooperation_degree = 20\ngroups = 8\ncooperation_within = 0.8\n");
  const Ecosystem eco(s, 1000);
  double inside = 0, across = 0;
  for (std::uint32_t a = 0; a < 400; ++a) {
    for (NodeId b : eco.peers(a)) {
      if (b > a) (a / 50 == b / 50 ? inside : across) += 1;
    }
  }
  const double n_in = 8 * 1225.0, p_in = 16.0 / 49, n_out = 400 * 399 / 2.0 - n_in, p_out = 4.0 / 350;
  EXPECT_NEAR(inside, n_in * p_in, 4 * std::sqrt(n_in * p_in * (1 - p_in)));
  EXPECT_NEAR(across, n_out * p_out, 4 * std::sqrt(n_out * p_out * (1 - p_out)));
}

TEST(Ecosystem, PreferentialCooperationHasHubsAndItsMeanDegree) {
  // Barabasi-Albert with m = 3 links per new partner: exactly 6 + 3 (P - 4) pairs, and
  // hubs far above the mean (the largest degree grows as sqrt(P): well over 30 here).
  const Scenario s = campaign_scenario(
      "[run]\nseed = 3\n[partners]\ncount = 2000\nreach_mean = 10\ncooperation_model = \"preferential\"\n"
      "cooperation_degree = 6\n");
  const Ecosystem eco(s, 1000);
  EXPECT_EQ(eco.figures().cooperating_pairs, 6u + 3u * (2000 - 4));
  EXPECT_GT(eco.cooperation().max_degree(), 30u);
}

TEST(Ecosystem, CooperationSettingsOutOfRangeAreRefused) {
  const auto refused = [](const std::vector<std::string>& overrides, const std::string& key) {
    try {
      campaign_scenario("[partners]\ncount = 100\n", overrides);
      ADD_FAILURE() << "accepted " << overrides.back();
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
    }
  };
  refused({"partners.cooperation_degree=100"}, "partners.cooperation_degree");
  refused({"partners.cooperation_model=\"block\"", "partners.groups=200"}, "partners.groups");
  // 10 groups of 10: 9 peers at most inside a group.
  refused({"partners.cooperation_model=\"block\"", "partners.cooperation_degree=20"}, "partners.cooperation_degree");
  refused({"partners.cooperation_model=\"preferential\"", "partners.cooperation_degree=400"},
          "partners.cooperation_degree");
  refused({"partners.cooperation_model=\"ring\""}, "partners.cooperation_model");
  // One group: the block model is the random one, and must refuse the same degrees.
  refused({"partners.cooperation_model=\"block\"", "partners.groups=1", "partners.cooperation_degree=500"},
          "partners.cooperation_degree");
  // Leaked followers need somewhere else to come from.
  refused({"partners.followers=\"community\"", "partners.communities=1", "partners.leakage=0.5"}, "partners.leakage");
}

TEST(Ecosystem, CommunityFollowersComeMostlyFromOneCommunity) {
  // 10 communities of 2,000 people; reach 500 and leakage 0.2: exactly round(0.8 x 500) =
  // 400 followers inside the partner's home community and 100 outside it.
  std::string reach = "[500";
  for (int i = 1; i < 30; ++i) reach += ", 500";
  const Scenario community = campaign_scenario("[run]\nseed = 8\n[partners]\ncount = 30\nreach = " + reach +
                                               "]\nfollowers = \"community\"\ncommunities = 10\nleakage = 0.2\n");
  const NodeId n = 20000;
  const Ecosystem eco(community, n);
  std::set<std::uint32_t> homes;
  for (std::uint32_t i = 0; i < 30; ++i) {
    expect_valid_people(eco.followers(i), n);
    std::vector<int> per(10, 0);
    for (NodeId v : eco.followers(i)) ++per[v / 2000];
    const auto home = std::max_element(per.begin(), per.end()) - per.begin();
    homes.insert(static_cast<std::uint32_t>(home));
    EXPECT_EQ(per[home], 400) << i;
    EXPECT_EQ(eco.followers(i).size(), 500u) << i;
  }
  // Homes are uniform over the 10 communities: 30 partners leave at least 4 of them
  // (P(fewer than 4 distinct) < 1e-12).
  EXPECT_GE(homes.size(), 4u);
  // With segments, the communities are the segments: 70% / 30% of 10,000 people.
  const Scenario segmented = campaign_scenario(
      "[run]\nseed = 8\n[segments]\nnames = [\"a\", \"b\"]\nshares = [0.7, 0.3]\npropensity = [0.1, 0.1]\n"
      "talkativeness = [1.0, 1.0]\nprice = [1.0, 1.0]\nrepeat_rate = [0.0, 0.0]\n[partners]\ncount = 6\nreach = [2000, 2000, "
      "2000, 2000, 2000, 2000]\nfollowers = \"community\"\nleakage = 0\n");
  const Ecosystem by_segment(segmented, 10000);
  for (std::uint32_t i = 0; i < 6; ++i) {
    const auto f = by_segment.followers(i);
    const bool in_a = f.back() < 7000, in_b = f.front() >= 7000;
    EXPECT_TRUE(in_a || in_b) << "partner " << i << " has followers in both segments";
  }
}

TEST(Ecosystem, NeighbourhoodFollowersAreSociallyClustered) {
  // The k people nearest a hub: every follower but the hub has a social neighbour among
  // the followers nearer the hub (the BFS tree), so a set of 200 spans at least 199 social
  // links; 200 uniform people among 20,000 at mean degree 6 span about C(200,2) x 6/19999
  // = 6 (Poisson: above 40 has probability < 1e-19).
  const CsrGraph graph = erdos_renyi(20000, 6.0 / 19999, 4);
  const std::string body = "[run]\nseed = 6\n[partners]\ncount = 10\nreach = [200, 200, 200, 200, 200, 200, 200, "
                           "200, 200, 200]\nfollowers = ";
  const Ecosystem near(campaign_scenario(body + "\"neighbourhood\"\n"), graph);
  const Ecosystem anywhere(campaign_scenario(body + "\"uniform\"\n"), graph);
  const auto links_within = [&](std::span<const NodeId> people) {
    std::uint64_t links = 0;
    for (NodeId u : people) {
      for (NodeId v : graph.neighbors(u)) links += u < v && std::binary_search(people.begin(), people.end(), v);
    }
    return links;
  };
  for (std::uint32_t i = 0; i < 10; ++i) {
    ASSERT_EQ(near.followers(i).size(), 200u);
    expect_valid_people(near.followers(i), 20000);
    EXPECT_GE(links_within(near.followers(i)), 199u) << i;
    EXPECT_LE(links_within(anywhere.followers(i)), 40u) << i;
  }
  // A hub in a component smaller than the reach: further hubs fill it. Ten isolated
  // people (no links) and reach 4: four distinct hubs.
  const CsrGraph empty(std::vector<ArcIndex>(11, 0), {});
  const Ecosystem isolated(campaign_scenario("[partners]\ncount = 3\nreach = [4, 4, 10]\nfollowers = \"neighbourhood\"\n"),
                           empty);
  EXPECT_EQ(isolated.followers(0).size(), 4u);
  expect_valid_people(isolated.followers(0), 10);  // four distinct hubs
  EXPECT_EQ(list(isolated.followers(2)), (std::vector<NodeId>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
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
