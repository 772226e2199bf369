// The campaign's partner ecosystem, drawn once per run from the master seed (stream
// `partners`, replication slot 0) and shared by all replications: key partners (roles,
// reach sets in the audience, credibility, cost), the partner cooperation graph and the
// firm's own followers. The media plan that sends messages through it is
// model/media_plan.h; model/ecosystem_cache.h shares both between variants.
#pragma once

#include <cstdint>
#include <mutex>
#include <span>
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
  // unless that would take more than about COUNT_BUDGET list steps (dense cooperation
  // among thousands of partners); then `triads_counted` is false.
  bool triads_counted = false;
  TriangleCount triads;
  double seconds = 0;  // to draw the ecosystem and count these
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
  // Counted on first use (a triad plan's check, the run summary), once, thread-safely.
  const EcosystemFigures& figures() const;

 private:
  void count_figures() const;
  std::vector<Partner> partners_;
  double draw_seconds_ = 0;
  mutable std::once_flag figures_once_;
  mutable EcosystemFigures figures_;
  std::vector<NodeId> firm_followers_;
};

}  // namespace campaign
