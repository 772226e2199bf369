#include "model/campaign.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/dynamic_bitset.hpp>
#include <boost/sort/spreadsort/integer_sort.hpp>
#include <cmath>
#include <limits>
#include <set>

#include "core/interrupt.h"
#include "model/seeding.h"
#include "model/talks_ahead.h"
#include "rng/philox_lanes.h"
#include "rng/row_coins.h"
#include "rng/samplers.h"

namespace campaign {
namespace {

// A person's place in the funnel. Receptive people (unaware, aware) can become interested.
enum Stage : std::uint8_t { UNAWARE, AWARE, INTERESTED, LEAD, SATISFIED, DISSATISFIED, LOST };
enum class Talk : std::uint8_t { interest, advocate, detractor };

constexpr std::uint32_t EXTERNAL = 0x8000'0000u;  // marks an agency lead (not in the graph)
constexpr int MEMORY_SLOTS = 4;

// The sources a person has seen, for wear-out: one cache line holds four people's. A
// source id (a partner, or the firm after them) has 24 bits: 16 low, 8 high.
struct alignas(16) SourceMemory {
  std::array<std::uint16_t, MEMORY_SLOTS> low;
  std::array<std::uint8_t, MEMORY_SLOTS> high;
  std::array<std::uint8_t, MEMORY_SLOTS> count;  // 0: slot free
  std::uint32_t source(int i) const { return std::uint32_t{high[i]} << 16 | low[i]; }
};
static_assert(sizeof(SourceMemory) == 16 && MAX_PARTNERS < (1u << 24));

Step scaled_lifetime(Step lifetime, double factor) {
  if (lifetime == 0) return 0;
  return std::max<Step>(1, static_cast<Step>(std::llround(lifetime * factor)));
}

class CampaignKernel final : public ReplicationKernel {
 public:
  explicit CampaignKernel(const CampaignModel& model)
      : model_(model),
        s_(model.scenario()),
        n_(model.graph().num_nodes()),
        stage_(n_, UNAWARE),
        receptive_(n_),
        marked_(n_),
        interest_step_(n_, -1),
        ever_interested_(n_, 0),
        put_off_(n_, 0),
        dirty_(n_),
        memory_(n_) {
    receptive_.set();  // everyone starts unaware
  }

  void simulate(Replication r, Trajectory& out) override {
    reset();
    r_ = r;
    for (NodeId v : initial_adopters(s_.seeding, n_, model_.rng(), r)) {
      touch(v);
      set_stage(v, AWARE);
      ++totals_.aware;
      marked_.set(v);
    }
    become_interested(0);
    if (model_.agency_refused()) totals_.agency_refused = 1;
    record(out, 0);
    for (Step t = 1; t <= s_.run.steps; ++t) {
      throw_if_interrupted();
      // Who speaks in step t is who was active at the end of step t - 1.
      record_talkers(out, t - 1, word_of_mouth(t));
      advertising(t);
      media(t);
      leads_and_forgetting(t);
      become_interested(t);
      agency(t);
      sales(t);
      after_sale(t);
      repeat_purchases(t);
      if (s_.funnel.restock_every > 0 && t % s_.funnel.restock_every == 0) restock();
      totals_.cost += s_.firm.fixed_cost;
      if (s_.media.advertising > 0) add_marketing(s_.media.advertising_cost);
      record(out, t);
    }
    record_talkers(out, s_.run.steps, active_talkers(s_.run.steps + 1));  // no step speaks after
  }

 private:
  // What a talk needs besides the person's interest step, kept with the talker so that a
  // talk reads as little per-person state as possible (16 bytes).
  struct Talker {
    NodeId who;
    Step start;  // talks in steps start + 1 .. until
    Step until;
    Talk kind;
    std::uint8_t segment;
    std::uint8_t episode;  // interest episode - 1, at most 15 (0 for customers)
  };
  static_assert(sizeof(Talker) == 16);
  // The talkers who speak in a step, and of which kind: the active, advocates and
  // detractors metrics of the step before.
  struct TalkerCounts {
    double active = 0, advocates = 0, detractors = 0;
    void add(Talk kind) {
      ++active;
      advocates += kind == Talk::advocate;
      detractors += kind == Talk::detractor;
    }
  };
  struct QueuedLead {
    std::uint32_t who;  // person id, or EXTERNAL | index for an agency lead
    Step arrival;
  };
  // Sets a lane to the coin of `stream` for a lead processed in step t: a person's coin is
  // keyed by the step, an agency lead's by its arrival (its index recurs every step).
  void set_lead_counter(std::size_t lane, Stream stream, const QueuedLead& lead, Step t) {
    if (lead.who & EXTERNAL) {
      lanes_.set_counter(lane, stream, r_, lead.who & ~EXTERNAL, lead.arrival, 1);
    } else {
      lanes_.set_counter(lane, stream, r_, lead.who, t, 0);
    }
  }
  // The sales queue, first in first out: one array and the index of its head. A step
  // pushes its leads at the back and serves or drops them from the front. When the array
  // is full it is compacted if the served part is at least half of it, and grows
  // otherwise, so it stays within four times the longest queue and a replication
  // allocates nothing once the array has grown.
  class LeadQueue {
   public:
    bool empty() const { return head_ == items_.size(); }
    std::size_t size() const { return items_.size() - head_; }
    const QueuedLead& front() const { return items_[head_]; }
    const QueuedLead& operator[](std::size_t i) const { return items_[head_ + i]; }  // from the front
    void pop_front(std::size_t count) { head_ += count; }
    void pop_front() { ++head_; }
    void push_back(QueuedLead lead) {
      if (items_.size() == items_.capacity() && 2 * head_ >= items_.size()) {
        items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
        head_ = 0;
      }
      items_.push_back(lead);
    }
    void clear() {
      items_.clear();
      head_ = 0;
    }

   private:
    std::vector<QueuedLead> items_;
    std::size_t head_ = 0;
  };
  struct Totals {
    double ever_interested = 0, aware = 0, leads = 0, lost_capacity = 0, lost_stock = 0,
           lost_handoff = 0, not_converted = 0, customers = 0, repeats = 0, repeats_lost_stock = 0,
           lost_support = 0,
           lost_quality = 0, messages = 0, exposures = 0, forgotten = 0, wom = 0, agency_leads = 0, revenue = 0,
           marketing = 0, cost = 0, commitments = 0, agency_refused = 0;
  };

  void touch(NodeId v) {
    if (!dirty_.test(v)) {
      dirty_.set(v);
      touched_.push_back(v);
    }
  }

  // Puts back the state of the people the last replication touched: one by one, or by
  // filling the arrays when it touched many (random writes cost more than a fill).
  void reset() {
    if (touched_.size() > n_ / 16) {
      std::fill(stage_.begin(), stage_.end(), UNAWARE);
      receptive_.set();
      std::fill(interest_step_.begin(), interest_step_.end(), -1);
      std::fill(ever_interested_.begin(), ever_interested_.end(), 0);
      std::fill(put_off_.begin(), put_off_.end(), 0);
      std::fill(memory_.begin(), memory_.end(), SourceMemory{});
      dirty_.reset();
    } else {
      for (NodeId v : touched_) {
        set_stage(v, UNAWARE);
        interest_step_[v] = -1;
        ever_interested_[v] = 0;
        put_off_[v] = 0;
        dirty_.reset(v);
        memory_[v] = {};
      }
    }
    touched_.clear();
    marked_.reset();
    talkers_.clear();
    interested_.clear();
    satisfied_.clear();
    queue_.clear();
    new_customers_.clear();
    totals_ = Totals{};
    stock_ = s_.funnel.stock;
    next_message_ = 0;
  }

  // Receptive people (unaware, aware) are also kept as a bit set: word of mouth asks
  // about random contacts, and 1 bit per person stays in cache where a byte does not.
  bool receptive(NodeId v) const { return receptive_.test(v); }
  void set_stage(NodeId v, Stage stage) {
    stage_[v] = stage;
    receptive_[v] = stage <= AWARE;
  }

  // Whether the talker speaks in step t: its buzz is not over, and an interest talk has not
  // ended, which happens when the person loses interest (or is won again, which starts a
  // new talk) and when the person buys: a customer speaks as an advocate or a detractor.
  // Each of these changes the person's interest step (to -1, or to the new start).
  bool speaks(const Talker& talker, Step t) const {
    return t <= talker.until &&
           (talker.kind != Talk::interest ||
            interest_step_[talker.who] == static_cast<std::int32_t>(talker.start));
  }

  // Marks v to become interested at the end of the step (once, however many reach v).
  void mark_interested(NodeId v) {
    if (!marked_.test(v)) {
      touch(v);
      marked_.set(v);
    }
  }

  // Talkers at the start of step t contact their neighbours. Interested people and
  // advocates convince receptive neighbours; detractors lower their propensity. Talks are
  // decided ahead of being heard (talks_ahead.h). A talker whose buzz is over, or who is
  // silent, is dropped: silence is for good (a person who forgot and is won again gets a
  // new talker; customers never turn back). Returns the talkers who spoke, counted here
  // rather than in a pass of their own, which reads every interest talker's state again.
  TalkerCounts word_of_mouth(Step t) {
    const CsrGraph& graph = model_.graph();
    std::size_t kept = 0;
    TalkerCounts spoke;
    talks_ahead_.walk(
        talkers_.size(),
        [&](std::size_t i, DecidedTalk& talk) {
          if (i + TalksAhead::AHEAD < talkers_.size()) {  // what deciding a later talk reads
            const NodeId later = talkers_[i + TalksAhead::AHEAD].who;
            __builtin_prefetch(&graph.offsets()[later]);
            __builtin_prefetch(&interest_step_[later]);
          }
          const CounterRng::Block first =  // the talk's first block, computed with the next ones
              lanes_.walk(i, talkers_.size(), model_.rng(), [&](std::size_t lane, std::size_t k) {
                coins(talkers_[k])
                    .set_first_counter(lanes_, lane, r_, talkers_[k].who,
                                       talk_index(talkers_[k], t));
              });
          const Talker& talker = talkers_[i];
          if (!speaks(talker, t)) {
            talk.speaks = false;
          } else {
            talk.decide(graph, coins(talker), r_, talker.who, talk_index(talker, t), first);
          }
        },
        [&](std::size_t k, const DecidedTalk& talk) {
          if (!talk.speaks) return;
          const Talker talker = talkers_[k];
          talkers_[kept++] = talker;
          spoke.add(talker.kind);
          if (talker.kind == Talk::detractor) {
            talk.hear([&] { return coins(talker); }, r_,
                      [&](NodeId v) {
                        if (stage_[v] < LEAD) {
                          ++totals_.wom;
                          touch(v);
                          if (put_off_[v] < 255) ++put_off_[v];
                        }
                      });
          } else {  // interest or advocacy
            talk.hear([&] { return coins(talker); }, r_,
                      [&](NodeId v) {
                        if (receptive(v)) {
                          ++totals_.wom;
                          mark_interested(v);
                        }
                      });
          }
        });
    talkers_.resize(kept);
    return spoke;
  }

  // The talkers who would speak in step t: word_of_mouth's count, without the talks.
  TalkerCounts active_talkers(Step t) const {
    TalkerCounts counts;
    for (const Talker& talker : talkers_) {
      if (speaks(talker, t)) counts.add(talker.kind);
    }
    return counts;
  }

  // A person won again after forgetting talks with fresh coins: the episode number sits
  // above the talk index (episode 0 keeps the plain index of the cascade).
  static std::uint32_t talk_index(const Talker& talker, Step t) {
    return (t - talker.start - 1) | std::uint32_t{talker.episode} << 20;
  }

  RowCoins coins(const Talker& talker) const {
    const auto& seg = model_.segment(talker.segment);
    if (talker.kind == Talk::interest) return RowCoins(model_.rng(), Stream::transmission, seg.talk);
    return RowCoins(model_.rng(), Stream::advocacy, seg.customer_talk);
  }

  // Broadcast advertising: a coin per receptive person (marking changes no one's
  // receptivity), the receptive people found from their bits in id order and their coins
  // computed PhiloxLanes::width at a time. (Listing them first to use PhiloxLanes::walk
  // costs an extra pass: 10% of a run with advertising.)
  void advertising(Step t) {
    const Coin coin = model_.advertising();
    if (coin.probability() <= 0) return;
    std::array<NodeId, PhiloxLanes::width> people;
    std::size_t count = 0;
    const auto flip = [&] {
      for (std::size_t k = 0; k < count; ++k) lanes_.set_counter(k, Stream::adoption, r_, people[k], t);
      lanes_.run(model_.rng());
      for (std::size_t k = 0; k < count; ++k) {
        if (coin(lanes_.block(k)[0])) mark_interested(people[k]);
      }
      count = 0;
    };
    for (std::size_t v = receptive_.find_first(); v != receptive_.npos; v = receptive_.find_next(v)) {
      people[count++] = static_cast<NodeId>(v);
      if (count == people.size()) flip();
    }
    flip();
  }

  // Stage events of the media plan in step t expose the message's audience.
  void media(Step t) {
    const MediaPlan& plan = model_.plan();
    const auto& messages = plan.messages();
    while (next_message_ < messages.size() && messages[next_message_].start == t) {
      ++totals_.messages;
      add_marketing(messages[next_message_].cost);
      totals_.commitments = model_.commitments_after(static_cast<std::uint32_t>(next_message_));
      ++next_message_;
    }
    for (const StageEvent& event : plan.events_at(t)) {
      const Message& msg = messages[event.message];
      const double base = s_.media.interest * event.strength * msg.credibility;
      const std::uint32_t key = event.message * 3 + event.stage;
      const std::vector<NodeId>& audience = msg.audience;
      totals_.exposures += static_cast<double>(audience.size());
      for (std::size_t i = 0; i < audience.size(); ++i) {
        const std::uint32_t exposure =  // with the next people's, at once
            lanes_.walk(i, audience.size(), model_.rng(), [&](std::size_t lane, std::size_t k) {
              lanes_.set_counter(lane, Stream::exposure, r_, audience[k], t, key);
            })[0];
        if (i + 16 < audience.size()) {  // random people: ask for their state early
          __builtin_prefetch(&memory_[audience[i + 16]]);
          __builtin_prefetch(&stage_[audience[i + 16]]);
        }
        const NodeId v = audience[i];
        touch(v);
        if (stage_[v] == UNAWARE) {
          set_stage(v, AWARE);
          ++totals_.aware;
        }
        const std::uint32_t earlier = remember(v, msg.source);
        if (receptive(v) && !marked_.test(v) &&
            Coin(base * model_.wearout(earlier))(exposure)) {
          mark_interested(v);
        }
      }
    }
  }

  // Counts an exposure of v to `source`; returns the exposures before this one. A person
  // remembers four sources; a fifth replaces the least seen.
  std::uint32_t remember(NodeId v, std::uint32_t source) {
    SourceMemory& memory = memory_[v];
    int weakest = 0;
    for (int i = 0; i < MEMORY_SLOTS; ++i) {
      if (memory.count[i] > 0 && memory.source(i) == source) {
        const std::uint32_t earlier = memory.count[i];
        if (memory.count[i] < 255) ++memory.count[i];
        return earlier;
      }
      if (memory.count[i] < memory.count[weakest]) weakest = i;
    }
    if (memory.count[weakest] > 0) ++totals_.forgotten;  // all four slots taken
    memory.low[weakest] = static_cast<std::uint16_t>(source);
    memory.high[weakest] = static_cast<std::uint8_t>(source >> 16);
    memory.count[weakest] = 1;
    return 0;
  }

  // People interested before step t become leads with their segment's propensity
  // (lowered by detractors), or lose interest. One block decides both: word 0 the lead,
  // word 1 the forgetting. Word 2 orders the step's new leads in the queue, so that no
  // one is served first for a low id (segments are blocks of ids).
  void leads_and_forgetting(Step t) {
    std::size_t kept = 0;
    new_leads_.clear();
    for (std::size_t i = 0; i < interested_.size(); ++i) {
      const CounterRng::Block block =  // with the next people's, at once
          lanes_.walk(i, interested_.size(), model_.rng(), [&](std::size_t lane, std::size_t k) {
            lanes_.set_counter(lane, Stream::lead, r_, interested_[k], t);
          });
      const NodeId v = interested_[i];
      if (model_.lead(model_.segment_of(v), put_off_[v])(block[0])) {
        set_stage(v, LEAD);
        ++totals_.leads;
        new_leads_.push_back(std::uint64_t{block[2]} << 32 | v);
      } else if (model_.forgetting()(block[1])) {
        set_stage(v, AWARE);
        interest_step_[v] = -1;  // silences its talk
      } else {
        interested_[kept++] = v;
      }
    }
    interested_.resize(kept);
    boost::sort::spreadsort::integer_sort(new_leads_.begin(), new_leads_.end());
    for (const std::uint64_t lead : new_leads_) queue_.push_back({static_cast<NodeId>(lead), t});
  }

  // People marked in step t become interested and start to talk, in id order (so the
  // next step reads their rows front to back). Only a first interest counts as adoption
  // (newly_adopted, total_adopted); a person who forgot and is won again talks again but
  // is not counted twice.
  void become_interested(Step t) {
    first_interests_ = 0;
    for (auto i = marked_.find_first(); i != marked_.npos; i = marked_.find_next(i)) {
      const auto v = static_cast<NodeId>(i);
      if (stage_[v] == UNAWARE) ++totals_.aware;
      set_stage(v, INTERESTED);
      interest_step_[v] = static_cast<std::int32_t>(t);
      if (ever_interested_[v] == 0) {
        ++first_interests_;
        ++totals_.ever_interested;
      }
      if (ever_interested_[v] < 255) ++ever_interested_[v];  // interest episodes
      interested_.push_back(v);
      talkers_.push_back({v, t, t + model_.interest_lifetime(), Talk::interest, model_.segment_of(v),
                          static_cast<std::uint8_t>(std::min(ever_interested_[v] - 1, 15))});
    }
    marked_.reset();
  }

  void agency(Step t) {
    if (!model_.agency_active()) return;
    const auto& a = s_.agency;
    const CounterRng& rng = model_.rng();
    const std::uint64_t bought = poisson(a.budget_per_step / a.cost_per_lead, [&](std::uint32_t piece) {
      return rng.uniform(Stream::agency, r_, t, piece, 0);
    });
    totals_.agency_leads += static_cast<double>(bought);
    totals_.leads += static_cast<double>(bought);
    add_marketing(static_cast<double>(bought) * a.cost_per_lead);
    const Coin survives(std::pow(1.0 - a.handoff_loss, a.handoffs));
    for (std::uint32_t j = 0; j < bought; ++j) {
      const CounterRng::Block block =  // with the next leads', at once
          lanes_.walk(j, bought, rng, [&](std::size_t lane, std::size_t k) {
            lanes_.set_counter(lane, Stream::agency, r_, t, static_cast<std::uint32_t>(k), 1);
          });
      if (a.handoffs > 0 && !survives(block[0])) {
        ++totals_.lost_handoff;
      } else {
        queue_.push_back({EXTERNAL | j, t});
      }
    }
  }

  // Sales staff process leads first come, first served, up to capacity x focus; leads
  // that have waited their patience out are lost (cause: capacity).
  void sales(Step t) {
    const CounterRng& rng = model_.rng();
    const Coin converts(s_.funnel.conversion);
    // Leads served: the capacity (a whole number, or infinite; NaN when an infinite
    // capacity has focus 0, and then no one is served, as with no capacity).
    const double capacity = model_.sales_capacity();
    const std::size_t served = capacity >= static_cast<double>(queue_.size()) ? queue_.size()
                               : capacity >= 1 ? static_cast<std::size_t>(capacity)
                                               : 0;
    const auto set_counter = [&](std::size_t lane, std::size_t k) {
      set_lead_counter(lane, Stream::conversion, queue_[k], t);
    };
    for (std::size_t i = 0; i < served; ++i) {
      const CounterRng::Block block = lanes_.walk(i, served, rng, set_counter);  // at once
      const QueuedLead lead = queue_[i];
      const bool external = lead.who & EXTERNAL;
      const std::uint32_t id = lead.who & ~EXTERNAL;
      if (stock_ < 1) {
        ++totals_.lost_stock;
        if (!external) set_stage(id, LOST);
      } else if (converts(block[0])) {
        stock_ -= 1;
        ++totals_.customers;
        sell(external ? s_.agency.segment : model_.segment_of(id));
        new_customers_.push_back(lead);
        if (!external) log_adoption(id, t);
      } else {
        ++totals_.not_converted;
        if (!external) set_stage(id, LOST);
      }
    }
    queue_.pop_front(served);
    while (!queue_.empty() && t - queue_.front().arrival >= s_.funnel.patience) {
      const QueuedLead lead = queue_.front();
      queue_.pop_front();
      ++totals_.lost_capacity;
      if (!(lead.who & EXTERNAL)) set_stage(lead.who, LOST);
    }
  }

  // At the end of a restocking step: the amount is added, or (order-up-to) stock is
  // brought back up to that level; focus scales either (an unlimited amount at focus 0
  // restocks nothing, not NaN).
  void restock() {
    const double amount =
        s_.funnel.focus > 0 ? s_.funnel.restock_amount * s_.funnel.focus : 0.0;
    if (s_.funnel.restock_policy == RestockPolicy::add) {
      stock_ += amount;
    } else {
      stock_ = std::max(stock_, amount);
    }
  }

  void sell(std::uint8_t segment) {
    totals_.revenue += model_.segment(segment).price;
    totals_.cost += s_.firm.unit_cost;
  }

  // New buyers: support (first come, first served, capacity x focus) and the product's
  // quality decide satisfaction; satisfied people advocate, dissatisfied ones detract.
  void after_sale(Step t) {
    const CounterRng& rng = model_.rng();
    const Coin needs_support(s_.funnel.support_need), satisfied(s_.funnel.quality);
    double support = model_.support_capacity();
    // Two coins per buyer (support, then satisfaction), computed for the next buyers at once.
    const std::size_t coins = 2 * new_customers_.size();
    const auto set_counter = [&](std::size_t lane, std::size_t k) {
      set_lead_counter(lane, k % 2 == 0 ? Stream::support : Stream::satisfaction, new_customers_[k / 2], t);
    };
    for (std::size_t i = 0; i < new_customers_.size(); ++i) {
      const CounterRng::Block support_coin = lanes_.walk(2 * i, coins, rng, set_counter);
      const CounterRng::Block quality_coin = lanes_.walk(2 * i + 1, coins, rng, set_counter);
      const QueuedLead buyer = new_customers_[i];
      const bool external = buyer.who & EXTERNAL;
      const std::uint32_t id = buyer.who & ~EXTERNAL;
      const bool needs = needs_support(support_coin[0]);
      bool happy = false;
      if (needs && support < 1) {
        ++totals_.lost_support;
      } else {
        if (needs) support -= 1;
        happy = satisfied(quality_coin[0]);
        if (!happy) ++totals_.lost_quality;
      }
      if (external) continue;  // agency customers are outside the graph: no talk, no repeat
      set_stage(id, happy ? SATISFIED : DISSATISFIED);
      interest_step_[id] = -1;  // the purchase ends the interest talk
      const Step lifetime = happy ? model_.advocate_lifetime() : model_.detractor_lifetime();
      if (lifetime > 0) {
        talkers_.push_back({id, t, t + lifetime, happy ? Talk::advocate : Talk::detractor,
                            model_.segment_of(id), 0});
      }
      if (happy) pending_repeat_.push_back(id);
    }
    new_customers_.clear();
  }

  void repeat_purchases(Step t) {
    for (std::size_t i = 0; i < satisfied_.size(); ++i) {
      const CounterRng::Block block =  // with the next customers', at once
          lanes_.walk(i, satisfied_.size(), model_.rng(), [&](std::size_t lane, std::size_t k) {
            lanes_.set_counter(lane, Stream::repeat, r_, satisfied_[k], t);
          });
      const NodeId v = satisfied_[i];
      if (!model_.segment(model_.segment_of(v)).repeat(block[0])) continue;
      if (stock_ >= 1) {
        stock_ -= 1;
        ++totals_.repeats;
        sell(model_.segment_of(v));
      } else {
        ++totals_.repeats_lost_stock;
      }
    }
    // Buyers of this step repeat from the next step on.
    satisfied_.insert(satisfied_.end(), pending_repeat_.begin(), pending_repeat_.end());
    pending_repeat_.clear();
  }

  void add_marketing(double money) {
    totals_.marketing += money;
    totals_.cost += money;
  }

  // The step's metrics but those of its talkers, which record_talkers fills in once the
  // next step's word of mouth has counted them (NaN until then).
  void record(Trajectory& out, Step t) const {
    const Totals& x = totals_;
    constexpr double later = std::numeric_limits<double>::quiet_NaN();
    static_assert(CM_COUNT == 29, "a metric was added to CAMPAIGN_METRICS: record its value here, in its "
                                  "order, and regenerate docs/hdf5-layout.md");
    const double values[CM_COUNT] = {static_cast<double>(first_interests_),
                                     x.ever_interested,
                                     later,
                                     x.aware,
                                     static_cast<double>(interested_.size()),
                                     x.leads,
                                     static_cast<double>(queue_.size()),
                                     x.lost_capacity,
                                     x.lost_stock,
                                     x.lost_handoff,
                                     x.not_converted,
                                     x.customers,
                                     x.repeats,
                                     x.repeats_lost_stock,
                                     x.lost_support,
                                     x.lost_quality,
                                     later,
                                     later,
                                     x.messages,
                                     x.exposures,
                                     x.forgotten,
                                     x.wom,
                                     x.agency_leads,
                                     x.revenue,
                                     x.marketing,
                                     x.cost,
                                     x.revenue - x.cost,
                                     x.commitments,
                                     x.agency_refused};
    for (std::size_t m = 0; m < CM_COUNT; ++m) out.at(m, t) = values[m];
  }
  static void record_talkers(Trajectory& out, Step t, const TalkerCounts& counts) {
    out.at(CM_ACTIVE, t) = counts.active;
    out.at(CM_ADVOCATES, t) = counts.advocates;
    out.at(CM_DETRACTORS, t) = counts.detractors;
  }

  const CampaignModel& model_;
  const Scenario& s_;
  NodeId n_;
  Replication r_ = 0;
  std::vector<std::uint8_t> stage_;
  boost::dynamic_bitset<std::uint64_t> receptive_;  // stage_ <= AWARE
  boost::dynamic_bitset<std::uint64_t> marked_;     // to become interested at the end of this step
  std::vector<std::int32_t> interest_step_;
  std::vector<std::uint8_t> ever_interested_, put_off_;
  boost::dynamic_bitset<std::uint64_t> dirty_;      // touched in this replication
  std::vector<SourceMemory> memory_;
  std::vector<NodeId> touched_, interested_, satisfied_, pending_repeat_;
  std::vector<Talker> talkers_;
  TalksAhead talks_ahead_;
  PhiloxLanes lanes_;  // blocks computed ahead: talks' first blocks and the per-person coins
  std::vector<std::uint64_t> new_leads_;  // queue order word << 32 | person
  LeadQueue queue_;
  std::vector<QueuedLead> new_customers_;
  Totals totals_;
  double stock_ = 0;
  std::size_t next_message_ = 0;
  std::size_t first_interests_ = 0;  // first interests in the current step
};

}  // namespace

const std::vector<std::string>& campaign_metric_names() {
  static const std::vector<std::string> names = metric_names_of(CAMPAIGN_METRICS);
  return names;
}

CampaignModel::CampaignModel(const CsrGraph& graph, const Scenario& scenario, EcosystemCache* cache)
    : graph_(graph), scenario_(scenario), rng_(scenario.run.seed) {
  if (cache) {
    world_ = cache->get(scenario, graph);
  } else {
    world_.ecosystem = std::make_shared<const Ecosystem>(scenario, graph);
    world_.plan = std::make_shared<const MediaPlan>(scenario, *world_.ecosystem);
  }
  const auto& seg = scenario.segments;
  const auto& wom = scenario.word_of_mouth;
  const double louder = 0.5 + wom.style;   // hype: stronger, shorter buzz, more forgetting
  const double longer = 1.5 - wom.style;   // myth: lasting buzz and loyalty
  for (std::size_t i = 0; i < seg.names.size(); ++i) {
    const double talk = wom.transmission * seg.talkativeness[i] * louder;
    segments_.push_back(
        {Coin(talk), Coin(talk), seg.price[i], Coin(std::min(1.0, seg.repeat_rate[i] * longer))});
  }
  segment_of_.resize(graph.num_nodes());
  NodeId first = 0;
  const auto sizes = segment_sizes(seg.shares, graph.num_nodes());
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    std::fill_n(segment_of_.begin() + first, sizes[i], static_cast<std::uint8_t>(i));
    first += sizes[i];
  }
  interest_lifetime_ = scaled_lifetime(wom.lifetime, longer);
  advocate_lifetime_ = scaled_lifetime(wom.advocate_lifetime, longer);
  detractor_lifetime_ = scaled_lifetime(wom.detractor_lifetime, longer);
  forgetting_ = Coin(std::min(1.0, wom.forgetting * louder));
  advertising_ = Coin(scenario.media.advertising);
  // Powers by repeated multiplication: exact and the same on every platform.
  double w = 1.0, d = 1.0;
  std::vector<double> detractor;
  for (int k = 0; k < 256; ++k) {
    wearout_.push_back(w);
    detractor.push_back(d);
    w *= scenario.media.wearout;
    d *= wom.detractor_effect;
  }
  for (std::size_t i = 0; i < seg.names.size(); ++i) {
    for (const double factor : detractor) lead_.push_back(Coin(seg.propensity[i] * factor));
  }
  const auto& agency = scenario.agency;
  agency_refused_ = agency.budget_per_step > 0 && scenario.funnel.quality < agency.quality_threshold;
  agency_active_ = agency.budget_per_step > 0 && !agency_refused_;
  sales_capacity_ = std::floor(scenario.funnel.capacity * scenario.funnel.focus);
  support_capacity_ = std::floor(scenario.funnel.support_capacity * scenario.funnel.focus);
  std::set<std::uint32_t> engaged;
  for (const Message& msg : plan().messages()) {
    if (!msg.solo) engaged.insert({msg.owner, msg.source, msg.channel});
    commitments_.push_back(static_cast<std::uint32_t>(engaged.size()));
  }
}

std::unique_ptr<ReplicationKernel> CampaignModel::make_kernel() const {
  return std::make_unique<CampaignKernel>(*this);
}

std::vector<DerivedFinal> CampaignModel::derived_finals(const RunAccumulator& acc) const {
  const auto& marketing = acc.finals(CM_MARKETING_COST);
  const auto& cost = acc.finals(CM_COST);
  const auto& revenue = acc.finals(CM_REVENUE);
  const auto& leads = acc.finals(CM_LEADS);
  const auto& customers = acc.finals(CM_CUSTOMERS);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  DerivedFinal cpl{std::string(CAMPAIGN_DERIVED[0].name), {}}, cac{std::string(CAMPAIGN_DERIVED[1].name), {}},
      roi{std::string(CAMPAIGN_DERIVED[2].name), {}};
  for (std::size_t r = 0; r < cost.size(); ++r) {
    cpl.values.push_back(leads[r] > 0 ? marketing[r] / leads[r] : nan);
    cac.values.push_back(customers[r] > 0 ? marketing[r] / customers[r] : nan);
    roi.values.push_back(cost[r] > 0 ? (revenue[r] - cost[r]) / cost[r] : nan);
  }
  return {cpl, cac, roi};
}

// A triad or calendar plan's ecosystem, as the run summary prints it (no timings: the
// file stays the same for the same seed). NaN where the triads were not counted.
std::vector<std::pair<std::string, double>> CampaignModel::facts() const {
  const auto& s = scenario_;
  if (s.media.strategy != MediaStrategy::triads && s.media.strategy != MediaStrategy::calendar) return {};
  const EcosystemFigures& f = ecosystem().figures();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto counted = [&](std::uint64_t x) { return f.triads_counted ? static_cast<double>(x) : nan; };
  return {{"ecosystem_cooperating_pairs", static_cast<double>(f.cooperating_pairs)},
          {"ecosystem_followed_people", static_cast<double>(f.followed_people)},
          {"ecosystem_follower_links", static_cast<double>(f.follower_links)},
          {"ecosystem_partners", static_cast<double>(ecosystem().num_partners())},
          {"ecosystem_role_orders", counted(f.triads.role_assignments)},
          {"ecosystem_triangles", counted(f.triads.triangles)},
          {"ecosystem_valid_triads", counted(f.triads.valid)}};
}

std::vector<std::string> CampaignModel::describe() const {
  std::vector<std::string> lines;
  const auto& s = scenario_;
  if (s.media.strategy != MediaStrategy::none) {
    double spend = 0;
    for (const Message& msg : plan().messages()) spend += msg.cost;
    std::string triads;
    if (s.media.strategy != MediaStrategy::solo) {
      triads = fmt::format(", {} distinct triads from {} partners", plan().distinct_triads(),
                           ecosystem().num_partners());
    }
    const char* kind = s.media.strategy == MediaStrategy::solo ? "solo" : s.media.strategy == MediaStrategy::triads ? "triad" : "calendar";
    lines.push_back(fmt::format("media plan: {} {} messages{}, spending {:.0f} of budget {:.0f}",
                                plan().messages().size(), kind, triads, spend, s.media.budget));
  }
  if (s.media.strategy == MediaStrategy::triads || s.media.strategy == MediaStrategy::calendar) {
    const EcosystemFigures& f = ecosystem().figures();
    const double partners = ecosystem().num_partners();
    lines.push_back(fmt::format(
        "ecosystem: {} partners, {} follower links (mean {:.0f}, max {}; {} people follow a partner, {:.2f} "
        "partners each), {} cooperating pairs, {}; drawn in {:.2f} s",
        ecosystem().num_partners(), f.follower_links, static_cast<double>(f.follower_links) / partners,
        f.max_followers, f.followed_people,
        f.followed_people > 0 ? static_cast<double>(f.follower_links) / f.followed_people : 0.0, f.cooperating_pairs,
        f.triads_counted ? fmt::format("{} of {} triangles valid as triads ({} role orders)", f.triads.valid,
                                       f.triads.triangles, f.triads.role_assignments)
                         : std::string("triads not counted (cooperation too dense to count quickly; drawn by rejection)"),
        f.seconds));
  }
  if (agency_refused_) {
    lines.push_back(fmt::format("agency: refused the client (funnel.quality {} < "
                                "agency.quality_threshold {}); results are without the agency",
                                s.funnel.quality, s.agency.quality_threshold));
  }
  return lines;
}

}  // namespace campaign
