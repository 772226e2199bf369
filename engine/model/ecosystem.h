// The campaign's world outside the audience, drawn once per run from the master seed
// (streams `partners` and `media`, replication slot 0) and shared by all replications:
// key partners (roles, reach sets in the audience, credibility, cost), the partner
// cooperation graph, the firm's own followers, and the media plan the budget buys.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/types.h"
#include "graph/triangles.h"
#include "scenario/scenario.h"

namespace campaign {

struct Partner {
  std::uint8_t roles = 0;  // ROLE_OWNER | ROLE_SOURCE | ROLE_CHANNEL
  double credibility = 0;
  double cost = 0;
  std::vector<NodeId> followers;    // sorted
  std::vector<std::uint32_t> peers;  // cooperating partners, sorted
};

// What the run summary says of an ecosystem (docs/model.md).
struct EcosystemFigures {
  std::uint64_t follower_links = 0, max_followers = 0, cooperating_pairs = 0;
  // The cooperation graph's triangles and valid triads, counted exactly (graph/triangles.h)
  // unless that would take more than COUNT_BUDGET list steps (dense cooperation among
  // thousands of partners); then `triads_counted` is false.
  bool triads_counted = false;
  TriangleCount triads;
  double seconds = 0;  // to draw the ecosystem and count its triads
  static constexpr double COUNT_BUDGET = 4e8;  // about a second on one core
};

class Ecosystem {
 public:
  Ecosystem(const Scenario& scenario, NodeId num_people);

  std::uint32_t num_partners() const { return static_cast<std::uint32_t>(partners_.size()); }
  const Partner& partner(std::uint32_t i) const { return partners_[i]; }
  // Source ids: partners 0 .. num_partners - 1, then the firm.
  std::uint32_t firm_id() const { return num_partners(); }
  std::span<const NodeId> firm_followers() const { return firm_followers_; }
  bool cooperate(std::uint32_t a, std::uint32_t b) const;
  const EcosystemFigures& figures() const { return figures_; }

 private:
  void count_figures();
  std::vector<Partner> partners_;
  EcosystemFigures figures_;
  std::vector<NodeId> firm_followers_;
};

// One message of the media plan and the people its stages reach.
struct Message {
  Step start = 0;
  bool solo = true;                                 // the firm alone, or a triad
  std::uint32_t owner = 0, source = 0, channel = 0;  // partner ids (source = firm id when solo)
  double cost = 0;
  double credibility = 0;         // of the source
  std::vector<NodeId> audience;   // union of the engaged followers, sorted
};

struct StageEvent {
  std::uint32_t message;
  std::uint8_t stage;  // 0 announce, 1 event, 2 echo
  double strength;
};

class MediaPlan {
 public:
  MediaPlan(const Scenario& scenario, const Ecosystem& ecosystem);
  const std::vector<Message>& messages() const { return messages_; }
  // Stage events that fall in step t (empty past the plan).
  std::span<const StageEvent> events_at(Step t) const;
  std::uint32_t distinct_triads() const { return distinct_triads_; }

 private:
  std::vector<Message> messages_;
  std::vector<std::vector<StageEvent>> events_;  // by step
  std::uint32_t distinct_triads_ = 0;
};

// The ecosystems and media plans of the last few scenarios, shared by the models of
// the variants that draw the same ones: a sweep over firm.unit_cost or media.wearout
// builds them once. An ecosystem is keyed by every field its constructor reads (the
// seed, [partners], firm.reach, the audience's size), a plan by its ecosystem's key and
// every field the plan reads. Safe to call from several threads.
class EcosystemCache {
 public:
  struct World {
    std::shared_ptr<const Ecosystem> ecosystem;
    std::shared_ptr<const MediaPlan> plan;
  };
  World get(const Scenario& scenario, NodeId num_people);
  std::size_t builds() const;  // ecosystems and plans built, not found

 private:
  static constexpr std::size_t KEEP = 2;  // of each: consecutive variants share
  mutable std::mutex mutex_;
  std::vector<std::pair<std::string, std::shared_ptr<const Ecosystem>>> ecosystems_;  // newest last
  std::vector<std::pair<std::string, std::shared_ptr<const MediaPlan>>> plans_;
  std::size_t builds_ = 0;
};

}  // namespace campaign
