// The partner ecosystem's files (scenario/ecosystem_files.h): cooperation pairs, followers
// and the media calendar are read into the ecosystem and the plan as written, by partner
// name or index; every bad row is one line naming file:line and the column.
#include "scenario/ecosystem_files.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/error.h"
#include "model/ecosystem.h"
#include "model/media_plan.h"
#include "scenario/scenario_loader.h"
#include "support/temp_dir.h"

namespace campaign {
namespace {

class EcosystemFiles : public testing::TempDirTest {
 protected:
  // Four named partners: ann (owner), bob (source), cat (channel), dan (all roles).
  static constexpr const char* PARTNERS =
      "name,roles,reach,credibility,cost\nann,owner,10,0.5,10\nbob,source,10,0.6,20\ncat,channel,10,0.7,30\n"
      "dan,owner+source+channel,10,0.8,40\n";

  LoadedScenario load(const std::string& extra, bool named = true) {
    if (named) write("partners.csv", PARTNERS);
    const auto scenario = write("s.toml", std::string("[run]\nsteps = 10\n[diffusion]\nmodel = \"campaign\"\n[partners]\n") +
                                              (named ? "file = \"partners.csv\"\n" : "count = 4\n") + extra);
    return load_scenario_file(scenario.string());
  }
  // The InputError's message of loading and drawing the ecosystem and the plan.
  std::string error_of(const std::string& extra, bool named = true) {
    try {
      const Scenario s = load(extra, named).scenario;
      const Ecosystem eco(s, 100);
      const MediaPlan plan(s, eco);
    } catch (const InputError& e) {
      return e.what();
    }
    ADD_FAILURE() << "no error for " << extra;
    return "";
  }
  static std::vector<NodeId> list(std::span<const NodeId> ids) { return {ids.begin(), ids.end()}; }
};

TEST_F(EcosystemFiles, CooperationAndFollowersAreReadAsWritten) {
  write("coop.csv", "partner,partner\nann,bob\n# a comment\nbob,cat\n\ncat,ann\ncat,bob\ndan,ann\n");
  write("followers.csv", "partner,person\nann,5\nann,3\nbob,99\ncat,0\ncat,0\ndan,42\n");
  const LoadedScenario loaded = load(
      "cooperation_model = \"file\"\ncooperation_file = \"coop.csv\"\nfollowers = \"file\"\n"
      "followers_file = \"followers.csv\"\n");
  // Both files are inputs of the scenario (a sweep's --resume notices them changing).
  EXPECT_EQ(std::count_if(loaded.inputs.begin(), loaded.inputs.end(),
                          [](const std::string& f) { return f.ends_with("coop.csv") || f.ends_with("followers.csv"); }),
            2);
  const Ecosystem eco(loaded.scenario, 100);
  EXPECT_EQ(list(eco.peers(0)), (std::vector<NodeId>{1, 2, 3}));  // ann: bob, cat, dan
  EXPECT_EQ(list(eco.peers(1)), (std::vector<NodeId>{0, 2}));     // bob-cat listed twice, counted once
  EXPECT_EQ(list(eco.peers(3)), (std::vector<NodeId>{0}));
  EXPECT_EQ(list(eco.followers(0)), (std::vector<NodeId>{3, 5}));
  EXPECT_EQ(list(eco.followers(2)), (std::vector<NodeId>{0}));
  EXPECT_EQ(list(eco.followers(3)), (std::vector<NodeId>{42}));
  EXPECT_EQ(eco.figures().triads.triangles, 1u);  // ann, bob, cat
  EXPECT_EQ(eco.figures().triads.role_assignments, 1u);
  // By index where the partners have no names.
  write("coop_index.csv", "partner,partner\n0,1\n1,2\n0,2\n");
  const Ecosystem by_index(load("cooperation_model = \"file\"\ncooperation_file = \"coop_index.csv\"\n", false).scenario, 100);
  EXPECT_EQ(by_index.figures().cooperating_pairs, 3u);
  EXPECT_EQ(list(by_index.peers(2)), (std::vector<NodeId>{0, 1}));
}

TEST_F(EcosystemFiles, CalendarIsThePlan) {
  write("coop.csv", "partner,partner\nann,bob\nbob,cat\ncat,ann\n");
  write("plan.csv", "step,owner,source,channel,cost\n4,ann,bob,cat,\n1,,firm,,5\n4,dan,bob,cat,7\n6,,dan,,\n");
  const Scenario s = load("cooperation_model = \"file\"\ncooperation_file = \"coop.csv\"\n[firm]\nmessage_cost = 3\n"
                          "[media]\nstrategy = \"calendar\"\ncalendar = \"plan.csv\"\nbudget = 200\n")
                         .scenario;
  const Ecosystem eco(s, 100);
  const MediaPlan plan(s, eco);
  const auto& m = plan.messages();
  ASSERT_EQ(m.size(), 4u);
  // By step, file order within a step; costs from the file where given, else the partners'.
  EXPECT_TRUE(m[0].solo);
  EXPECT_EQ(m[0].start, 1u);
  EXPECT_EQ(m[0].cost, 5.0);
  EXPECT_EQ(std::tie(m[1].start, m[1].owner, m[1].source, m[1].channel), std::make_tuple(4u, 0u, 1u, 2u));
  EXPECT_EQ(m[1].cost, 60.0);
  EXPECT_EQ(m[2].owner, 3u);  // dan and cat do not cooperate: a calendar is the user's plan
  EXPECT_EQ(m[2].cost, 7.0);
  // A partner's own message: its followers, its credibility, its cost once; not a triad.
  EXPECT_FALSE(m[3].solo);
  EXPECT_EQ(std::tie(m[3].start, m[3].owner, m[3].source, m[3].channel), std::make_tuple(6u, 3u, 3u, 3u));
  EXPECT_EQ(m[3].cost, 40.0);
  EXPECT_EQ(m[3].credibility, 0.8);
  EXPECT_EQ(m[3].audience, list(eco.followers(3)));
  EXPECT_EQ(plan.distinct_triads(), 2u);
  EXPECT_EQ(plan.events_at(5).size(), 2u);  // the events of both step-4 messages, a step later
}

TEST_F(EcosystemFiles, BadRowsNameFileLineAndColumn) {
  const auto expect_error = [&](const std::string& extra, const std::string& wanted, bool named = true) {
    const std::string message = error_of(extra, named);
    EXPECT_NE(message.find(wanted), std::string::npos) << message << "\n  wanted: " << wanted;
    EXPECT_EQ(message.find('\n'), std::string::npos) << "one line: " << message;
  };
  const std::string coop = "cooperation_model = \"file\"\ncooperation_file = \"coop.csv\"\n";
  write("coop.csv", "partner,partner\nann,bob\nann,eve\n");
  expect_error(coop, "coop.csv:3: column partner = 'eve' is not a partner; allowed: a name in partners.file");
  write("coop.csv", "partner,partner\n0,1\n1,4\n");
  expect_error(coop, "coop.csv:3: column partner = '4' is not allowed; allowed: an integer in 0 .. 3", false);
  write("coop.csv", "partner,partner\nann,ann\n");
  expect_error(coop, "coop.csv:2: partner 'ann' is paired with itself");
  write("coop.csv", "a,b\nann,bob\n");
  expect_error(coop, "coop.csv:1: expected the header partner,partner, got 'a,b'");
  write("coop.csv", "partner,partner\nann,bob,cat\n");
  expect_error(coop, "coop.csv:2: expected 2 columns (partner,partner), got 3");
  expect_error("cooperation_model = \"file\"\ncooperation_file = \"missing.csv\"\n",
               "missing.csv: cannot read cooperation named by partners.cooperation_file");
  const std::string followers = "followers = \"file\"\nfollowers_file = \"f.csv\"\n";
  write("f.csv", "partner,person\nann,100\n");
  expect_error(followers, "f.csv:2: column person = '100' is not allowed; allowed: an integer in 0 .. 99");
  write("f.csv", "partner,person\nann,-1\n");
  expect_error(followers, "f.csv:2: column person = '-1'");
  write("f.csv", "partner,person\nzed,1\n");
  expect_error(followers, "f.csv:2: column partner = 'zed' is not a partner");
  const std::string calendar = "[media]\nstrategy = \"calendar\"\ncalendar = \"plan.csv\"\nbudget = 100\n";
  write("plan.csv", "step,owner,source,channel\n3,bob,ann,cat\n");
  expect_error(calendar, "plan.csv:2: column owner: partner bob cannot be an event owner");
  write("plan.csv", "step,owner,source,channel\n11,ann,bob,cat\n");
  expect_error(calendar, "plan.csv:2: column step = '11' is not allowed; allowed: an integer in 0 .. 10");
  write("plan.csv", "step,owner,source,channel\n1,ann,bob,cat\n2,ann,bob,cat\n");
  expect_error(calendar, "plan.csv:3: column cost: this message (60) brings the calendar over media.budget = 100 (40 left)");
  write("plan.csv", "step,owner,source,channel\n1,ann,firm,cat\n");
  expect_error(calendar, "plan.csv:2: a firm message (source firm) leaves owner and channel empty");
  write("plan.csv", "step,owner,source,channel\n2,,cat,\n");
  expect_error(calendar, "plan.csv:2: column source: partner cat cannot be an information source");
  write("plan.csv", "step,owner,source,channel\n1,ann,ann,cat\n");
  expect_error(calendar, "plan.csv:2: owner, source and channel must be three different partners");
  // A file without the model that reads it, and the reverse, are refused at load.
  try {
    load("followers_file = \"f.csv\"\n");
    ADD_FAILURE() << "accepted followers_file without followers = \"file\"";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("partners.followers_file is given, but partners.followers is not \"file\""),
              std::string::npos)
        << e.what();
  }
  try {
    load("[media]\nstrategy = \"calendar\"\n");
    ADD_FAILURE() << "accepted strategy calendar without media.calendar";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("media.strategy = \"calendar\" needs media.calendar"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace campaign
