// Bad campaign input: each mistake gives one clear line that names the place, the key
// and what is allowed (scenario/scenario.cpp validate_campaign and the list readers).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.h"
#include "scenario/scenario_loader.h"
#include "support/checks.h"

namespace campaign {
namespace {

using testing::error_of;

#define EXPECT_CONTAINS(text, part) \
  EXPECT_NE(std::string(text).find(part), std::string::npos) << "in: " << (text)

// A valid two-segment campaign: each test breaks one thing.
const char* TWO_SEGMENTS =
    "[diffusion]\nmodel = \"campaign\"\n"
    "[segments]\nnames = [\"talkers\", \"buyers\"]\nshares = [0.4, 0.6]\npropensity = [0.0, 0.3]\n"
    "talkativeness = [1.0, 1.0]\nprice = [0.0, 100.0]\nrepeat_rate = [0.0, 0.1]\n";

TEST(CampaignValidation, TheBaseScenarioIsValid) {
  EXPECT_NO_THROW(load_scenario_text(TWO_SEGMENTS, "good.toml"));
  EXPECT_NO_THROW(load_scenario_text(TWO_SEGMENTS, "good.toml",
                                     {"media.strategy=triads", "partners.count=3"}));
}

TEST(CampaignValidation, SharesMustSumToOne) {
  const std::string e = error_of(TWO_SEGMENTS, {"segments.shares=[0.4, 0.5]"});
  EXPECT_CONTAINS(e, "--set segments.shares=[0.4, 0.5]");
  EXPECT_CONTAINS(e, "segments.shares sum to 0.9");
  EXPECT_CONTAINS(e, "must sum to 1");
  // From the file: the line is named.
  const std::string line = error_of(
      "[diffusion]\nmodel = \"campaign\"\n[segments]\nshares = [0.7]\n");
  EXPECT_CONTAINS(line, "bad.toml:4");
  EXPECT_CONTAINS(line, "segments.shares sum to 0.7");
}

TEST(CampaignValidation, EverySegmentsListHasOneEntryPerSegment) {
  const std::string e = error_of(TWO_SEGMENTS, {"segments.price=[100.0]"});
  EXPECT_CONTAINS(e, "--set segments.price=[100.0]");
  EXPECT_CONTAINS(e, "segments.price has 1 entries but segments.names has 2");
  const std::string three = error_of(TWO_SEGMENTS, {"segments.repeat_rate=[0.0, 0.1, 0.2]"});
  EXPECT_CONTAINS(three, "segments.repeat_rate has 3 entries but segments.names has 2");
}

TEST(CampaignValidation, TriadsNeedThreePartners) {
  const std::string e = error_of(TWO_SEGMENTS, {"media.strategy=triads", "partners.count=2"});
  EXPECT_CONTAINS(e, "--set partners.count=2");
  EXPECT_CONTAINS(e, "needs at least 3 partners; partners.count = 2");
}

TEST(CampaignValidation, TriadsNeedAPartnerAbleToBeAChannel) {
  const std::string e = error_of(
      TWO_SEGMENTS, {"media.strategy=triads", "partners.count=5", "partners.channel_share=0"});
  EXPECT_CONTAINS(e, "--set partners.channel_share=0");
  EXPECT_CONTAINS(e, "a distribution channel, but no partner can play that role");
  // With explicit roles the roles key is named.
  const std::string roles = error_of(
      TWO_SEGMENTS, {"media.strategy=triads", "partners.count=3",
                     "partners.roles=[\"owner\", \"source\", \"owner+source\"]"});
  EXPECT_CONTAINS(roles, "partners.roles");
  EXPECT_CONTAINS(roles, "a distribution channel");
}

TEST(CampaignValidation, RolesMustBeKnownRoles) {
  const std::string e = error_of(std::string(TWO_SEGMENTS) +
                                 "[partners]\ncount = 3\nroles = [\"owner\", \"boss\", \"channel\"]\n");
  EXPECT_CONTAINS(e, "bad.toml:12");
  EXPECT_CONTAINS(e, "partners.roles[1] = \"boss\" is not allowed");
  EXPECT_CONTAINS(e, "allowed: owner, source, channel joined by '+'");
  EXPECT_CONTAINS(error_of(TWO_SEGMENTS, {"partners.count=1", "partners.roles=[\"owner+Source\"]"}),
                  "partners.roles[0] = \"owner+Source\" is not allowed");
}

TEST(CampaignValidation, PartnerListsHaveOneEntryPerPartner) {
  const std::string e = error_of(TWO_SEGMENTS, {"partners.count=3", "partners.reach=[100, 200]"});
  EXPECT_CONTAINS(e, "--set partners.reach=[100, 200]");
  EXPECT_CONTAINS(e, "partners.reach has 2 entries; it needs one per partner (partners.count = 3) or none");
  EXPECT_CONTAINS(error_of(TWO_SEGMENTS, {"partners.count=2", "partners.costs=[1.0, 2.0, 3.0]"}),
                  "partners.costs has 3 entries");
}

TEST(CampaignValidation, AgencySegmentMustBeASegment) {
  const std::string e = error_of(TWO_SEGMENTS, {"agency.segment=2"});
  EXPECT_CONTAINS(e, "--set agency.segment=2");
  EXPECT_CONTAINS(e, "agency.segment = 2 is not a segment; allowed: 0 .. 1");
}

TEST(CampaignValidation, PropensityIsAProbability) {
  const std::string e = error_of(TWO_SEGMENTS, {"segments.propensity=[0.0, 1.5]"});
  EXPECT_CONTAINS(e, "segments.propensity[1] = 1.5 is out of range; allowed: [0.0, 1.0]");
  const std::string file = error_of(
      "[diffusion]\nmodel = \"campaign\"\n[segments]\npropensity = [-0.1]\n");
  EXPECT_CONTAINS(file, "bad.toml:4: segments.propensity[0] = -0.1 is out of range");
}

}  // namespace
}  // namespace campaign
