// The campaign's partner ecosystem, drawn once per run from the master seed (stream
// `partners`, replication slot 0) and shared by all replications: key partners (roles,
// credibility, cost), their followers in the audience, the partner cooperation graph and
// the firm's own followers. The media plan that sends messages through it is
// model/media_plan.h; model/ecosystem_cache.h shares both between variants.
//
// Storage is compact: followers as one CSR (4-byte person ids, 8 bytes of offset per
// partner), cooperation as a graph/CsrGraph drawn by the social graph's generators.
// Every draw is keyed by partner index, so the ecosystem does not depend on the threads,
// and under the random and preferential cooperation models a larger team contains a
// smaller team's partners, followers and pairs.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "core/types.h"
#include "graph/csr_graph.h"
#include "graph/triangles.h"
#include "scenario/scenario.h"

namespace campaign {

struct Partner {
  std::uint8_t roles = 0;  // ROLE_OWNER | ROLE_SOURCE | ROLE_CHANNEL
  double credibility = 0;
  double cost = 0;
};

// What the run summary says of an ecosystem (docs/model.md).
struct EcosystemFigures {
  std::uint64_t follower_links = 0, max_followers = 0, cooperating_pairs = 0;
  std::uint64_t followed_people = 0;  // distinct people following at least one partner
  // The cooperation graph's triangles and valid triads, counted exactly (graph/triangles.h)
  // unless that would take more than about COUNT_BUDGET list steps and the cooperation
  // is dense (pair density cubed at least DENSE: thousands of partners, most of them
  // cooperating); then `triads_counted` is false.
  bool triads_counted = false;
  TriangleCount triads;
  double seconds = 0;  // to draw the ecosystem and count these
  static constexpr double COUNT_BUDGET = 4e8;  // about a second on one core
  static constexpr double DENSE = 1e-4;
};

class Ecosystem {
 public:
  // Neighbourhood followers need the social graph; every other model only its size.
  Ecosystem(const Scenario& scenario, const CsrGraph& graph);
  Ecosystem(const Scenario& scenario, NodeId num_people);

  std::uint32_t num_partners() const { return static_cast<std::uint32_t>(partners_.size()); }
  NodeId num_people() const { return num_people_; }
  const Partner& partner(std::uint32_t i) const { return partners_[i]; }
  // Sorted person ids.
  std::span<const NodeId> followers(std::uint32_t i) const {
    return {followers_.data() + follower_offsets_[i], followers_.data() + follower_offsets_[i + 1]};
  }
  // Cooperating partners, sorted.
  std::span<const NodeId> peers(std::uint32_t i) const { return cooperation_.neighbors(i); }
  const CsrGraph& cooperation() const { return cooperation_; }
  bool cooperate(std::uint32_t a, std::uint32_t b) const { return cooperation_.has_edge(a, b); }
  // Source ids: partners 0 .. num_partners - 1, then the firm.
  std::uint32_t firm_id() const { return num_partners(); }
  std::span<const NodeId> firm_followers() const { return firm_followers_; }

  // Counted on first use (a triad plan, the run summary), once, thread-safely.
  const EcosystemFigures& figures() const;
  // The valid triads indexed for exact uniform choice; null when figures() did not count
  // them (past the budget).
  const TriadIndex* triads() const;
  // Bytes held by followers, cooperation, partners and the firm's followers (not the
  // triad index, which exists only once a triad plan has asked for it).
  std::size_t memory_bytes() const;

 private:
  Ecosystem(const Scenario& scenario, NodeId num_people, const CsrGraph* graph);
  void count_figures() const;
  NodeId num_people_ = 0;
  std::vector<Partner> partners_;
  std::vector<ArcIndex> follower_offsets_;  // num_partners + 1
  std::vector<NodeId> followers_;
  CsrGraph cooperation_;
  std::vector<NodeId> firm_followers_;
  double draw_seconds_ = 0;
  mutable std::once_flag figures_once_;
  mutable EcosystemFigures figures_;
  mutable std::unique_ptr<const TriadIndex> triads_;
};

}  // namespace campaign
