// The campaign model reduces, draw for draw, to the engine's two validation models
// (campaign.h): with media, funnel and agency off and word_of_mouth.lifetime = 1 it is the
// independent cascade; with broadcast advertising p and lifetime > steps it is network
// Bass. "Reduces" means bit for bit: same seeds, same coins, so every replication's
// newly_adopted / total_adopted / active and every summary of them are equal (EXPECT_EQ on
// doubles, no tolerance). segments.propensity = 0 turns the funnel off; with the funnel on
// but conversion 0, leads are made and lost but word of mouth must not change.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "graph/generators.h"
#include "model/campaign.h"
#include "support/simulate.h"

namespace campaign {
namespace {

using testing::scenario_from;
using testing::simulate;

// Campaign keys that switch every campaign mechanism off except word of mouth. Style 0.5
// is neutral: transmission x (0.5 + style) = transmission, lifetime x (1.5 - style) =
// lifetime. Talkativeness 1 and forgetting 0 are spelled out for the same reason.
std::string campaign_core(double transmission, std::uint32_t lifetime, double advertising,
                          double propensity, double conversion) {
  return "[diffusion]\nmodel = \"campaign\"\n"
         "[segments]\nnames = [\"all\"]\nshares = [1.0]\npropensity = [" +
         std::to_string(propensity) +
         "]\ntalkativeness = [1.0]\nprice = [100.0]\nrepeat_rate = [0.0]\n"
         "[media]\nstrategy = \"none\"\nadvertising = " +
         std::to_string(advertising) +
         "\n"
         "[word_of_mouth]\ntransmission = " +
         std::to_string(transmission) + "\nlifetime = " + std::to_string(lifetime) +
         "\nforgetting = 0.0\nstyle = 0.5\n"
         "[funnel]\nconversion = " +
         std::to_string(conversion) + "\n[agency]\nbudget_per_step = 0.0\n";
}

void expect_same_diffusion(const RunAccumulator& reference, const RunAccumulator& campaign) {
  ASSERT_EQ(reference.replications(), campaign.replications());
  // The campaign's first three metrics are the diffusion metrics, in the same order.
  for (std::size_t m : {NEWLY_ADOPTED, TOTAL_ADOPTED, ACTIVE}) {
    ASSERT_EQ(reference.metric_names()[m], campaign.metric_names()[m]);
    EXPECT_EQ(reference.finals(m), campaign.finals(m)) << reference.metric_names()[m];
    const SeriesSummary x = reference.series(m), y = campaign.series(m);
    for (const auto member : {&SeriesSummary::mean, &SeriesSummary::sd, &SeriesSummary::p05,
                              &SeriesSummary::p50, &SeriesSummary::p95, &SeriesSummary::ci95_lo,
                              &SeriesSummary::ci95_hi}) {
      EXPECT_EQ(x.*member, y.*member) << reference.metric_names()[m];
    }
  }
}

// Replication by replication through the kernels, every step.
void expect_same_trajectories(const Scenario& reference, const Scenario& campaign,
                              const CsrGraph& graph, Replication replications) {
  const auto a = make_model(reference, graph);
  const auto b = make_model(campaign, graph);
  auto ka = a->make_kernel();
  auto kb = b->make_kernel();
  for (Replication r = 0; r < replications; ++r) {
    Trajectory x(a->metric_names().size(), reference.run.steps);
    Trajectory y(b->metric_names().size(), campaign.run.steps);
    ka->simulate(r, x);
    kb->simulate(r, y);
    for (std::size_t m : {NEWLY_ADOPTED, TOTAL_ADOPTED, ACTIVE}) {
      const auto xs = x.metric(m), ys = y.metric(m);
      ASSERT_EQ(std::vector<double>(xs.begin(), xs.end()), std::vector<double>(ys.begin(), ys.end()))
          << "replication " << r << ", " << a->metric_names()[m];
    }
  }
}

const char* CASCADE =
    "[run]\nreplications = 200\nsteps = 20\nseed = 23\n[audience]\nsize = 3000\n"
    "[graph]\nmodel = \"erdos_renyi\"\nmean_degree = 8\n"
    "[diffusion]\nmodel = \"independent_cascade\"\ntransmission = 0.15\n[seeding]\ncount = 3\n";

TEST(CampaignReduction, IndependentCascadeBitForBit) {
  const Scenario ic = scenario_from(CASCADE);
  const Scenario cm = scenario_from(std::string(CASCADE).substr(0, std::string(CASCADE).find("[diffusion]")) +
                                    "[seeding]\ncount = 3\n" + campaign_core(0.15, 1, 0.0, 0.0, 0.3));
  ASSERT_EQ(cm.diffusion.model, DiffusionModel::campaign);
  const CsrGraph graph = erdos_renyi(3000, 8.0 / 2999, ic.run.seed);
  const RunAccumulator a = simulate(ic, graph), b = simulate(cm, graph);
  expect_same_diffusion(a, b);
  expect_same_trajectories(ic, cm, graph, 30);
  // Not a comparison of empty runs: R0 = 8 x 0.15 = 1.2, so cascades do spread.
  EXPECT_GT(a.series(TOTAL_ADOPTED).mean[20], 20.0);
  // The funnel is off: nobody became a lead.
  EXPECT_EQ(b.series(CM_LEADS).mean[20], 0.0);
}

const char* BASS =
    "[run]\nreplications = 150\nsteps = 15\nseed = 41\n[audience]\nsize = 2000\n"
    "[graph]\nmodel = \"erdos_renyi\"\nmean_degree = 6\n"
    "[diffusion]\nmodel = \"network_bass\"\np = 0.01\nq = 0.05\n[seeding]\ncount = 2\n";

Scenario bass_as_campaign(double propensity, double conversion) {
  // p -> media.advertising, q -> word_of_mouth.transmission; adopters talk for the whole
  // run: lifetime = steps + 1 (a talker of step s talks in s + 1 .. s + lifetime).
  const std::string text = BASS;
  return scenario_from(text.substr(0, text.find("[diffusion]")) + "[seeding]\ncount = 2\n" +
                       campaign_core(0.05, 16, 0.01, propensity, conversion));
}

TEST(CampaignReduction, NetworkBassBitForBit) {
  const Scenario bass = scenario_from(BASS);
  const Scenario cm = bass_as_campaign(0.0, 0.3);
  ASSERT_EQ(cm.word_of_mouth.lifetime, cm.run.steps + 1);
  const CsrGraph graph = erdos_renyi(2000, 6.0 / 1999, bass.run.seed);
  const RunAccumulator a = simulate(bass, graph), b = simulate(cm, graph);
  expect_same_diffusion(a, b);
  expect_same_trajectories(bass, cm, graph, 20);
  EXPECT_GT(a.series(TOTAL_ADOPTED).mean[15], 300.0);  // advertising alone: ~ 2000 x 0.14
}

// Fast adoption: nearly everyone adopts within the first steps, so from then on most
// adopters have no contact left to reach and network Bass stops their talks
// (network_bass.h), while the campaign's talkers go on talking to no effect. Dropping
// those talks must change nothing, step by step.
TEST(CampaignReduction, NetworkBassBitForBitPastSaturation) {
  const std::string text = BASS;
  const std::string head = text.substr(0, text.find("[diffusion]"));
  const Scenario bass =
      scenario_from(head + "[diffusion]\nmodel = \"network_bass\"\np = 0.15\nq = 0.3\n[seeding]\ncount = 2\n");
  const Scenario cm = scenario_from(head + "[seeding]\ncount = 2\n" + campaign_core(0.3, 16, 0.15, 0.0, 0.3));
  const CsrGraph graph = erdos_renyi(2000, 6.0 / 1999, bass.run.seed);
  const RunAccumulator a = simulate(bass, graph), b = simulate(cm, graph);
  expect_same_diffusion(a, b);
  expect_same_trajectories(bass, cm, graph, 20);
  // Saturated well before the last step: the contacts of most adopters have all adopted.
  EXPECT_GT(a.series(TOTAL_ADOPTED).mean[8], 0.99 * 2000);
  EXPECT_LT(a.series(TOTAL_ADOPTED).mean[3], 0.9 * 2000);  // but not at once
}

TEST(CampaignReduction, LeadsDoNotChangeWordOfMouth) {
  // Funnel on (propensity 0.3) but conversion 0: interested people become leads, are
  // processed and lost; nobody buys, so nobody advocates. Adoption (interest) is the
  // independent cascade's, bit for bit.
  const Scenario ic = scenario_from(CASCADE);
  const Scenario cm = scenario_from(std::string(CASCADE).substr(0, std::string(CASCADE).find("[diffusion]")) +
                                    "[seeding]\ncount = 3\n" + campaign_core(0.15, 1, 0.0, 0.3, 0.0));
  const CsrGraph graph = erdos_renyi(3000, 8.0 / 2999, ic.run.seed);
  const RunAccumulator a = simulate(ic, graph), b = simulate(cm, graph);
  expect_same_diffusion(a, b);
  // The funnel did run: leads were made, and every one was processed (capacity is
  // unlimited) and did not convert.
  EXPECT_GT(b.series(CM_LEADS).mean[20], 5.0);
  EXPECT_EQ(b.finals(CM_LEADS), b.finals(CM_LEADS_NOT_CONVERTED));
  for (double customers : b.finals(CM_CUSTOMERS)) EXPECT_EQ(customers, 0.0);

  // The same holds against network Bass, where leads keep talking for the whole run.
  const Scenario bass = scenario_from(BASS);
  const CsrGraph bass_graph = erdos_renyi(2000, 6.0 / 1999, bass.run.seed);
  const RunAccumulator c = simulate(bass, bass_graph), d = simulate(bass_as_campaign(0.3, 0.0), bass_graph);
  expect_same_diffusion(c, d);
  EXPECT_GT(d.series(CM_LEADS).mean[15], 50.0);
}

}  // namespace
}  // namespace campaign
