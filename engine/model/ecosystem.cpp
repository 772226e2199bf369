#include "model/ecosystem.h"

#include <tbb/parallel_for.h>
#include <tbb/tick_count.h>

#include <algorithm>
#include <cmath>

#include "core/interrupt.h"
#include "model/seeding.h"
#include "rng/philox.h"

namespace campaign {
namespace {

// Purposes of the `partners` stream's draws, in the c field.
enum : std::uint32_t { DRAW_ROLE = 1, DRAW_REACH_SIZE = 2, DRAW_FOLLOWERS = 3, DRAW_COOPERATION = 4 };
constexpr std::uint32_t FIRM_KEY = 0xFFFF'FFFF;  // partners are numbered below 60000

// Pareto(x_m, alpha) with mean `mean`: x_m = mean (alpha - 1) / alpha, x = x_m U^(-1/alpha).
NodeId pareto_reach(double mean, double alpha, double u, NodeId cap) {
  const double scale = mean * (alpha - 1.0) / alpha;
  const double x = scale * std::pow(1.0 - u, -1.0 / alpha);
  return static_cast<NodeId>(std::llround(std::min<double>(cap, x)));  // cap first: x may be huge
}

}  // namespace

Ecosystem::Ecosystem(const Scenario& s, NodeId num_people) {
  const tbb::tick_count start = tbb::tick_count::now();
  const auto& p = s.partners;
  const CounterRng rng(s.run.seed);
  partners_.resize(p.count);
  // Every draw is keyed by partner index (pairs by both), so the partners are drawn in
  // parallel and the ecosystem does not depend on the threads.
  tbb::parallel_for(std::uint32_t{0}, p.count, [&](std::uint32_t i) {
    throw_if_interrupted();
    Partner& partner = partners_[i];
    if (!p.roles.empty()) {
      partner.roles = parse_roles(p.roles[i]);
    } else {
      const double shares[3] = {p.owner_share, p.source_share, p.channel_share};
      for (std::uint32_t role = 0; role < 3; ++role) {
        if (Coin(shares[role])(rng.u32(Stream::partners, 0, i, role, DRAW_ROLE))) partner.roles |= 1u << role;
      }
    }
    partner.credibility = p.credibilities.empty() ? p.credibility : p.credibilities[i];
    partner.cost = p.costs.empty() ? p.cost : p.costs[i];
    const NodeId reach =
        p.reach.empty()
            ? pareto_reach(p.reach_mean, p.reach_tail, rng.uniform(Stream::partners, 0, i, 0, DRAW_REACH_SIZE),
                           num_people)
            : static_cast<NodeId>(std::min<std::int64_t>(p.reach[i], num_people));
    partner.followers = sample_people(num_people, reach, rng, Stream::partners, 0, i, DRAW_FOLLOWERS);
  });
  // Cooperation: partner a's coins with every b > a, rows in parallel; then each pair is
  // entered on both sides in order of a, so every peer list comes out sorted.
  const Coin cooperate_coin(p.cooperation);
  std::vector<std::vector<std::uint32_t>> later(p.count);
  tbb::parallel_for(std::uint32_t{0}, p.count, [&](std::uint32_t a) {
    throw_if_interrupted();
    for (std::uint32_t b = a + 1; b < p.count; ++b) {
      if (cooperate_coin(rng.u32(Stream::partners, 0, a, b, DRAW_COOPERATION))) later[a].push_back(b);
    }
  });
  std::vector<std::uint32_t> degree(p.count, 0);
  for (std::uint32_t a = 0; a < p.count; ++a) {
    degree[a] += static_cast<std::uint32_t>(later[a].size());
    for (std::uint32_t b : later[a]) ++degree[b];
  }
  for (std::uint32_t a = 0; a < p.count; ++a) partners_[a].peers.reserve(degree[a]);
  for (std::uint32_t a = 0; a < p.count; ++a) {
    for (std::uint32_t b : later[a]) {
      partners_[a].peers.push_back(b);
      partners_[b].peers.push_back(a);
    }
    std::vector<std::uint32_t>().swap(later[a]);
  }
  // Keyed apart from every partner id, so the firm's followers do not change with the
  // number of partners (team-size sweeps stay paired).
  firm_followers_ = sample_people(num_people, std::min<NodeId>(s.firm.reach, num_people), rng,
                                  Stream::partners, 0, FIRM_KEY, DRAW_FOLLOWERS);
  draw_seconds_ = (tbb::tick_count::now() - start).seconds();
}

const EcosystemFigures& Ecosystem::figures() const {
  std::call_once(figures_once_, [this] {
    const tbb::tick_count start = tbb::tick_count::now();
    count_figures();
    figures_.seconds = draw_seconds_ + (tbb::tick_count::now() - start).seconds();
  });
  return figures_;
}

void Ecosystem::count_figures() const {
  EcosystemFigures& f = figures_;
  // The triangle count's cost, roughly: its merges walk about the shorter list per pair.
  double work = 0;
  for (std::uint32_t a = 0; a < num_partners(); ++a) {
    const Partner& p = partners_[a];
    f.follower_links += p.followers.size();
    f.max_followers = std::max<std::uint64_t>(f.max_followers, p.followers.size());
    f.cooperating_pairs += p.peers.size();
    for (std::uint32_t b : p.peers) work += std::min(p.peers.size(), partners_[b].peers.size());
  }
  f.cooperating_pairs /= 2;
  if (work / 2 > EcosystemFigures::COUNT_BUDGET) return;
  std::vector<ArcIndex> offsets(std::size_t{num_partners()} + 1, 0);
  std::vector<NodeId> targets;
  targets.reserve(2 * f.cooperating_pairs);
  std::vector<std::uint8_t> roles(num_partners());
  for (std::uint32_t a = 0; a < num_partners(); ++a) {
    targets.insert(targets.end(), partners_[a].peers.begin(), partners_[a].peers.end());
    offsets[std::size_t{a} + 1] = targets.size();
    roles[a] = partners_[a].roles;  // owner, source, channel: bits 0, 1, 2
  }
  f.triads = count_triangles(CsrGraph(std::move(offsets), std::move(targets)), roles);
  f.triads_counted = true;
}

bool Ecosystem::cooperate(std::uint32_t a, std::uint32_t b) const {
  const auto& peers = partners_[a].peers;
  return std::binary_search(peers.begin(), peers.end(), b);
}

}  // namespace campaign
