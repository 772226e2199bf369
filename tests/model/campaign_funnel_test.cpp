// The sales funnel: where each lead goes. First the performance-marketing paradox against
// closed forms (a performance agency buying Poisson leads into a funnel of fixed
// capacity), then exact unit tests of each leak on tiny hand-checked scenarios.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "graph/generators.h"
#include "model/campaign.h"
#include "sim/runner.h"
#include "support/simulate.h"
#include "support/checks.h"

namespace campaign {
namespace {

using testing::mean_of;
using testing::sd_of;

// E[min(X, cap)] for X ~ Poisson(lambda), summing the pmf: cap - sum_{k<cap} (cap - k) P(k).
double expected_min_poisson(double lambda, int cap) {
  double p = std::exp(-lambda), shortfall = 0;
  for (int k = 0; k < cap; ++k) {
    shortfall += (cap - k) * p;
    p *= lambda / (k + 1);
  }
  return cap - shortfall;
}

struct RunResult {
  RunAccumulator acc;
  std::vector<DerivedFinal> derived;
};

RunResult run(const Scenario& s, const CsrGraph& graph) {
  const auto model = make_model(s, graph);
  RunAccumulator acc(model->metric_names(), s.run.steps);
  RunOptions options;
  options.replications = s.run.replications;
  options.steps = s.run.steps;
  run_replications(*model, options, acc, nullptr);
  auto derived = model->derived_finals(acc);
  return {std::move(acc), std::move(derived)};
}

const std::vector<double>& derived(const RunResult& r, const std::string& name) {
  for (const auto& d : r.derived) {
    if (d.name == name) return d.values;
  }
  throw std::logic_error("no derived final " + name);
}

// No word of mouth, no seeds, no media, nobody in the audience becomes a lead: the only
// leads are the agency's, Poisson(budget / 10) per step, into a funnel that processes 40
// per step and loses the rest the same step (patience 0); a processed lead buys with 0.1.
const char* PARADOX =
    "[run]\nreplications = 400\nsteps = 50\nseed = 31\n[audience]\nsize = 10\n"
    "[graph]\nmodel = \"complete\"\n[diffusion]\nmodel = \"campaign\"\n[seeding]\ncount = 0\n"
    "[segments]\npropensity = [0.0]\n[media]\nstrategy = \"none\"\n"
    "[word_of_mouth]\ntransmission = 0.0\n"
    "[funnel]\ncapacity = 40\npatience = 0\nconversion = 0.10\n"
    "[agency]\ncost_per_lead = 10\nhandoffs = 0\n";

Scenario paradox(double budget) {
  return load_scenario_text(PARADOX, "paradox.toml",
                            {"agency.budget_per_step=" + std::to_string(budget)})
      .scenario;
}

TEST(PerformanceParadox, ExactExpectations) {
  // The closed forms the statistical tests below compare with.
  EXPECT_NEAR(expected_min_poisson(30, 40), 29.9048, 1e-4);
  EXPECT_NEAR(0.1 * expected_min_poisson(30, 40), 2.99048, 1e-5);
  EXPECT_NEAR(300 / (0.1 * expected_min_poisson(30, 40)), 100.32, 1e-2);
  // At budget 2000 the funnel is saturated: P(Poisson(200) < 40) < 1e-40.
  EXPECT_NEAR(expected_min_poisson(200, 40), 40.0, 1e-12);
  EXPECT_NEAR((200 - expected_min_poisson(200, 40)) / 200, 0.8, 1e-12);
}

TEST(PerformanceParadox, ModestBudgetCustomersAndCostOfAcquisition) {
  const Scenario s = paradox(300);
  const double steps = s.run.steps, R = s.run.replications;
  const RunResult result = run(s, complete_graph(10));
  const RunAccumulator& acc = result.acc;
  EXPECT_EQ(acc.finals(CM_AGENCY_REFUSED)[0], 0.0);

  // Customers per step: E = 0.1 x E[min(Poisson(30), 40)] = 2.99048 (pmf sum above); the
  // steps are independent (patience 0 leaves nothing queued), so the per-replication mean
  // over 50 steps has sd about sqrt(2.97 / 50); allowed: 4 sd / sqrt(R) of the sample.
  const double exact_customers = 0.1 * expected_min_poisson(30, 40);
  std::vector<double> per_step;
  for (double c : acc.finals(CM_CUSTOMERS)) per_step.push_back(c / steps);
  EXPECT_LE(std::abs(mean_of(per_step) - exact_customers), 4 * sd_of(per_step) / std::sqrt(R))
      << "mean customers per step " << mean_of(per_step);

  // Leads bought per step: Poisson(30).
  std::vector<double> leads_per_step;
  for (double l : acc.finals(CM_AGENCY_LEADS)) leads_per_step.push_back(l / steps);
  EXPECT_LE(std::abs(mean_of(leads_per_step) - 30.0), 4 * sd_of(leads_per_step) / std::sqrt(R));

  // Cost of acquisition. Exact value: E[marketing] / E[customers] = 10 x 30 / 2.99048 =
  // 100.318. The residual d = marketing - 100.318 x customers has mean exactly 0, so the
  // ratio-of-means test is |mean d| <= 4 sd(d) / sqrt(R).
  const double exact_cac = 300.0 / exact_customers;
  const auto& marketing = acc.finals(CM_MARKETING_COST);
  const auto& customers = acc.finals(CM_CUSTOMERS);
  std::vector<double> residual;
  for (std::size_t r = 0; r < marketing.size(); ++r) {
    residual.push_back(marketing[r] - exact_cac * customers[r]);
    // Only the agency spends: marketing = 10 per lead bought.
    EXPECT_EQ(marketing[r], 10.0 * acc.finals(CM_AGENCY_LEADS)[r]) << r;
  }
  EXPECT_LE(std::abs(mean_of(residual)), 4 * sd_of(residual) / std::sqrt(R));

  // The derived per-replication cac = marketing / customers. Its mean carries the
  // ratio estimator's bias, about cac x (Var C / E[C]^2 - Cov(M, C) / (E[M] E[C])) =
  // 100.3 x (148.6 / 149.5^2 - 1400 / (15000 x 149.5)) = +0.6 (0.6%), so allowed:
  // 4 sd / sqrt(R) + 1% of the exact value.
  const auto& cac = derived(result, "cac");
  ASSERT_EQ(cac.size(), marketing.size());
  for (std::size_t r = 0; r < cac.size(); ++r) EXPECT_EQ(cac[r], marketing[r] / customers[r]);
  EXPECT_LE(std::abs(mean_of(cac) - exact_cac), 4 * sd_of(cac) / std::sqrt(R) + 0.01 * exact_cac)
      << "mean cac " << mean_of(cac);
  EXPECT_NEAR(exact_cac, 100.32, 0.01);
}

TEST(PerformanceParadox, SaturatedFunnelLosesEightyPercentToCapacity) {
  const Scenario s = paradox(2000);
  const double steps = s.run.steps, R = s.run.replications;
  const RunResult result = run(s, complete_graph(10));
  const RunAccumulator& acc = result.acc;

  // Pathwise: every step buys >= 40 leads (P(Poisson(200) < 40) < 1e-40), so exactly 40
  // are processed per step and every other lead is lost to capacity the same step.
  for (std::size_t r = 0; r < acc.finals(CM_LEADS).size(); ++r) {
    EXPECT_EQ(acc.finals(CM_CUSTOMERS)[r] + acc.finals(CM_LEADS_NOT_CONVERTED)[r], 40 * steps) << r;
    EXPECT_EQ(acc.finals(CM_LEADS_LOST_CAPACITY)[r], acc.finals(CM_LEADS)[r] - 40 * steps) << r;
  }

  // Customers per step: 0.1 x 40 = 4.000; allowed 4 sd / sqrt(R).
  std::vector<double> per_step, residual_cac, share, residual_share;
  const double exact_lost_share = (200 - expected_min_poisson(200, 40)) / 200;  // 0.8
  for (std::size_t r = 0; r < acc.finals(CM_CUSTOMERS).size(); ++r) {
    const double c = acc.finals(CM_CUSTOMERS)[r], m = acc.finals(CM_MARKETING_COST)[r];
    const double leads = acc.finals(CM_LEADS)[r], lost = acc.finals(CM_LEADS_LOST_CAPACITY)[r];
    per_step.push_back(c / steps);
    residual_cac.push_back(m - 500.0 * c);  // CAC = 2000 / 4 = 500; mean exactly 0
    share.push_back(lost / leads);
    residual_share.push_back(lost - exact_lost_share * leads);  // mean 0 up to 1e-40
  }
  EXPECT_LE(std::abs(mean_of(per_step) - 4.0), 4 * sd_of(per_step) / std::sqrt(R));
  EXPECT_LE(std::abs(mean_of(residual_cac)), 4 * sd_of(residual_cac) / std::sqrt(R));
  // Share of leads lost to capacity: E[lost] / E[leads] = (200 - 40) / 200 = 0.8. The mean
  // of the per-replication share differs from it by about 0.2 Var(L) / E[L]^2 = 2e-5
  // (L ~ Poisson(10000)), far below the allowance 4 sd / sqrt(R) (about 4e-4).
  EXPECT_LE(std::abs(mean_of(share) - 0.8), 4 * sd_of(share) / std::sqrt(R)) << mean_of(share);
  EXPECT_LE(std::abs(mean_of(residual_share)), 4 * sd_of(residual_share) / std::sqrt(R));
  // The derived cac has mean near 500 (bias below 0.1% here: C ~ 200 +- 13).
  EXPECT_LE(std::abs(mean_of(derived(result, "cac")) - 500.0),
            4 * sd_of(derived(result, "cac")) / std::sqrt(R) + 0.005 * 500);
}

// ---- Exact funnel mechanics -------------------------------------------------------------
// Ten people, all seeded: at step 1 every one becomes a lead (propensity 1), arriving at
// step 1. Word of mouth is off. Unless a test says otherwise, every processed lead buys
// (conversion 1) and is satisfied (quality 1); capacity and stock are unlimited.

const char* TEN_LEADS =
    "[run]\nsteps = 6\nseed = 3\n[audience]\nsize = 10\n[graph]\nmodel = \"complete\"\n"
    "[diffusion]\nmodel = \"campaign\"\n[seeding]\ncount = 10\n[segments]\npropensity = [1.0]\n"
    "price = [50.0]\n[word_of_mouth]\ntransmission = 0.0\n"
    "[funnel]\nconversion = 1.0\nquality = 1.0\npatience = 100\n";

Trajectory run_one(const std::vector<std::string>& overrides, const char* text = TEN_LEADS,
                   Replication r = 0) {
  const Scenario s = load_scenario_text(text, "funnel.toml", overrides).scenario;
  const CsrGraph graph = complete_graph(s.audience.size);
  const auto model = make_model(s, graph);
  Trajectory out(model->metric_names().size(), s.run.steps);
  model->make_kernel()->simulate(r, out);
  return out;
}

std::vector<double> series(const Trajectory& out, std::size_t metric) {
  const auto m = out.metric(metric);
  return {m.begin(), m.end()};
}

TEST(FunnelMechanics, BaselineEveryLeadBuysAtOnce) {
  const Trajectory out = run_one({});
  EXPECT_EQ(series(out, CM_LEADS), (std::vector<double>{0, 10, 10, 10, 10, 10, 10}));
  EXPECT_EQ(series(out, CM_CUSTOMERS), (std::vector<double>{0, 10, 10, 10, 10, 10, 10}));
  EXPECT_EQ(out.at(CM_REVENUE, 6), 500.0);
  EXPECT_EQ(out.at(CM_ADVOCATES, 1), 10.0);
}

TEST(FunnelMechanics, PatienceLeadWaitsThenIsLostToCapacity) {
  // Capacity 2, patience 3: a lead that arrived at step 1 is processed in steps 1 .. 4
  // or lost at the end of step 1 + 3.
  const Trajectory out = run_one({"funnel.capacity=2", "funnel.patience=3"});
  EXPECT_EQ(series(out, CM_CUSTOMERS), (std::vector<double>{0, 2, 4, 6, 8, 8, 8}));
  EXPECT_EQ(series(out, CM_LEADS_QUEUED), (std::vector<double>{0, 8, 6, 4, 0, 0, 0}));
  EXPECT_EQ(series(out, CM_LEADS_LOST_CAPACITY), (std::vector<double>{0, 0, 0, 0, 2, 2, 2}));
  // Patience 0: lost the same step.
  const Trajectory now = run_one({"funnel.capacity=2", "funnel.patience=0"});
  EXPECT_EQ(series(now, CM_CUSTOMERS), (std::vector<double>{0, 2, 2, 2, 2, 2, 2}));
  EXPECT_EQ(series(now, CM_LEADS_LOST_CAPACITY), (std::vector<double>{0, 8, 8, 8, 8, 8, 8}));
  EXPECT_EQ(series(now, CM_LEADS_QUEUED), (std::vector<double>{0, 0, 0, 0, 0, 0, 0}));
}

TEST(FunnelMechanics, StockRunsOutAfterThreeSales) {
  const Trajectory out = run_one({"funnel.capacity=2", "funnel.stock=3"});
  EXPECT_EQ(series(out, CM_CUSTOMERS), (std::vector<double>{0, 2, 3, 3, 3, 3, 3}));
  EXPECT_EQ(series(out, CM_LEADS_LOST_STOCK), (std::vector<double>{0, 0, 1, 3, 5, 7, 7}));
  EXPECT_EQ(series(out, CM_LEADS_QUEUED), (std::vector<double>{0, 8, 6, 4, 2, 0, 0}));
  EXPECT_EQ(out.at(CM_REVENUE, 6), 150.0);
}

TEST(FunnelMechanics, RestockAddsUnitsEveryRestockSteps) {
  // One lead per step, no stock at first, one unit at the end of every even step.
  const std::vector<double> customers{0, 0, 0, 1, 1, 2, 2}, lost{0, 1, 2, 2, 3, 3, 4};
  const Trajectory out = run_one({"funnel.capacity=1", "funnel.stock=0", "funnel.restock_every=2",
                                  "funnel.restock_amount=1"});
  EXPECT_EQ(series(out, CM_CUSTOMERS), customers);
  EXPECT_EQ(series(out, CM_LEADS_LOST_STOCK), lost);
  // Focus 0.5 halves both the restock (2 -> 1 unit) and the capacity (2 -> 1 lead).
  const Trajectory half = run_one({"funnel.capacity=2", "funnel.focus=0.5", "funnel.stock=0",
                                   "funnel.restock_every=2", "funnel.restock_amount=2"});
  EXPECT_EQ(series(half, CM_CUSTOMERS), customers);
  EXPECT_EQ(series(half, CM_LEADS_LOST_STOCK), lost);
}

TEST(FunnelMechanics, OrderUpToRefillsToTheLevelAndNeverRemovesStock) {
  // The ten leads of step 1, one processed a step, a level of 1 unit refilled every step:
  // every lead buys.
  const Trajectory refilled = run_one({"funnel.capacity=1", "funnel.stock=1", "funnel.restock_every=1",
                                       "funnel.restock_amount=1", "funnel.restock_policy=\"order_up_to\""});
  EXPECT_EQ(series(refilled, CM_CUSTOMERS), (std::vector<double>{0, 1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(refilled.at(CM_LEADS_LOST_STOCK, 6), 0.0);
  // Three processed a step from an empty shelf refilled to 2: 3 lost, then 2 sold and 1
  // lost a step, then the last lead sold.
  const Trajectory level = run_one({"funnel.capacity=3", "funnel.stock=0", "funnel.restock_every=1",
                                    "funnel.restock_amount=2", "funnel.restock_policy=\"order_up_to\""});
  EXPECT_EQ(series(level, CM_CUSTOMERS), (std::vector<double>{0, 0, 2, 4, 5, 5, 5}));
  EXPECT_EQ(series(level, CM_LEADS_LOST_STOCK), (std::vector<double>{0, 3, 4, 5, 5, 5, 5}));
  // A stock above the level is kept: 9 units, level 1, three leads a step.
  const Trajectory above = run_one({"funnel.capacity=3", "funnel.stock=9", "funnel.restock_every=1",
                                    "funnel.restock_amount=1", "funnel.restock_policy=\"order_up_to\""});
  EXPECT_EQ(series(above, CM_CUSTOMERS), (std::vector<double>{0, 3, 6, 9, 10, 10, 10}));
}

// Retail's order-up-to rule against its closed form: demand D ~ Poisson(20) a step (the
// agency's leads, all buying at once), a shelf of 20 refilled to 20 at every step's end.
// Lost sales per step E[(D - 20)+] = 20 - E[min(D, 20)] = 1.77671 and the fill rate
// E[min(D, 20)] / 20 = 0.911165 (pmf sums, below). Steps are independent, so each
// replication's per-step mean is tested: |mean - exact| <= 4 sd / sqrt(R).
TEST(FunnelMechanics, OrderUpToAgainstThePoissonClosedForm) {
  EXPECT_NEAR(20 - expected_min_poisson(20, 20), 1.77671, 1e-5);
  EXPECT_NEAR(expected_min_poisson(20, 20) / 20, 0.911165, 1e-6);
  const Scenario s = load_scenario_text(PARADOX, "order_up_to.toml",
                                        {"agency.budget_per_step=200", "funnel.capacity=inf",
                                         "funnel.conversion=1", "funnel.stock=20", "funnel.restock_every=1",
                                         "funnel.restock_amount=20", "funnel.restock_policy=\"order_up_to\""})
                         .scenario;
  const double steps = s.run.steps, R = s.run.replications;
  const RunResult result = run(s, complete_graph(10));
  const double exact_lost = 20 - expected_min_poisson(20, 20), fill = expected_min_poisson(20, 20) / 20;
  std::vector<double> lost, residual;
  for (std::size_t r = 0; r < R; ++r) {
    lost.push_back(result.acc.finals(CM_LEADS_LOST_STOCK)[r] / steps);
    residual.push_back(result.acc.finals(CM_CUSTOMERS)[r] - fill * result.acc.finals(CM_AGENCY_LEADS)[r]);
  }
  EXPECT_LE(std::abs(mean_of(lost) - exact_lost), 4 * sd_of(lost) / std::sqrt(R)) << mean_of(lost);
  // The fill rate as a ratio of means: customers - 0.911165 x leads has mean 0.
  EXPECT_LE(std::abs(mean_of(residual)), 4 * sd_of(residual) / std::sqrt(R)) << mean_of(residual);
}

TEST(FunnelMechanics, FocusScalesCapacity) {
  const char* twenty =
      "[run]\nsteps = 5\nseed = 3\n[audience]\nsize = 20\n[graph]\nmodel = \"complete\"\n"
      "[diffusion]\nmodel = \"campaign\"\n[seeding]\ncount = 20\n[segments]\npropensity = [1.0]\n"
      "[word_of_mouth]\ntransmission = 0.0\n[funnel]\nconversion = 1.0\npatience = 100\n";
  const std::vector<double> five_per_step{0, 5, 10, 15, 20, 20};
  EXPECT_EQ(series(run_one({"funnel.capacity=10", "funnel.focus=0.5"}, twenty), CM_CUSTOMERS),
            five_per_step);
  // 11 x 0.5 = 5.5 leads per step: whole leads only, so still 5.
  EXPECT_EQ(series(run_one({"funnel.capacity=11", "funnel.focus=0.5"}, twenty), CM_CUSTOMERS),
            five_per_step);
  EXPECT_EQ(series(run_one({"funnel.capacity=10", "funnel.focus=1.0"}, twenty), CM_CUSTOMERS),
            (std::vector<double>{0, 10, 20, 20, 20, 20}));
  // Focus 0 leaves no capacity, even of an unlimited staff (the default): every lead waits.
  const Trajectory idle = run_one({"funnel.focus=0.0"}, twenty);
  EXPECT_EQ(series(idle, CM_CUSTOMERS), (std::vector<double>(6, 0.0)));
  EXPECT_EQ(series(idle, CM_LEADS_QUEUED), (std::vector<double>{0, 20, 20, 20, 20, 20}));
}

TEST(FunnelMechanics, BuyersWhoCannotReachSupportAreLost) {
  // Ten buyers in step 1, all need support, support serves 2 per step.
  const Trajectory out = run_one({"funnel.support_need=1", "funnel.support_capacity=2"});
  EXPECT_EQ(out.at(CM_CUSTOMERS, 1), 10.0);
  EXPECT_EQ(series(out, CM_LOST_SUPPORT), (std::vector<double>{0, 8, 8, 8, 8, 8, 8}));
  EXPECT_EQ(out.at(CM_LOST_QUALITY, 6), 0.0);
  EXPECT_EQ(out.at(CM_ADVOCATES, 1), 2.0);
  EXPECT_EQ(out.at(CM_DETRACTORS, 1), 8.0);
  // Focus scales support too: 4 x 0.5 = 2.
  const Trajectory half = run_one({"funnel.support_need=1", "funnel.support_capacity=4", "funnel.focus=0.5"});
  EXPECT_EQ(half.at(CM_LOST_SUPPORT, 6), 8.0);
}

TEST(FunnelMechanics, WorthlessProductDissatisfiesEveryBuyer) {
  const Trajectory out = run_one({"funnel.quality=0"});
  EXPECT_EQ(out.at(CM_CUSTOMERS, 6), 10.0);
  EXPECT_EQ(series(out, CM_LOST_QUALITY), (std::vector<double>{0, 10, 10, 10, 10, 10, 10}));
  EXPECT_EQ(out.at(CM_LOST_SUPPORT, 6), 0.0);
  EXPECT_EQ(out.at(CM_ADVOCATES, 1), 0.0);
  EXPECT_EQ(out.at(CM_DETRACTORS, 1), 10.0);
  // With support for 2 of 10: 8 lost to support, the 2 supported are lost to quality;
  // each buyer has one cause.
  const Trajectory both = run_one({"funnel.quality=0", "funnel.support_need=1", "funnel.support_capacity=2"});
  EXPECT_EQ(both.at(CM_LOST_SUPPORT, 6), 8.0);
  EXPECT_EQ(both.at(CM_LOST_QUALITY, 6), 2.0);
}

// Agency only: no seeds, nobody in the audience becomes a lead.
const char* AGENCY =
    "[run]\nreplications = 20\nsteps = 50\nseed = 8\n[audience]\nsize = 10\n"
    "[graph]\nmodel = \"complete\"\n[diffusion]\nmodel = \"campaign\"\n[seeding]\ncount = 0\n"
    "[segments]\npropensity = [0.0]\n[word_of_mouth]\ntransmission = 0.0\n"
    "[funnel]\nconversion = 1.0\n[agency]\nbudget_per_step = 100\ncost_per_lead = 10\n";

TEST(FunnelMechanics, EveryHandoffWithTotalLossLosesTheLead) {
  const Trajectory out = run_one({"agency.handoffs=2", "agency.handoff_loss=1"}, AGENCY);
  EXPECT_GT(out.at(CM_AGENCY_LEADS, 50), 300.0);  // Poisson(10) a step for 50 steps
  for (Step t = 0; t <= 50; ++t) {
    EXPECT_EQ(out.at(CM_LEADS_LOST_HANDOFF, t), out.at(CM_AGENCY_LEADS, t)) << t;
    EXPECT_EQ(out.at(CM_LEADS, t), out.at(CM_AGENCY_LEADS, t)) << t;
    EXPECT_EQ(out.at(CM_CUSTOMERS, t), 0.0) << t;
  }
  // No handoffs: nothing lost in handoff, whatever handoff_loss says.
  const Trajectory direct = run_one({"agency.handoffs=0", "agency.handoff_loss=1"}, AGENCY);
  EXPECT_EQ(direct.at(CM_LEADS_LOST_HANDOFF, 50), 0.0);
  EXPECT_EQ(direct.at(CM_CUSTOMERS, 50), direct.at(CM_AGENCY_LEADS, 50));
}

TEST(FunnelMechanics, HandoffLossCompoundsPerContractor) {
  // Two handoffs losing half each: a lead survives with 0.25 (the coin's threshold is
  // exactly 2^30). Pooled over 20 replications x 50 steps (~10000 leads) the lost share
  // is binomial; allowed 4 sd = 4 sqrt(0.1875 / leads).
  const Scenario s = load_scenario_text(AGENCY, "agency.toml",
                                        {"agency.handoffs=2", "agency.handoff_loss=0.5"}).scenario;
  const RunAccumulator acc = testing::simulate(s, complete_graph(10));
  const auto& lost = acc.finals(CM_LEADS_LOST_HANDOFF);
  const auto& bought = acc.finals(CM_AGENCY_LEADS);
  const double total_lost = std::accumulate(lost.begin(), lost.end(), 0.0);
  const double total_bought = std::accumulate(bought.begin(), bought.end(), 0.0);
  ASSERT_GT(total_bought, 5000.0);
  EXPECT_LE(std::abs(total_lost / total_bought - 0.75), 4 * std::sqrt(0.1875 / total_bought))
      << total_lost / total_bought;
}

TEST(FunnelMechanics, AgencyRefusesAWeakProduct) {
  const Trajectory refused =
      run_one({"funnel.quality=0.5", "agency.quality_threshold=0.8"}, AGENCY);
  for (Step t = 0; t <= 50; ++t) {
    EXPECT_EQ(refused.at(CM_AGENCY_REFUSED, t), 1.0) << t;
    EXPECT_EQ(refused.at(CM_AGENCY_LEADS, t), 0.0) << t;
    EXPECT_EQ(refused.at(CM_LEADS, t), 0.0) << t;
    EXPECT_EQ(refused.at(CM_MARKETING_COST, t), 0.0) << t;
  }
  // At the threshold the agency takes the client.
  const Trajectory taken = run_one({"funnel.quality=0.8", "agency.quality_threshold=0.8"}, AGENCY);
  EXPECT_EQ(taken.at(CM_AGENCY_REFUSED, 50), 0.0);
  EXPECT_GT(taken.at(CM_AGENCY_LEADS, 50), 0.0);
  EXPECT_EQ(taken.at(CM_MARKETING_COST, 50), 10.0 * taken.at(CM_AGENCY_LEADS, 50));
}

// Queue order: 400 people in two segments of 200 (ids 0-199 and 200-399), all seeded, all
// leads in step 1; sales serve 40 and lose the rest (patience 0). Segment 0 pays 1,
// segment 1 pays 0, so revenue = customers from segment 0. If the queue took the leads in
// id order (or in any order tied to the traversal) segment 0 would get all 40 places;
// in a random order the count is hypergeometric: mean 40 * 200 / 400 = 20, variance
// 40 * 1/2 * 1/2 * 360 / 399 = 9.02. Allowed: |mean - 20| <= 4 sd / sqrt(R), and no
// replication serves one segment only.
TEST(FunnelMechanics, ScarceCapacityServesTheStepsLeadsInRandomOrder) {
  const char* two_segments =
      "[run]\nreplications = 400\nsteps = 1\nseed = 12\n[audience]\nsize = 400\n"
      "[graph]\nmodel = \"complete\"\n[diffusion]\nmodel = \"campaign\"\n[seeding]\ncount = 400\n"
      "[segments]\nnames = [\"low_ids\", \"high_ids\"]\nshares = [0.5, 0.5]\n"
      "propensity = [1.0, 1.0]\nprice = [1.0, 0.0]\ntalkativeness = [1.0, 1.0]\nrepeat_rate = [0.0, 0.0]\n[word_of_mouth]\ntransmission = 0.0\n"
      "[funnel]\ncapacity = 40\npatience = 0\nconversion = 1.0\nquality = 1.0\n";
  const Scenario s = load_scenario_text(two_segments, "queue.toml").scenario;
  const RunAccumulator acc = testing::simulate(s, complete_graph(400));
  const auto& revenue = acc.finals(CM_REVENUE);
  const auto& customers = acc.finals(CM_CUSTOMERS);
  for (std::size_t r = 0; r < revenue.size(); ++r) {
    ASSERT_EQ(customers[r], 40.0) << r;
    EXPECT_GT(revenue[r], 0.0) << r;
    EXPECT_LT(revenue[r], 40.0) << r;
  }
  const double sd = std::sqrt(40 * 0.25 * 360 / 399.0);
  EXPECT_LE(std::abs(mean_of(revenue) - 20.0), 4 * sd / std::sqrt(revenue.size())) << mean_of(revenue);
}

}  // namespace
}  // namespace campaign
