// The campaign model (docs/model.md, "Campaign"): media messages sent by the firm or by
// partner triads through the communication cycle, word of mouth from interested people,
// advocates and detractors, a sales funnel that leaks leads (capacity, stock, conversion,
// handoffs, support, quality), a performance agency, focus, and the books.
//
// Every random draw is keyed by what it is about (see the Stream list in rng/philox.h),
// so two strategies on the same audience, graph and seed share their coins person by
// person and step by step. With media, funnel and agency off and word_of_mouth.lifetime
// = 1 the word-of-mouth core draws exactly the coins of IndependentCascade; with
// lifetime >= steps + 1 and media.advertising = p exactly those of NetworkBass.
//
// State per person: flat arrays for the stage, interest step, interest episodes and
// detractor contacts, a 16-byte four-slot memory of sources seen (for wear-out), and bit
// sets for the receptive, the marked (to become interested this step) and the touched.
// A replication resets what it touched, or everything by a fill when it touched much.
// Talkers are visited in id order where that is cheap, but no result depends on the
// order of visits: the step's new leads join the queue in an order drawn for them.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model/ecosystem_cache.h"
#include "model/metrics.h"
#include "model/model.h"
#include "rng/philox.h"

namespace campaign {

// The metrics' positions in a trajectory, from their one definition (model/metrics.h).
inline constexpr std::size_t CM_NEWLY_ADOPTED = metric_index(CAMPAIGN_METRICS, "newly_adopted");
inline constexpr std::size_t CM_TOTAL_ADOPTED = metric_index(CAMPAIGN_METRICS, "total_adopted");
inline constexpr std::size_t CM_ACTIVE = metric_index(CAMPAIGN_METRICS, "active");
inline constexpr std::size_t CM_AWARE = metric_index(CAMPAIGN_METRICS, "aware");
inline constexpr std::size_t CM_INTERESTED = metric_index(CAMPAIGN_METRICS, "interested");
inline constexpr std::size_t CM_LEADS = metric_index(CAMPAIGN_METRICS, "leads");
inline constexpr std::size_t CM_LEADS_QUEUED = metric_index(CAMPAIGN_METRICS, "leads_queued");
inline constexpr std::size_t CM_LEADS_LOST_CAPACITY = metric_index(CAMPAIGN_METRICS, "leads_lost_capacity");
inline constexpr std::size_t CM_LEADS_LOST_STOCK = metric_index(CAMPAIGN_METRICS, "leads_lost_stock");
inline constexpr std::size_t CM_LEADS_LOST_HANDOFF = metric_index(CAMPAIGN_METRICS, "leads_lost_handoff");
inline constexpr std::size_t CM_LEADS_NOT_CONVERTED = metric_index(CAMPAIGN_METRICS, "leads_not_converted");
inline constexpr std::size_t CM_CUSTOMERS = metric_index(CAMPAIGN_METRICS, "customers");
inline constexpr std::size_t CM_REPEAT_PURCHASES = metric_index(CAMPAIGN_METRICS, "repeat_purchases");
inline constexpr std::size_t CM_REPEATS_LOST_STOCK = metric_index(CAMPAIGN_METRICS, "repeats_lost_stock");
inline constexpr std::size_t CM_LOST_SUPPORT = metric_index(CAMPAIGN_METRICS, "lost_support");
inline constexpr std::size_t CM_LOST_QUALITY = metric_index(CAMPAIGN_METRICS, "lost_quality");
inline constexpr std::size_t CM_ADVOCATES = metric_index(CAMPAIGN_METRICS, "advocates");
inline constexpr std::size_t CM_DETRACTORS = metric_index(CAMPAIGN_METRICS, "detractors");
inline constexpr std::size_t CM_MESSAGES = metric_index(CAMPAIGN_METRICS, "messages");
inline constexpr std::size_t CM_WOM_TRANSMISSIONS = metric_index(CAMPAIGN_METRICS, "wom_transmissions");
inline constexpr std::size_t CM_AGENCY_LEADS = metric_index(CAMPAIGN_METRICS, "agency_leads");
inline constexpr std::size_t CM_REVENUE = metric_index(CAMPAIGN_METRICS, "revenue");
inline constexpr std::size_t CM_MARKETING_COST = metric_index(CAMPAIGN_METRICS, "marketing_cost");
inline constexpr std::size_t CM_COST = metric_index(CAMPAIGN_METRICS, "cost");
inline constexpr std::size_t CM_PROFIT = metric_index(CAMPAIGN_METRICS, "profit");
inline constexpr std::size_t CM_PARTNER_COMMITMENTS = metric_index(CAMPAIGN_METRICS, "partner_commitments");
inline constexpr std::size_t CM_AGENCY_REFUSED = metric_index(CAMPAIGN_METRICS, "agency_refused");
inline constexpr std::size_t CM_COUNT = CAMPAIGN_METRICS.size();
const std::vector<std::string>& campaign_metric_names();

class CampaignModel final : public Model {
 public:
  // With a cache, the ecosystem and media plan come from it (built there when new).
  CampaignModel(const CsrGraph& graph, const Scenario& scenario, EcosystemCache* cache = nullptr);

  const std::vector<std::string>& metric_names() const override { return campaign_metric_names(); }
  std::unique_ptr<ReplicationKernel> make_kernel() const override;
  // cpl = marketing_cost / leads, cac = marketing_cost / customers,
  // roi = (revenue - cost) / cost; NaN where the denominator is 0.
  std::vector<DerivedFinal> derived_finals(const RunAccumulator& accumulator) const override;
  std::vector<std::pair<std::string, double>> facts() const override;
  std::vector<std::string> describe() const override;

  struct Segment {
    Coin talk;    // interested talkers: transmission x talkativeness x (0.5 + style)
    Coin customer_talk;  // advocates and detractors: the same chance, on Stream::advocacy
    double price;
    Coin repeat;  // repeat_rate x (1.5 - style)
  };

  const CsrGraph& graph() const { return graph_; }
  const Scenario& scenario() const { return scenario_; }
  const CounterRng& rng() const { return rng_; }
  const Ecosystem& ecosystem() const { return *world_.ecosystem; }
  const MediaPlan& plan() const { return *world_.plan; }
  const Segment& segment(std::uint8_t i) const { return segments_[i]; }
  std::uint8_t segment_of(NodeId v) const { return segment_of_[v]; }
  Step interest_lifetime() const { return interest_lifetime_; }
  Step advocate_lifetime() const { return advocate_lifetime_; }
  Step detractor_lifetime() const { return detractor_lifetime_; }
  Coin forgetting() const { return forgetting_; }
  Coin advertising() const { return advertising_; }
  double wearout(std::uint32_t earlier_exposures) const { return wearout_[std::min<std::uint32_t>(earlier_exposures, 255)]; }
  // An interested person's weekly chance to become a lead: the segment's propensity,
  // times detractor_effect for each detractor heard (counted up to 255).
  Coin lead(std::uint8_t segment, std::uint8_t detractors) const {
    return lead_[segment * 256u + detractors];
  }
  bool agency_active() const { return agency_active_; }
  bool agency_refused() const { return agency_refused_; }
  double sales_capacity() const { return sales_capacity_; }
  double support_capacity() const { return support_capacity_; }
  // Partners engaged for the first time by the messages that started up to and
  // including message i.
  std::uint32_t commitments_after(std::uint32_t message) const { return commitments_[message]; }

 private:
  const CsrGraph& graph_;
  Scenario scenario_;
  CounterRng rng_;
  EcosystemCache::World world_;
  std::vector<Segment> segments_;
  std::vector<std::uint8_t> segment_of_;
  Step interest_lifetime_, advocate_lifetime_, detractor_lifetime_;
  Coin forgetting_, advertising_;
  std::vector<double> wearout_;  // powers 0 .. 255
  std::vector<Coin> lead_;       // [segment][detractors heard]
  bool agency_active_ = false, agency_refused_ = false;
  double sales_capacity_ = 0, support_capacity_ = 0;
  std::vector<std::uint32_t> commitments_;
};

}  // namespace campaign
