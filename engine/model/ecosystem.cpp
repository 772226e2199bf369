#include "model/ecosystem.h"

#include <fmt/format.h>
#include <tbb/parallel_for.h>
#include <tbb/tick_count.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

#include "core/error.h"
#include "core/interrupt.h"
#include "model/seeding.h"
#include "rng/philox.h"
#include "scenario/scenario_loader.h"

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
  count_figures();
  figures_.seconds = (tbb::tick_count::now() - start).seconds();
}

void Ecosystem::count_figures() {
  EcosystemFigures& f = figures_;
  double work = 0;  // list steps of the triangle count: at most min(degree) per pair
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

MediaPlan::MediaPlan(const Scenario& s, const Ecosystem& eco) {
  const auto& m = s.media;
  events_.resize(s.run.steps + std::size_t{1});
  if (m.strategy == MediaStrategy::none) return;
  const CounterRng rng(s.run.seed);
  std::vector<std::uint32_t> owners;
  for (std::uint32_t i = 0; i < eco.num_partners(); ++i) {
    if (eco.partner(i).roles & ROLE_OWNER) owners.push_back(i);
  }
  std::set<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>> used;
  double budget = m.budget;
  // A fresh triad is preferred: up to FRESH_TRIES draws look for one not used before,
  // then a repeat is accepted; no valid triad in MAX_TRIES draws is an input error.
  constexpr std::uint32_t FRESH_TRIES = 64, MAX_TRIES = 4096;
  std::vector<std::uint32_t> candidates;
  for (Step t = m.start; t <= s.run.steps; t += m.cadence) {
    throw_if_interrupted();
    Message msg;
    msg.start = t;
    const auto index = static_cast<std::uint32_t>(messages_.size());
    if (m.strategy == MediaStrategy::solo) {
      msg.source = eco.firm_id();
      msg.cost = s.firm.message_cost;
      msg.credibility = s.firm.credibility;
      msg.audience.assign(eco.firm_followers().begin(), eco.firm_followers().end());
    } else {
      bool found = false;
      std::tuple<std::uint32_t, std::uint32_t, std::uint32_t> best;
      for (std::uint32_t attempt = 0; attempt < MAX_TRIES && !found; ++attempt) {
        const auto draw = rng.block(Stream::media, 0, index, attempt);
        if (owners.empty()) break;
        const std::uint32_t owner = owners[CounterRng::below(draw[0] | std::uint64_t{draw[1]} << 32, owners.size())];
        candidates.clear();
        for (std::uint32_t peer : eco.partner(owner).peers) {
          if (eco.partner(peer).roles & ROLE_SOURCE) candidates.push_back(peer);
        }
        if (candidates.empty()) continue;
        const std::uint32_t source = candidates[CounterRng::below(std::uint64_t{draw[2]} << 32 | draw[3], candidates.size())];
        candidates.clear();
        for (std::uint32_t peer : eco.partner(owner).peers) {
          if (peer != source && (eco.partner(peer).roles & ROLE_CHANNEL) && eco.cooperate(source, peer)) {
            candidates.push_back(peer);
          }
        }
        if (candidates.empty()) continue;
        const std::uint32_t channel =
            candidates[CounterRng::below(rng.u64(Stream::media, 0, index, attempt, 1), candidates.size())];
        best = {owner, source, channel};
        found = attempt >= FRESH_TRIES || used.count(best) == 0;
      }
      if (!found) {
        throw InputError(fmt::format(
            "{}: media.strategy = \"triads\", but no triad (owner, source, channel) of mutually "
            "cooperating partners was found in {} tries; raise partners.cooperation or the role "
            "shares, or list partners.roles",
            s.source, MAX_TRIES));
      }
      std::tie(msg.owner, msg.source, msg.channel) = best;
      msg.solo = false;
      msg.cost = eco.partner(msg.owner).cost + eco.partner(msg.source).cost + eco.partner(msg.channel).cost;
      msg.credibility = eco.partner(msg.source).credibility;
      for (std::uint32_t who : {msg.owner, msg.source, msg.channel}) {
        const auto& f = eco.partner(who).followers;
        msg.audience.insert(msg.audience.end(), f.begin(), f.end());
      }
      std::sort(msg.audience.begin(), msg.audience.end());
      msg.audience.erase(std::unique(msg.audience.begin(), msg.audience.end()), msg.audience.end());
    }
    if (msg.cost > budget) break;
    budget -= msg.cost;
    if (!msg.solo) used.insert({msg.owner, msg.source, msg.channel});
    const Step offsets[3] = {m.announce_offset, m.event_offset, m.echo_offset};
    const double strengths[3] = {m.announce_strength, m.event_strength, m.echo_strength};
    for (std::uint8_t stage = 0; stage < 3; ++stage) {
      const Step at = t + offsets[stage];
      if (at <= s.run.steps && strengths[stage] > 0) events_[at].push_back({index, stage, strengths[stage]});
    }
    messages_.push_back(std::move(msg));
  }
  distinct_triads_ = static_cast<std::uint32_t>(used.size());
}

std::span<const StageEvent> MediaPlan::events_at(Step t) const {
  if (t >= events_.size()) return {};
  return events_[t];
}

namespace {

// Every field Ecosystem::Ecosystem reads, as text.
std::string ecosystem_key(const Scenario& s, NodeId num_people) {
  Scenario part;
  part.run.seed = s.run.seed;
  part.partners = s.partners;
  part.firm.reach = s.firm.reach;
  return fmt::format("{}\n{}", num_people, resolved_toml(part));
}

// Every field MediaPlan::MediaPlan reads besides the ecosystem, as text.
std::string plan_key(const Scenario& s) {
  Scenario part;
  part.run.seed = s.run.seed;
  part.run.steps = s.run.steps;
  part.firm.message_cost = s.firm.message_cost;
  part.firm.credibility = s.firm.credibility;
  const MediaSettings& m = s.media;
  MediaSettings& p = part.media;
  p.strategy = m.strategy;
  p.budget = m.budget;
  p.cadence = m.cadence;
  p.start = m.start;
  p.announce_offset = m.announce_offset;
  p.event_offset = m.event_offset;
  p.echo_offset = m.echo_offset;
  p.announce_strength = m.announce_strength;
  p.event_strength = m.event_strength;
  p.echo_strength = m.echo_strength;
  return fmt::format("{}\n{}", s.source, resolved_toml(part));  // the source: its error names it
}

template <typename T>
std::shared_ptr<const T> find(std::vector<std::pair<std::string, std::shared_ptr<const T>>>& kept,
                              const std::string& key) {
  for (const auto& [k, value] : kept) {
    if (k == key) return value;
  }
  return nullptr;
}

template <typename T>
void keep(std::vector<std::pair<std::string, std::shared_ptr<const T>>>& kept, std::string key,
          std::shared_ptr<const T> value, std::size_t most) {
  if (kept.size() == most) kept.erase(kept.begin());
  kept.emplace_back(std::move(key), std::move(value));
}

}  // namespace

EcosystemCache::World EcosystemCache::get(const Scenario& s, NodeId num_people) {
  const std::string eco_key = ecosystem_key(s, num_people);
  const std::string key = eco_key + plan_key(s);
  const std::lock_guard lock(mutex_);
  World world{find(ecosystems_, eco_key), find(plans_, key)};
  if (!world.ecosystem) {
    world.ecosystem = std::make_shared<const Ecosystem>(s, num_people);
    ++builds_;
    keep(ecosystems_, eco_key, world.ecosystem, KEEP);
  }
  if (!world.plan) {
    world.plan = std::make_shared<const MediaPlan>(s, *world.ecosystem);
    ++builds_;
    keep(plans_, key, world.plan, KEEP);
  }
  return world;
}

std::size_t EcosystemCache::builds() const {
  const std::lock_guard lock(mutex_);
  return builds_;
}

}  // namespace campaign
