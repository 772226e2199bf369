#include "model/ecosystem.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/tick_count.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/interrupt.h"
#include "graph/generators.h"
#include "graph/graph_builder.h"
#include "model/seeding.h"
#include "rng/philox.h"
#include "scenario/ecosystem_files.h"

namespace campaign {
namespace {

// Purposes of the `partners` stream's draws, in the c field. DRAW_COOPERATION keys the
// cooperation graph's seed (its generator draws on that seed's own `graph` stream).
enum : std::uint32_t {
  DRAW_ROLE = 1,
  DRAW_REACH_SIZE = 2,
  DRAW_FOLLOWERS = 3,
  DRAW_COOPERATION = 4,
  DRAW_HOME = 5,  // community followers: the home community; neighbourhood: the hubs
  DRAW_LEAK = 6,  // community followers from outside the home community
};
constexpr std::uint32_t FIRM_KEY = 0xFFFF'FFFF;  // partners are numbered below 2^24

// Pareto(x_m, alpha) with mean `mean`: x_m = mean (alpha - 1) / alpha, x = x_m U^(-1/alpha).
NodeId pareto_reach(double mean, double alpha, double u, NodeId cap) {
  const double scale = mean * (alpha - 1.0) / alpha;
  const double x = scale * std::pow(1.0 - u, -1.0 / alpha);
  return static_cast<NodeId>(std::llround(std::min<double>(cap, x)));  // cap first: x may be huge
}

CsrGraph draw_cooperation(const Scenario& s, std::uint64_t seed) {
  const PartnerSettings& p = s.partners;
  if (p.cooperation_model == CooperationModel::file) {
    GraphBuilder builder(p.count);
    for (const auto& [a, b] : read_cooperation_file(s)) builder.add_edge(a, b);
    return std::move(builder).build();
  }
  if (p.count < 2 || cooperation_degree(p) == 0) return CsrGraph(std::vector<ArcIndex>(p.count + std::size_t{1}, 0), {});
  switch (p.cooperation_model) {
    case CooperationModel::random:
      return growing_erdos_renyi(
          p.count, p.cooperation_degree > 0 ? p.cooperation_degree / (p.count - 1.0) : p.cooperation, seed);
    case CooperationModel::block: {
      const BlockCooperation b = block_cooperation(p);
      return stochastic_block_model(segment_sizes(std::vector<double>(p.groups, 1.0 / p.groups), p.count),
                                    b.p_in, b.p_out, seed);
    }
    case CooperationModel::preferential:
      return barabasi_albert(p.count, preferential_links(p), seed);
    case CooperationModel::file:
      break;
  }
  return {};
}

// The communities of the community follower model: the audience's segments when it has
// several, else partners.communities equal ranges of person ids. Start of each, and n.
std::vector<NodeId> community_starts(const Scenario& s, NodeId n) {
  const std::vector<NodeId> sizes =
      s.segments.names.size() >= 2
          ? segment_sizes(s.segments.shares, n)
          : segment_sizes(std::vector<double>(s.partners.communities, 1.0 / s.partners.communities), n);
  std::vector<NodeId> starts(1, 0);
  for (NodeId size : sizes) starts.push_back(starts.back() + size);
  return starts;
}

// The k people nearest `hub` in the graph, breadth first (neighbours in id order); where
// the hub's component is smaller, further hubs (keyed by attempt) add theirs. Sorted.
void nearest_people(const CsrGraph& graph, std::span<NodeId> out, const CounterRng& rng, std::uint32_t partner,
                    std::uint32_t draw) {
  const NodeId n = graph.num_nodes();
  PersonSet seen(static_cast<NodeId>(out.size()));
  std::size_t filled = 0;
  for (std::uint32_t attempt = 0; filled < out.size(); ++attempt) {
    const auto hub = static_cast<NodeId>(CounterRng::below(rng.u64(Stream::partners, 0, partner, attempt, draw), n));
    if (!seen.insert(hub)) continue;
    out[filled++] = hub;
    for (std::size_t head = filled - 1; head < filled && filled < out.size(); ++head) {
      for (NodeId v : graph.neighbors(out[head])) {
        if (seen.insert(v)) {
          out[filled++] = v;
          if (filled == out.size()) break;
        }
      }
    }
  }
  std::sort(out.begin(), out.end());
}

}  // namespace

Ecosystem::Ecosystem(const Scenario& s, NodeId num_people) : Ecosystem(s, num_people, nullptr) {}

Ecosystem::Ecosystem(const Scenario& s, const CsrGraph& graph) : Ecosystem(s, graph.num_nodes(), &graph) {}

Ecosystem::Ecosystem(const Scenario& s, NodeId num_people, const CsrGraph* graph) : num_people_(num_people) {
  const tbb::tick_count start = tbb::tick_count::now();
  const auto& p = s.partners;
  const CounterRng rng(s.run.seed);
  partners_.resize(p.count);
  follower_offsets_.assign(p.count + std::size_t{1}, 0);
  if (p.followers == FollowerModel::neighbourhood && graph == nullptr) {
    throw std::invalid_argument("Ecosystem: neighbourhood followers need the social graph");
  }
  // Community followers: each partner's home community, and how many of its followers
  // come from there (the rest, a share partners.leakage, from the rest of the audience).
  const std::vector<NodeId> communities =
      p.followers == FollowerModel::community ? community_starts(s, num_people) : std::vector<NodeId>();
  std::vector<std::uint32_t> home(p.followers == FollowerModel::community ? p.count : 0);
  std::vector<NodeId> inside(home.size());
  // Every draw is keyed by partner index, so the partners are drawn in parallel.
  tbb::parallel_for(std::uint32_t{0}, p.count, [&](std::uint32_t i) {
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
    NodeId reach =
        p.reach.empty()
            ? pareto_reach(p.reach_mean, p.reach_tail, rng.uniform(Stream::partners, 0, i, 0, DRAW_REACH_SIZE),
                           num_people)
            : static_cast<NodeId>(std::min<std::int64_t>(p.reach[i], num_people));
    if (p.followers == FollowerModel::community) {
      home[i] = static_cast<std::uint32_t>(
          CounterRng::below(rng.u64(Stream::partners, 0, i, 0, DRAW_HOME), communities.size() - 1));
      const NodeId size = communities[home[i] + 1] - communities[home[i]];
      inside[i] = std::min<NodeId>(size, static_cast<NodeId>(std::llround((1 - p.leakage) * reach)));
      reach = inside[i] + std::min<NodeId>(num_people - size, reach - inside[i]);
    }
    follower_offsets_[std::size_t{i} + 1] = reach;
  });
  if (p.followers == FollowerModel::file) {
    const auto pairs = read_followers_file(s, num_people);
    std::fill(follower_offsets_.begin(), follower_offsets_.end(), 0);
    for (const auto& [who, person] : pairs) ++follower_offsets_[std::size_t{who} + 1];
    for (std::uint32_t i = 0; i < p.count; ++i) follower_offsets_[i + std::size_t{1}] += follower_offsets_[i];
    followers_.reserve(pairs.size());
    for (const auto& [who, person] : pairs) followers_.push_back(person);  // sorted by partner, then person
  } else {
    for (std::uint32_t i = 0; i < p.count; ++i) follower_offsets_[i + std::size_t{1}] += follower_offsets_[i];
    followers_.resize(follower_offsets_.back());
    tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, p.count), [&](const tbb::blocked_range<std::uint32_t>& range) {
      throw_if_interrupted();
      for (std::uint32_t i = range.begin(); i != range.end(); ++i) {
        const std::span<NodeId> mine(followers_.data() + follower_offsets_[i], followers_.data() + follower_offsets_[i + 1]);
        switch (p.followers) {
          case FollowerModel::uniform:
          case FollowerModel::file:
            sample_people(num_people, mine, rng, Stream::partners, 0, i, DRAW_FOLLOWERS);
            break;
          case FollowerModel::community: {
            // Inside the home community [lo, hi), then the rest of the audience with the
            // community cut out: both sorted, so one merge sorts them.
            const NodeId lo = communities[home[i]], size = communities[home[i] + 1] - lo;
            const auto in = mine.first(inside[i]), out = mine.subspan(inside[i]);
            sample_people(size, in, rng, Stream::partners, 0, i, DRAW_FOLLOWERS);
            for (NodeId& v : in) v += lo;
            sample_people(num_people - size, out, rng, Stream::partners, 0, i, DRAW_LEAK);
            for (NodeId& v : out) v += v >= lo ? size : 0;
            std::inplace_merge(mine.begin(), mine.begin() + inside[i], mine.end());
            break;
          }
          case FollowerModel::neighbourhood:
            nearest_people(*graph, mine, rng, i, DRAW_HOME);
            break;
        }
      }
    });
  }
  cooperation_ = draw_cooperation(s, rng.u64(Stream::partners, 0, 0, 0, DRAW_COOPERATION));
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

const TriadIndex* Ecosystem::triads() const {
  figures();
  return triads_.get();
}

void Ecosystem::count_figures() const {
  EcosystemFigures& f = figures_;
  f.follower_links = followers_.size();
  std::vector<bool> followed(num_people_, false);
  for (NodeId v : followers_) followed[v] = true;
  f.followed_people = static_cast<std::uint64_t>(std::count(followed.begin(), followed.end(), true));
  f.cooperating_pairs = cooperation_.num_edges();
  // The triangle count's cost, roughly: its merges walk about the shorter list per pair.
  double work = 0;
  for (std::uint32_t a = 0; a < num_partners(); ++a) {
    f.max_followers = std::max<std::uint64_t>(f.max_followers, follower_offsets_[a + 1] - follower_offsets_[a]);
    for (NodeId b : peers(a)) work += std::min(cooperation_.degree(a), cooperation_.degree(b));
  }
  // Past the budget, dense cooperation is left uncounted: its triads are then drawn by
  // rejection (model/media_plan.cpp), whose tries succeed with about density^3.
  const double pairs = num_partners() * (num_partners() - 1.0) / 2;
  const double density = pairs > 0 ? f.cooperating_pairs / pairs : 0.0;
  if (work / 2 > EcosystemFigures::COUNT_BUDGET && density * density * density >= EcosystemFigures::DENSE) return;
  std::vector<std::uint8_t> roles(num_partners());
  for (std::uint32_t a = 0; a < num_partners(); ++a) roles[a] = partners_[a].roles;  // owner, source, channel: bits 0, 1, 2
  triads_ = std::make_unique<const TriadIndex>(cooperation_, roles);
  f.triads = triads_->count();
  f.triads_counted = true;
}

std::size_t Ecosystem::memory_bytes() const {
  return partners_.size() * sizeof(Partner) + follower_offsets_.size() * sizeof(ArcIndex) +
         followers_.size() * sizeof(NodeId) + cooperation_.memory_bytes() + firm_followers_.size() * sizeof(NodeId);
}

}  // namespace campaign
