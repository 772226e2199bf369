#include "model/media_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "core/error.h"
#include "core/interrupt.h"
#include "rng/philox.h"

namespace campaign {

MediaPlan::MediaPlan(const Scenario& s, const Ecosystem& eco) {
  const auto& m = s.media;
  events_.resize(s.run.steps + std::size_t{1});
  if (m.strategy == MediaStrategy::none) return;
  const CounterRng rng(s.run.seed);
  std::vector<std::uint32_t> owners;
  for (std::uint32_t i = 0; i < eco.num_partners(); ++i) {
    if (eco.partner(i).roles & ROLE_OWNER) owners.push_back(i);
  }
  if (m.strategy == MediaStrategy::triads && m.start <= s.run.steps && eco.figures().triads_counted &&
      eco.figures().triads.valid == 0) {
    std::uint32_t holders[3] = {0, 0, 0};  // owners, sources, channels
    for (std::uint32_t i = 0; i < eco.num_partners(); ++i) {
      for (std::uint32_t role = 0; role < 3; ++role) holders[role] += (eco.partner(i).roles >> role) & 1u;
    }
    throw InputError(fmt::format(
        "{}: media.strategy = \"triads\", but no triad exists (three partners cooperating pairwise as owner, "
        "source, channel): {} partners ({} owners, {} sources, {} channels), {} cooperating pairs, {} triangles; "
        "raise partners.cooperation or the role shares",
        s.source, eco.num_partners(), holders[0], holders[1], holders[2], eco.figures().cooperating_pairs,
        eco.figures().triads.triangles));
  }
  std::set<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>> used;
  double budget = m.budget;
  // A fresh triad is preferred: up to FRESH_TRIES draws look for one not used before,
  // then a repeat is accepted; no valid triad in MAX_TRIES draws is an input error.
  constexpr std::uint32_t FRESH_TRIES = 64, MAX_TRIES = 4096;
  std::vector<std::uint32_t> candidates;
  // media.messages_per_step messages start in every step the plan sends (every cadence
  // steps), each keyed by its index in the plan.
  bool spent = false;
  for (Step t = m.start; t <= s.run.steps && !spent; t += m.cadence) {
    for (std::uint32_t j = 0; j < m.messages_per_step; ++j) {
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
      if (msg.cost > budget) {
        spent = true;  // the plan ends at the first message the budget cannot pay
        break;
      }
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
  }
  distinct_triads_ = static_cast<std::uint32_t>(used.size());
}

std::span<const StageEvent> MediaPlan::events_at(Step t) const {
  if (t >= events_.size()) return {};
  return events_[t];
}

}  // namespace campaign
