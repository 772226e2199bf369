// The media plan (model/media_plan.h): the plan sends what the budget buys: solo messages
// on the cadence, triads of mutually cooperating partners in the right roles, staged over
// the communication cycle; and the cache (model/ecosystem_cache.h) shares both exactly when
// their inputs are the same.
#include "model/media_plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/error.h"
#include "graph/generators.h"
#include "model/ecosystem_cache.h"
#include "support/simulate.h"

namespace campaign {
namespace {

using testing::campaign_scenario;

// Every stage event in steps 0 .. steps + 5, by (message, stage) -> (step, strength).
std::map<std::pair<std::uint32_t, int>, std::pair<Step, double>> all_events(const MediaPlan& plan, Step steps) {
  std::map<std::pair<std::uint32_t, int>, std::pair<Step, double>> events;
  for (Step t = 0; t <= steps + 5; ++t) {
    for (const StageEvent& e : plan.events_at(t)) {
      const bool fresh = events.insert({{e.message, e.stage}, {t, e.strength}}).second;
      EXPECT_TRUE(fresh) << "message " << e.message << " stage " << int(e.stage) << " twice";
    }
  }
  return events;
}

TEST(MediaPlan, SoloMessagesOnTheCadenceWhileTheBudgetLasts) {
  // Slots: steps 2, 5, 8, ..., 29 (10 slots in 30 steps). 1000 / 300 buys 3 messages.
  const std::string body =
      "[run]\nsteps = 30\n[firm]\nreach = 40\ncredibility = 0.6\nmessage_cost = 300\n"
      "[media]\nstrategy = \"solo\"\ncadence = 3\nstart = 2\nannounce_offset = 0\n"
      "event_offset = 1\necho_offset = 3\nannounce_strength = 0.3\nevent_strength = 1.0\n"
      "echo_strength = 0.5\n";
  const NodeId n = 500;
  for (const auto& [budget, expected] : {std::pair{1000.0, 3u}, std::pair{900.0, 3u},
                                         std::pair{899.0, 2u}, std::pair{1e6, 10u}, std::pair{0.0, 0u}}) {
    SCOPED_TRACE("budget " + std::to_string(budget));
    const Scenario s = campaign_scenario(body, {"media.budget=" + std::to_string(budget)});
    const Ecosystem eco(s, n);
    const MediaPlan plan(s, eco);
    // min(floor(budget / message_cost), slots)
    ASSERT_EQ(plan.messages().size(), std::min<std::size_t>(std::floor(budget / 300), 10));
    ASSERT_EQ(plan.messages().size(), expected);
    for (std::size_t i = 0; i < plan.messages().size(); ++i) {
      const Message& m = plan.messages()[i];
      EXPECT_EQ(m.start, 2 + 3 * i);
      EXPECT_TRUE(m.solo);
      EXPECT_EQ(m.source, eco.firm_id());
      EXPECT_EQ(m.cost, 300.0);
      EXPECT_EQ(m.credibility, 0.6);
      EXPECT_TRUE(std::equal(m.audience.begin(), m.audience.end(), eco.firm_followers().begin(),
                             eco.firm_followers().end()));
    }
    EXPECT_EQ(plan.distinct_triads(), 0u);
    // Stage events at start + offsets with their strengths, none past run.steps.
    const auto events = all_events(plan, s.run.steps);
    std::size_t expected_events = 0;
    const Step offsets[3] = {0, 1, 3};
    const double strengths[3] = {0.3, 1.0, 0.5};
    for (std::uint32_t i = 0; i < plan.messages().size(); ++i) {
      for (int stage = 0; stage < 3; ++stage) {
        const Step at = plan.messages()[i].start + offsets[stage];
        const auto it = events.find({i, stage});
        if (at > s.run.steps) {
          EXPECT_EQ(it, events.end()) << "event past the run: message " << i << " stage " << stage;
          continue;
        }
        ++expected_events;
        ASSERT_NE(it, events.end()) << "message " << i << " stage " << stage;
        EXPECT_EQ(it->second.first, at);
        EXPECT_EQ(it->second.second, strengths[stage]);
      }
    }
    EXPECT_EQ(events.size(), expected_events);
    EXPECT_TRUE(plan.events_at(s.run.steps + 1).empty());
  }
  // With all 10 slots used, the last message (step 29) has its echo at 32 > 30: dropped.
  const Scenario s = campaign_scenario(body, {"media.budget=1e6"});
  const Ecosystem eco(s, n);
  const MediaPlan plan(s, eco);
  const auto events = all_events(plan, s.run.steps);
  EXPECT_EQ(events.count({9u, 2}), 0u);
  EXPECT_EQ(events.count({9u, 1}), 1u);
}

TEST(MediaPlan, ManyMessagesStartTogether) {
  // Sends at steps 1, 3, 5, 7, 9, three messages each; a triad costs 30, so 210 buys 7:
  // three at step 1, three at 3, one at 5. Messages are keyed by their index in the plan,
  // so message 0 is the same as with one message a step.
  const std::string body =
      "[run]\nsteps = 10\n[partners]\ncount = 12\ncooperation = 1.0\nroles = [\"owner+source+channel\", "
      "\"owner+source+channel\", \"owner+source+channel\", \"owner+source+channel\", \"owner+source+channel\", "
      "\"owner+source+channel\", \"owner+source+channel\", \"owner+source+channel\", \"owner+source+channel\", "
      "\"owner+source+channel\", \"owner+source+channel\", \"owner+source+channel\"]\ncost = 10\n"
      "[media]\nstrategy = \"triads\"\ncadence = 2\nbudget = 210\n";
  const Scenario many = campaign_scenario(body, {"media.messages_per_step=3"});
  const Scenario one = campaign_scenario(body);
  const Ecosystem eco(many, 500);
  const MediaPlan plan(many, eco), single(one, eco);
  ASSERT_EQ(plan.messages().size(), 7u);
  const Step starts[7] = {1, 1, 1, 3, 3, 3, 5};
  std::set<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>> triads;
  for (std::size_t i = 0; i < 7; ++i) {
    const Message& m = plan.messages()[i];
    EXPECT_EQ(m.start, starts[i]) << i;
    triads.insert({m.owner, m.source, m.channel});
  }
  EXPECT_EQ(triads.size(), 7u);
  EXPECT_EQ(std::tie(plan.messages()[0].owner, plan.messages()[0].source, plan.messages()[0].channel),
            std::tie(single.messages()[0].owner, single.messages()[0].source, single.messages()[0].channel));
  ASSERT_EQ(single.messages().size(), 5u);  // one a send: steps 1, 3, 5, 7, 9
  // Three partners holding every role form six ordered triads: six messages in one step
  // use all six before any repeats (fresh triads preferred within a step).
  const Scenario six = campaign_scenario(
      "[run]\nsteps = 4\n[partners]\ncount = 3\ncooperation = 1.0\nroles = [\"owner+source+channel\", "
      "\"owner+source+channel\", \"owner+source+channel\"]\ncost = 1\n[media]\nstrategy = \"triads\"\n"
      "cadence = 10\nbudget = 1000\nmessages_per_step = 6\n");
  const Ecosystem trio(six, 50);
  const MediaPlan all_six(six, trio);
  ASSERT_EQ(all_six.messages().size(), 6u);
  std::set<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>> six_triads;
  for (const Message& m : all_six.messages()) six_triads.insert({m.owner, m.source, m.channel});
  EXPECT_EQ(six_triads.size(), 6u);
  // Every message's three stages are scheduled: announce at its start, event a step
  // later, echo three steps later (within the run).
  const auto events = all_events(plan, 10);
  for (std::uint32_t i = 0; i < 7; ++i) {
    EXPECT_EQ(events.at({i, 0}).first, starts[i]);
    EXPECT_EQ(events.at({i, 1}).first, starts[i] + 1);
  }
}

TEST(MediaPlan, StageWithZeroStrengthHasNoEvents) {
  const Scenario s = campaign_scenario(
      "[run]\nsteps = 20\n[firm]\nmessage_cost = 10\n[media]\nstrategy = \"solo\"\nbudget = 50\n"
      "echo_strength = 0.0\n");
  const Ecosystem eco(s, 100);
  const MediaPlan plan(s, eco);
  ASSERT_EQ(plan.messages().size(), 5u);
  for (const auto& [key, value] : all_events(plan, 20)) EXPECT_NE(key.second, 2) << "echo of strength 0";
}

TEST(MediaPlan, TriadsAreCooperatingPartnersInTheirRoles) {
  std::string costs = "costs = [";
  for (int i = 0; i < 30; ++i) costs += (i ? ", " : "") + std::to_string(i + 1) + ".0";
  costs += "]\n";
  const Scenario s = campaign_scenario(
      "[run]\nsteps = 40\nseed = 9\n[partners]\ncount = 30\nreach_mean = 60\ncooperation = 0.5\n"
      "owner_share = 0.5\nsource_share = 0.5\nchannel_share = 0.5\n" + costs +
      "[media]\nstrategy = \"triads\"\nbudget = 1e9\ncadence = 1\nstart = 1\n");
  const NodeId n = 4000;
  const Ecosystem eco(s, n);
  const MediaPlan plan(s, eco);
  ASSERT_EQ(plan.messages().size(), 40u);  // one per step, the budget never binds
  std::set<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>> triads;
  for (const Message& m : plan.messages()) {
    EXPECT_FALSE(m.solo);
    const std::uint32_t o = m.owner, src = m.source, c = m.channel;
    ASSERT_LT(std::max({o, src, c}), eco.num_partners());
    EXPECT_TRUE(o != src && src != c && o != c) << o << " " << src << " " << c;
    EXPECT_TRUE(eco.cooperate(o, src) && eco.cooperate(src, c) && eco.cooperate(o, c));
    EXPECT_TRUE(eco.partner(o).roles & ROLE_OWNER);
    EXPECT_TRUE(eco.partner(src).roles & ROLE_SOURCE);
    EXPECT_TRUE(eco.partner(c).roles & ROLE_CHANNEL);
    EXPECT_EQ(m.cost, (o + 1.0) + (src + 1.0) + (c + 1.0));  // partner i costs i + 1
    EXPECT_EQ(m.credibility, eco.partner(src).credibility);
    std::set<NodeId> expected;
    for (std::uint32_t who : {o, src, c}) expected.insert(eco.followers(who).begin(), eco.followers(who).end());
    EXPECT_EQ(m.audience, std::vector<NodeId>(expected.begin(), expected.end()));
    triads.insert({o, src, c});
  }
  EXPECT_EQ(plan.distinct_triads(), triads.size());
  // Many triads exist among 30 partners at cooperation 0.5, and fresh ones are preferred.
  EXPECT_GT(plan.distinct_triads(), 30u);
}

// Five partners, all cooperating, whose role masks give the triangles between zero and
// three role orders each: a choice uniform over triangles, or over owners first, would
// not be uniform over the ordered triads.
const std::string FIVE =
    "[partners]\ncount = 5\ncooperation = 1.0\ncost = 1\nroles = [\"owner+source+channel\", \"owner\", "
    "\"source+channel\", \"channel\", \"owner+source\"]\n[media]\nstrategy = \"triads\"\nbudget = 1e6\n";

std::set<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>> ordered_triads(const Ecosystem& eco) {
  std::set<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>> all;
  const std::uint32_t P = eco.num_partners();
  for (std::uint32_t o = 0; o < P; ++o) {
    for (std::uint32_t src = 0; src < P; ++src) {
      for (std::uint32_t c = 0; c < P; ++c) {
        if (o != src && src != c && o != c && (eco.partner(o).roles & ROLE_OWNER) &&
            (eco.partner(src).roles & ROLE_SOURCE) && (eco.partner(c).roles & ROLE_CHANNEL) &&
            eco.cooperate(o, src) && eco.cooperate(src, c) && eco.cooperate(o, c)) {
          all.insert({o, src, c});
        }
      }
    }
  }
  return all;
}

TEST(MediaPlan, UniformTriadChoiceIsUniformOverOrderedTriads) {
  // The first message's triad over 4,000 seeds (roles and cooperation are fixed, so every
  // seed has the same triads): Pearson's chi-square against the uniform, with K - 1
  // degrees of freedom, must stay below its 0.999 quantile (Wilson-Hilferty: z = 3.0902),
  // so a correct chooser fails once in a thousand seeds sets, and this set is fixed.
  const auto triads = ordered_triads(Ecosystem(campaign_scenario(FIVE), 100));
  const std::size_t K = triads.size();
  ASSERT_EQ(K, 14u);  // by hand: owners 0, 1 and 4 lead 3, 7 and 4 triads
  std::map<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>, int> seen;
  const int R = 4000;
  for (int seed = 1; seed <= R; ++seed) {
    const Scenario s = campaign_scenario(FIVE, {"run.seed=" + std::to_string(seed), "run.steps=1"});
    const Ecosystem eco(s, 100);
    ASSERT_EQ(eco.figures().triads.role_assignments, K);
    const MediaPlan plan(s, eco);
    const Message& m = plan.messages().at(0);
    const auto triad = std::make_tuple(m.owner, m.source, m.channel);
    ASSERT_TRUE(triads.count(triad)) << m.owner << " " << m.source << " " << m.channel;
    ++seen[triad];
  }
  const double expected = static_cast<double>(R) / K, df = K - 1.0;
  double chi2 = 0;
  for (const auto& t : triads) chi2 += std::pow(seen[t] - expected, 2) / expected;
  const double critical = df * std::pow(1 - 2 / (9 * df) + 3.0902 * std::sqrt(2 / (9 * df)), 3);
  EXPECT_LT(chi2, critical) << "chi-square " << chi2 << " on " << df << " df";
}

TEST(MediaPlan, EveryTriadIsUsedOnceBeforeAnyRepeats) {
  // 14 ordered triads, 50 messages: messages 0-13 use each once, 14-27 each once again...
  const Scenario s = campaign_scenario(FIVE, {"run.steps=50", "run.seed=7"});
  const Ecosystem eco(s, 100);
  const MediaPlan plan(s, eco);
  ASSERT_EQ(plan.messages().size(), 50u);
  const auto triads = ordered_triads(eco);
  for (std::size_t round = 0; round < 3; ++round) {
    std::set<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>> used;
    for (std::size_t i = round * 14; i < (round + 1) * 14; ++i) {
      const Message& m = plan.messages()[i];
      used.insert({m.owner, m.source, m.channel});
    }
    EXPECT_EQ(used, triads) << "round " << round;
  }
  EXPECT_EQ(plan.distinct_triads(), 14u);
}

TEST(MediaPlan, FreshReachIsGreedyOnNewPeople) {
  // 14 partners with explicit reach among 3,000 people: each message's triangle must add
  // as many not-yet-reached people as the best valid triangle would (checked by brute
  // force over every triangle), its source the most credible partner able to be one.
  std::string reach = "[", credibility = "[";
  for (int i = 0; i < 14; ++i) {
    reach += (i ? ", " : "") + std::to_string(40 + 37 * i);
    credibility += (i ? ", " : "") + std::to_string(0.3 + 0.05 * ((i * 7) % 11));
  }
  const Scenario s = campaign_scenario("[run]\nsteps = 30\nseed = 12\n[partners]\ncount = 14\ncooperation = 0.6\ncost = 1\n"
                                       "reach = " + reach + "]\ncredibilities = " + credibility + "]\n"
                                       "[media]\nstrategy = \"triads\"\ntriad_choice = \"fresh_reach\"\nbudget = 1e6\n");
  const Ecosystem eco(s, 3000);
  const MediaPlan plan(s, eco);
  ASSERT_EQ(plan.messages().size(), 30u);
  std::vector<std::array<std::uint32_t, 3>> triangles;  // valid ones
  for (std::uint32_t a = 0; a < 14; ++a) {
    for (std::uint32_t b = a + 1; b < 14; ++b) {
      for (std::uint32_t c = b + 1; c < 14; ++c) {
        if (!eco.cooperate(a, b) || !eco.cooperate(b, c) || !eco.cooperate(a, c)) continue;
        const std::uint32_t t[3] = {a, b, c};
        bool valid = false;
        for (int o = 0; o < 3; ++o) {
          for (int src = 0; src < 3; ++src) {
            if (o != src && (eco.partner(t[o]).roles & ROLE_OWNER) && (eco.partner(t[src]).roles & ROLE_SOURCE) &&
                (eco.partner(t[3 - o - src]).roles & ROLE_CHANNEL)) {
              valid = true;
            }
          }
        }
        if (valid) triangles.push_back({a, b, c});
      }
    }
  }
  ASSERT_GT(triangles.size(), 30u);  // one round: no triangle twice
  std::set<NodeId> reached;
  const auto gain = [&](const std::array<std::uint32_t, 3>& t) {
    std::set<NodeId> fresh;
    for (std::uint32_t who : t) {
      for (NodeId v : eco.followers(who)) {
        if (!reached.count(v)) fresh.insert(v);
      }
    }
    return fresh.size();
  };
  std::set<std::array<std::uint32_t, 3>> used;
  for (const Message& m : plan.messages()) {
    std::array<std::uint32_t, 3> mine = {m.owner, m.source, m.channel};
    std::sort(mine.begin(), mine.end());
    std::size_t best = 0;
    for (const auto& t : triangles) best = std::max(best, gain(t));
    EXPECT_EQ(gain(mine), best) << "message " << &m - plan.messages().data();
    EXPECT_TRUE(used.insert(mine).second) << "a triangle twice within a round";
    for (std::uint32_t who : mine) {
      if (eco.partner(who).roles & ROLE_SOURCE && eco.partner(who).credibility > eco.partner(m.source).credibility) {
        // A more credible source must be unable to take the role with the other two.
        bool fits = false;
        for (std::uint32_t o : mine) {
          for (std::uint32_t c : mine) {
            fits = fits || (o != who && c != who && o != c && (eco.partner(o).roles & ROLE_OWNER) &&
                            (eco.partner(c).roles & ROLE_CHANNEL));
          }
        }
        EXPECT_FALSE(fits) << "partner " << who << " is a more credible source";
      }
    }
    for (std::uint32_t who : mine) reached.insert(eco.followers(who).begin(), eco.followers(who).end());
  }
  EXPECT_EQ(plan.distinct_triads(), 30u);
}

TEST(MediaPlan, DenseUncountedCooperationDrawsTriadsByRejection) {
  // 3,000 partners at cooperation 0.5: counting the triads would take too long, so they
  // are drawn by rejection over the role holders; every drawn triad is valid and, while
  // any is unused, new.
  const std::string body = "[run]\nsteps = 40\nseed = 3\n[partners]\ncount = 3000\nreach_mean = 5\ncooperation = 0.5\n"
                           "cost = 1\n[media]\nstrategy = \"triads\"\nbudget = 1e6\n";
  const Scenario s = campaign_scenario(body);
  const Ecosystem eco(s, 1000);
  ASSERT_FALSE(eco.figures().triads_counted);
  const MediaPlan plan(s, eco);
  ASSERT_EQ(plan.messages().size(), 40u);
  for (const Message& m : plan.messages()) {
    EXPECT_TRUE(m.owner != m.source && m.source != m.channel && m.owner != m.channel);
    EXPECT_TRUE(eco.cooperate(m.owner, m.source) && eco.cooperate(m.source, m.channel) && eco.cooperate(m.owner, m.channel));
    EXPECT_TRUE((eco.partner(m.owner).roles & ROLE_OWNER) && (eco.partner(m.source).roles & ROLE_SOURCE) &&
                (eco.partner(m.channel).roles & ROLE_CHANNEL));
  }
  EXPECT_EQ(plan.distinct_triads(), 40u);
  // No partner drew the owner role (a share of 10^-7 among 3,000): one clear error, not
  // a draw from an empty list.
  const Scenario ownerless = campaign_scenario(body, {"partners.owner_share=1e-7"});
  const Ecosystem eco_ownerless(ownerless, 1000);
  ASSERT_FALSE(eco_ownerless.figures().triads_counted);
  try {
    const MediaPlan none(ownerless, eco_ownerless);
    ADD_FAILURE() << "no InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no triad exists: 3000 partners (0 owners"), std::string::npos) << e.what();
  }
}

TEST(MediaPlan, TriadBudgetBuysWholeMessagesOnly) {
  const Scenario s = campaign_scenario(
      "[run]\nsteps = 40\nseed = 9\n[partners]\ncount = 12\ncost = 100\ncooperation = 0.8\n"
      "reach_mean = 30\n[media]\nstrategy = \"triads\"\nbudget = 1000\ncadence = 2\n");
  const Ecosystem eco(s, 1000);
  const MediaPlan plan(s, eco);
  // Each triad costs 300: 1000 buys 3.
  ASSERT_EQ(plan.messages().size(), 3u);
  // The triad drawn for the fourth message, which the budget cannot pay, is not counted.
  EXPECT_EQ(plan.distinct_triads(), 3u);
  for (const Message& m : plan.messages()) EXPECT_EQ(m.cost, 300.0);
}

TEST(MediaPlan, NoPossibleTriadIsAnInputError) {
  // Everyone cooperates, each role exists, but the only owner-and-source partner has no
  // cooperating source besides itself: no triad (owner, source, channel) can be formed.
  const Scenario none = campaign_scenario(
      "[partners]\ncount = 3\nroles = [\"owner+source\", \"channel\", \"channel\"]\n"
      "cooperation = 1.0\n[media]\nstrategy = \"triads\"\nbudget = 1000\n");
  const Ecosystem eco(none, 100);
  try {
    MediaPlan plan(none, eco);
    FAIL() << "no InputError";
  } catch (const InputError& e) {
    // Counted exactly, before any draw: the counts that explain it.
    EXPECT_NE(std::string(e.what()).find("no triad"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("3 partners (1 owners, 1 sources, 2 channels), 3 cooperating pairs, "
                                         "1 triangles"),
              std::string::npos)
        << e.what();
  }
  // Roles fine, but (almost) nobody cooperates.
  const Scenario lonely = campaign_scenario(
      "[partners]\ncount = 3\nroles = [\"owner\", \"source\", \"channel\"]\ncooperation = 1e-9\n"
      "[media]\nstrategy = \"triads\"\nbudget = 1000\n");
  EXPECT_THROW(
      {
        const Ecosystem eco_lonely(lonely, 100);
        const MediaPlan plan(lonely, eco_lonely);
      },
      InputError);
  // The same partners, all cooperating, do form the one triad.
  const Scenario team = campaign_scenario(
      "[partners]\ncount = 3\nroles = [\"owner\", \"source\", \"channel\"]\ncooperation = 1.0\n"
      "cost = 10\n[media]\nstrategy = \"triads\"\nbudget = 1000\n[run]\nsteps = 5\n");
  const Ecosystem eco_team(team, 100);
  const MediaPlan plan(team, eco_team);
  ASSERT_EQ(plan.messages().size(), 5u);
  EXPECT_EQ(std::tie(plan.messages()[0].owner, plan.messages()[0].source, plan.messages()[0].channel),
            std::make_tuple(0u, 1u, 2u));
  EXPECT_EQ(plan.distinct_triads(), 1u);
}

// The same messages, to the same people, at the same strengths.
bool same_plan(const MediaPlan& a, const MediaPlan& b, Step steps) {
  if (a.messages().size() != b.messages().size() || a.distinct_triads() != b.distinct_triads()) return false;
  for (std::size_t i = 0; i < a.messages().size(); ++i) {
    const Message &x = a.messages()[i], &y = b.messages()[i];
    if (std::tie(x.start, x.solo, x.owner, x.source, x.channel, x.cost, x.credibility, x.audience) !=
        std::tie(y.start, y.solo, y.owner, y.source, y.channel, y.cost, y.credibility, y.audience)) {
      return false;
    }
  }
  for (Step t = 0; t <= steps; ++t) {
    const auto ea = a.events_at(t), eb = b.events_at(t);
    if (!std::equal(ea.begin(), ea.end(), eb.begin(), eb.end(), [](const StageEvent& u, const StageEvent& v) {
          return u.message == v.message && u.stage == v.stage && u.strength == v.strength;
        })) {
      return false;
    }
  }
  return true;
}

// The cache shares an ecosystem and a plan between scenarios that differ only in what
// neither reads, and builds anew for every change to what they read: its keys miss no
// field (a missed one would give a variant another variant's plan).
TEST(EcosystemCache, SharesExactlyWhatIsTheSame) {
  const std::string base =
      "[run]\nsteps = 30\nseed = 5\n[partners]\ncount = 20\nreach_mean = 40\ncooperation = 0.5\n"
      "[firm]\nreach = 60\n[media]\nstrategy = \"triads\"\nbudget = 5000\ncadence = 3\n";
  const NodeId n = 2000;
  const CsrGraph graph = erdos_renyi(n, 0.003, 1), larger = erdos_renyi(n + 1, 0.003, 1);
  const Scenario reference = campaign_scenario(base);
  const Ecosystem fresh_eco(reference, n);
  const MediaPlan fresh_plan(reference, fresh_eco);
  // What neither reads: the cached world is the reference's own.
  for (const char* change : {"firm.unit_cost=7", "media.wearout=0.5", "funnel.conversion=0.9",
                                    "word_of_mouth.transmission=0.3", "run.replications=3"}) {
    EcosystemCache cache;
    const EcosystemCache::World a = cache.get(reference, graph);
    const EcosystemCache::World b = cache.get(campaign_scenario(base, {change}), graph);
    EXPECT_EQ(a.ecosystem, b.ecosystem) << change;
    EXPECT_EQ(a.plan, b.plan) << change;
    EXPECT_EQ(cache.builds(), 2u) << change;
    EXPECT_TRUE(same_plan(*a.plan, fresh_plan, 30)) << change;
  }
  // What the plan reads: the ecosystem is shared, the plan is built anew and equals a
  // plan built without the cache.
  for (const char* change :
       {"media.cadence=2", "media.budget=900", "media.start=4", "media.strategy=\"solo\"", "run.steps=20",
        "media.echo_offset=2", "media.event_strength=0.5", "firm.message_cost=3", "media.messages_per_step=2",
        "firm.credibility=0.9", "media.triad_choice=\"fresh_reach\""}) {
    EcosystemCache cache;
    const Scenario changed = campaign_scenario(base, {change});
    const EcosystemCache::World a = cache.get(reference, graph);
    const EcosystemCache::World b = cache.get(changed, graph);
    EXPECT_EQ(a.ecosystem, b.ecosystem) << change;
    EXPECT_NE(a.plan, b.plan) << change;
    EXPECT_EQ(cache.builds(), 3u) << change;
    EXPECT_TRUE(same_plan(*b.plan, MediaPlan(changed, fresh_eco), 30)) << change;
  }
  // What the ecosystem reads: both are built anew.
  for (const char* change : {"partners.count=21", "partners.reach_mean=41", "partners.cooperation=0.6",
                                    "firm.reach=61", "run.seed=6", "partners.owner_share=0.9",
                                    "partners.followers=\"community\"", "partners.cooperation_model=\"preferential\""}) {
    EcosystemCache cache;
    const EcosystemCache::World a = cache.get(reference, graph);
    const EcosystemCache::World b = cache.get(campaign_scenario(base, {change}), graph);
    EXPECT_NE(a.ecosystem, b.ecosystem) << change;
    EXPECT_EQ(cache.builds(), 4u) << change;
  }
  {  // and the audience's size
    EcosystemCache cache;
    EXPECT_NE(cache.get(reference, graph).ecosystem, cache.get(reference, larger).ecosystem);
  }
  // The social graph's settings matter to neighbourhood followers only; the segments to
  // community and neighbourhood followers.
  for (const std::string followers : {"uniform", "community", "neighbourhood"}) {
    const Scenario mine = campaign_scenario(base, {"partners.followers=\"" + followers + "\""});
    for (const char* change : {"graph.mean_degree=7", "segments.names=[\"a\",\"b\"]"}) {
      const bool graph_change = std::string(change).starts_with("graph");
      const Scenario other =
          graph_change ? campaign_scenario(base, {"partners.followers=\"" + followers + "\"", change})
                       : campaign_scenario(base, {"partners.followers=\"" + followers + "\"", change,
                                                  "segments.shares=[0.5,0.5]", "segments.propensity=[0.1,0.1]",
                                                  "segments.talkativeness=[1,1]", "segments.price=[1,1]",
                                                  "segments.repeat_rate=[0,0]"});
      EcosystemCache cache;
      const bool shared = cache.get(mine, graph).ecosystem == cache.get(other, graph).ecosystem;
      const bool reads = followers == "neighbourhood" || (followers == "community" && !graph_change);
      EXPECT_EQ(shared, !reads) << followers << " " << change;
    }
  }
}

}  // namespace
}  // namespace campaign
