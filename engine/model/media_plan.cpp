#include "model/media_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <unordered_map>
#include <unordered_set>

#include "core/error.h"
#include "core/interrupt.h"
#include "rng/philox.h"

namespace campaign {
namespace {

// Picks the plan's triads uniformly among the valid ordered triads (owner, source,
// channel), those not used yet first: the plan walks a random permutation of the triads,
// drawn lazily (Durstenfeld's shuffle, its swaps kept in a hash map), and starts a new
// one once every triad has been used. Message i's draw (stream `media`, keyed by i) picks
// the triad at a uniform position among those not used yet, through the ecosystem's
// TriadIndex. Without the index (dense cooperation among thousands of partners, where
// counting would take long and, by the same density, nearly every role holder triple is
// a triad), an owner, a source and a channel are drawn uniformly among the role holders
// until they form a valid triad not used yet: rejection sampling, uniform over the
// unused triads as well.
class TriadChooser {
 public:
  TriadChooser(const Ecosystem& eco, const CounterRng& rng) : eco_(eco), rng_(rng), index_(eco.triads()) {
    if (index_) return;
    for (std::uint32_t i = 0; i < eco.num_partners(); ++i) {
      for (std::uint32_t role = 0; role < 3; ++role) {
        if (eco.partner(i).roles >> role & 1u) holders_[role].push_back(i);
      }
    }
  }

  std::array<std::uint32_t, 3> next(std::uint32_t message, const std::string& where) {
    std::array<std::uint32_t, 3> triad{};
    if (index_) {
      const std::uint64_t total = index_->count().role_assignments;
      if (taken_ == total) {  // every triad used: a new round
        swapped_.clear();
        taken_ = 0;
      }
      const std::uint64_t pick = taken_ + CounterRng::below(rng_.u64(Stream::media, 0, message, 0, DRAW_INDEXED), total - taken_);
      const std::uint64_t k = position(pick);
      swapped_[pick] = position(taken_);
      ++taken_;
      triad = index_->at(k);
      used_.insert(k);
      return triad;
    }
    for (std::uint32_t attempt = 0; attempt < MAX_TRIES; ++attempt) {
      const CounterRng::Block draw = rng_.block(Stream::media, 0, message, attempt, DRAW_REJECTION);
      for (std::uint32_t role = 0; role < 3; ++role) {
        triad[role] = holders_[role][CounterRng::below(std::uint64_t{draw[role]} << 32 | draw[3], holders_[role].size())];
      }
      const auto [o, s, c] = triad;
      if (o != s && s != c && o != c && eco_.cooperate(o, s) && eco_.cooperate(s, c) && eco_.cooperate(o, c)) {
        const std::uint64_t key = (std::uint64_t{o} << 40) ^ (std::uint64_t{s} << 20) ^ c;  // ids < 2^20
        if (used_.insert(key).second) return triad;
      }
    }
    throw InputError(fmt::format(
        "{}: media.strategy = \"triads\": no unused triad (owner, source, channel) of mutually cooperating "
        "partners was found in {} uniform draws of role holders; the cooperation graph is too sparse to "
        "draw triads this way and too large to count them; lower partners.count or media.budget",
        where, MAX_TRIES));
  }

  std::uint32_t distinct() const { return static_cast<std::uint32_t>(used_.size()); }

 private:
  enum : std::uint32_t { DRAW_INDEXED = 2, DRAW_REJECTION = 3 };
  static constexpr std::uint32_t MAX_TRIES = 1u << 20;
  std::uint64_t position(std::uint64_t i) const {
    const auto it = swapped_.find(i);
    return it == swapped_.end() ? i : it->second;
  }
  const Ecosystem& eco_;
  const CounterRng& rng_;
  const TriadIndex* index_;
  std::uint64_t taken_ = 0;                              // triads used in this round
  std::unordered_map<std::uint64_t, std::uint64_t> swapped_;  // the permutation where it is not identity
  std::unordered_set<std::uint64_t> used_;               // triads used by the plan
  std::vector<std::uint32_t> holders_[3];                // without the index: partners per role
};

}  // namespace

MediaPlan::MediaPlan(const Scenario& s, const Ecosystem& eco) {
  const auto& m = s.media;
  events_.resize(s.run.steps + std::size_t{1});
  if (m.strategy == MediaStrategy::none) return;
  const CounterRng rng(s.run.seed);
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
  TriadChooser chooser(eco, rng);
  double budget = m.budget;
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
        const auto best = chooser.next(index, s.source);
        msg.owner = best[0];
        msg.source = best[1];
        msg.channel = best[2];
        msg.solo = false;
        msg.cost = eco.partner(msg.owner).cost + eco.partner(msg.source).cost + eco.partner(msg.channel).cost;
        msg.credibility = eco.partner(msg.source).credibility;
        for (std::uint32_t who : {msg.owner, msg.source, msg.channel}) {
          const auto f = eco.followers(who);
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
      const Step offsets[3] = {m.announce_offset, m.event_offset, m.echo_offset};
      const double strengths[3] = {m.announce_strength, m.event_strength, m.echo_strength};
      for (std::uint8_t stage = 0; stage < 3; ++stage) {
        const Step at = t + offsets[stage];
        if (at <= s.run.steps && strengths[stage] > 0) events_[at].push_back({index, stage, strengths[stage]});
      }
      messages_.push_back(std::move(msg));
    }
  }
  distinct_triads_ = chooser.distinct();
}

std::span<const StageEvent> MediaPlan::events_at(Step t) const {
  if (t >= events_.size()) return {};
  return events_[t];
}

}  // namespace campaign
