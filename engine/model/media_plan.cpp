#include "model/media_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>
#include <queue>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "core/error.h"
#include "core/interrupt.h"
#include "rng/philox.h"
#include "scenario/ecosystem_files.h"

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
// unused triads as well; where 2^20 draws find none, the round is taken as over (the
// used triads are forgotten) and the draws go on once more before that is an error.
class TriadChooser {
 public:
  TriadChooser(const Ecosystem& eco, const CounterRng& rng, const std::string& where)
      : eco_(eco), rng_(rng), index_(eco.triads()) {
    if (index_) return;
    for (std::uint32_t i = 0; i < eco.num_partners(); ++i) {
      for (std::uint32_t role = 0; role < 3; ++role) {
        if (eco.partner(i).roles >> role & 1u) holders_[role].push_back(i);
      }
    }
    if (holders_[0].empty() || holders_[1].empty() || holders_[2].empty()) {
      throw InputError(fmt::format(
          "{}: media.strategy = \"triads\", but no triad exists: {} partners ({} owners, {} sources, {} channels); "
          "raise the role shares",
          where, eco.num_partners(), holders_[0].size(), holders_[1].size(), holders_[2].size()));
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
      return index_->at(k);
    }
    for (std::uint32_t attempt = 0; attempt < 2 * MAX_TRIES; ++attempt) {
      if (attempt == MAX_TRIES) {
        if (drawn_.empty()) break;  // not a single valid triad drawn
        drawn_.clear();             // a new round
      }
      const CounterRng::Block draw = rng_.block(Stream::media, 0, message, attempt, DRAW_REJECTION);
      for (std::uint32_t role = 0; role < 3; ++role) {
        triad[role] = holders_[role][CounterRng::below(std::uint64_t{draw[role]} << 32 | draw[3], holders_[role].size())];
      }
      const auto [o, s, c] = triad;
      if (o != s && s != c && o != c && eco_.cooperate(o, s) && eco_.cooperate(s, c) && eco_.cooperate(o, c)) {
        const std::uint64_t key = (std::uint64_t{o} << 40) ^ (std::uint64_t{s} << 20) ^ c;  // ids < 2^20
        if (drawn_.insert(key).second) return triad;
      }
    }
    throw InputError(fmt::format(
        "{}: media.strategy = \"triads\": no triad (owner, source, channel) of mutually cooperating "
        "partners was found in {} uniform draws of role holders; the cooperation graph is too sparse to "
        "draw triads this way and too large to count them; lower partners.count or raise the role shares",
        where, MAX_TRIES));
  }


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
  std::unordered_set<std::uint64_t> drawn_;              // without the index: triads drawn
  std::vector<std::uint32_t> holders_[3];                // without the index: partners per role
};

// media.triad_choice = "fresh_reach", a planner's heuristic: each message takes the valid
// triangle whose partners' followers add the most people the plan has not reached yet.
// Lazy greedy (Minoux 1978): a max-heap holds every triangle's last known gain, an upper
// bound since gains only fall as the plan reaches more; the top is re-evaluated until
// it stays on top. Ties go to a keyed random priority per triangle. The roles go to the
// order with the most credible source (then the first order). Once every triangle has
// been used, a new round starts with nobody counted as reached.
class FreshReachChooser {
 public:
  FreshReachChooser(const Ecosystem& eco, const CounterRng& rng, const std::string& where)
      : eco_(eco), rng_(rng), reached_((std::size_t{eco.num_people()} + 63) / 64, 0) {
    const TriadIndex* index = eco.triads();
    if (index == nullptr) {
      throw InputError(fmt::format(
          "{}: media.triad_choice = \"fresh_reach\" needs the triads counted, but the cooperation is too dense to "
          "count them ({} partners, {} cooperating pairs); use media.triad_choice = \"uniform\"",
          where, eco.num_partners(), eco.figures().cooperating_pairs));
    }
    if (index->count().valid > MAX_TRIANGLES) {
      throw InputError(fmt::format(
          "{}: media.triad_choice = \"fresh_reach\" keeps every valid triad, and there are {} (at most {:.0e}); "
          "use media.triad_choice = \"uniform\" or a sparser cooperation",
          where, index->count().valid, static_cast<double>(MAX_TRIANGLES)));
    }
    triangles_ = index->valid_triangles();
    round();
  }

  std::array<std::uint32_t, 3> next() {
    if (heap_.empty()) round();
    for (;;) {
      Entry top = heap_.top();
      heap_.pop();
      top.gain = gain(top.triangle);
      if (heap_.empty() || !(top < heap_.top())) {
        const auto corners = triangles_[top.triangle];
        for (NodeId who : corners) {
          for (NodeId v : eco_.followers(who)) reached_[v / 64] |= std::uint64_t{1} << (v % 64);
        }
        return roles(corners);
      }
      heap_.push(top);
    }
  }


 private:
  static constexpr std::uint64_t MAX_TRIANGLES = 50'000'000;
  enum : std::uint32_t { DRAW_TIE = 4 };
  struct Entry {
    std::uint64_t gain, tie;
    std::uint32_t triangle;
    bool operator<(const Entry& o) const { return std::tie(gain, tie) < std::tie(o.gain, o.tie); }
  };

  // A new round: every triangle, its gain bounded by its partners' follower counts.
  void round() {
    std::fill(reached_.begin(), reached_.end(), 0);
    std::vector<Entry> entries;
    entries.reserve(triangles_.size());
    for (std::uint32_t t = 0; t < triangles_.size(); ++t) {
      std::uint64_t bound = 0;
      for (NodeId who : triangles_[t]) bound += eco_.followers(who).size();
      entries.push_back({bound, rng_.u64(Stream::media, 0, t, 0, DRAW_TIE), t});
    }
    heap_ = std::priority_queue<Entry>(std::less<Entry>(), std::move(entries));
  }

  // People following one of the triangle's partners whom the plan has not reached.
  std::uint64_t gain(std::uint32_t t) {
    scratch_.clear();
    for (NodeId who : triangles_[t]) {
      for (NodeId v : eco_.followers(who)) {
        if (!(reached_[v / 64] >> (v % 64) & 1u)) scratch_.push_back(v);
      }
    }
    std::sort(scratch_.begin(), scratch_.end());
    return static_cast<std::uint64_t>(std::unique(scratch_.begin(), scratch_.end()) - scratch_.begin());
  }

  std::array<std::uint32_t, 3> roles(const std::array<NodeId, 3>& corners) const {
    std::array<std::uint32_t, 3> best{};
    double credibility = -1;
    for (const auto& order : ROLE_ORDERS) {
      const std::uint32_t o = corners[order[0]], s = corners[order[1]], c = corners[order[2]];
      if ((eco_.partner(o).roles & ROLE_OWNER) && (eco_.partner(s).roles & ROLE_SOURCE) &&
          (eco_.partner(c).roles & ROLE_CHANNEL) && eco_.partner(s).credibility > credibility) {
        credibility = eco_.partner(s).credibility;
        best = {o, s, c};
      }
    }
    return best;
  }

  const Ecosystem& eco_;
  const CounterRng& rng_;
  std::vector<std::array<NodeId, 3>> triangles_;
  std::priority_queue<Entry> heap_;
  std::vector<std::uint64_t> reached_;  // bitmap over the audience
  std::vector<NodeId> scratch_;
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
  double budget = m.budget;
  // Schedules a paid message's stages; false when the budget cannot pay it.
  const auto send = [&](Message msg) {
    if (msg.cost > budget) return false;
    budget -= msg.cost;
    const auto index = static_cast<std::uint32_t>(messages_.size());
    const Step offsets[3] = {m.announce_offset, m.event_offset, m.echo_offset};
    const double strengths[3] = {m.announce_strength, m.event_strength, m.echo_strength};
    for (std::uint8_t stage = 0; stage < 3; ++stage) {
      const Step at = msg.start + offsets[stage];
      if (at <= s.run.steps && strengths[stage] > 0) events_[at].push_back({index, stage, strengths[stage]});
    }
    messages_.push_back(std::move(msg));
    return true;
  };
  // The triads of the messages sent (a triad drawn for a message the budget cannot pay
  // does not count).
  const auto distinct = [&] {
    std::set<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>> triads;
    for (const Message& msg : messages_) {
      if (!msg.solo && msg.owner != msg.source) triads.insert({msg.owner, msg.source, msg.channel});
    }
    return static_cast<std::uint32_t>(triads.size());
  };
  const auto firm_message = [&](Step t) {
    Message msg;
    msg.start = t;
    msg.source = eco.firm_id();
    msg.cost = s.firm.message_cost;
    msg.credibility = s.firm.credibility;
    msg.audience.assign(eco.firm_followers().begin(), eco.firm_followers().end());
    return msg;
  };
  const auto triad_message = [&](Step t, std::uint32_t owner, std::uint32_t source, std::uint32_t channel) {
    Message msg;
    msg.start = t;
    msg.solo = false;
    msg.owner = owner;
    msg.source = source;
    msg.channel = channel;
    msg.cost = eco.partner(owner).cost + eco.partner(source).cost + eco.partner(channel).cost;
    msg.credibility = eco.partner(source).credibility;
    for (std::uint32_t who : {owner, source, channel}) {
      const auto f = eco.followers(who);
      msg.audience.insert(msg.audience.end(), f.begin(), f.end());
    }
    std::sort(msg.audience.begin(), msg.audience.end());
    msg.audience.erase(std::unique(msg.audience.begin(), msg.audience.end()), msg.audience.end());
    return msg;
  };
  if (m.strategy == MediaStrategy::calendar) {
    // The calendar's messages, by step (in file order within a step); each must be
    // affordable, so the plan is what the file says or an error naming the line.
    static constexpr const char* ROLE_NAMES[] = {"owner", "source", "channel"};
    for (const CalendarEntry& e : read_calendar(s)) {
      throw_if_interrupted();
      Message msg;
      if (e.firm) {
        msg = firm_message(e.step);
      } else {
        const std::uint32_t who[3] = {e.owner, e.source, e.channel};
        for (std::uint32_t role = e.single ? 1 : 0; role < (e.single ? 2u : 3u); ++role) {
          if (!(eco.partner(who[role]).roles >> role & 1u)) {
            throw InputError(fmt::format("{}: column {}: partner {} cannot be {} ({})", e.where, ROLE_NAMES[role],
                                         s.partners.names.empty() ? std::to_string(who[role]) : s.partners.names[who[role]],
                                         ROLE_DESCRIPTIONS[role],
                                         "its roles are set by partners.roles or drawn from the role shares"));
          }
        }
        msg = triad_message(e.step, e.owner, e.source, e.channel);
        if (e.single) msg.cost = eco.partner(e.source).cost;  // one partner, paid once
      }
      if (e.has_cost) msg.cost = e.cost;
      const double cost = msg.cost;
      if (!send(std::move(msg))) {
        throw InputError(fmt::format("{}: column cost: this message ({:g}) brings the calendar over media.budget = "
                                     "{:g} ({:g} left); raise media.budget or shorten the calendar",
                                     e.where, cost, m.budget, budget));
      }
    }
    distinct_triads_ = distinct();
    return;
  }
  std::optional<TriadChooser> chooser;
  std::optional<FreshReachChooser> fresh;
  if (m.strategy == MediaStrategy::triads && m.start <= s.run.steps) {
    if (m.triad_choice == TriadChoice::uniform) {
      chooser.emplace(eco, rng, s.source);
    } else {
      fresh.emplace(eco, rng, s.source);
    }
  }
  // media.messages_per_step messages start in every step the plan sends (every cadence
  // steps), each keyed by its index in the plan; the plan ends at the first message the
  // budget cannot pay.
  for (Step t = m.start; t <= s.run.steps; t += m.cadence) {
    for (std::uint32_t j = 0; j < m.messages_per_step; ++j) {
      throw_if_interrupted();
      Message msg;
      if (m.strategy == MediaStrategy::solo) {
        msg = firm_message(t);
      } else {
        const auto triad = chooser ? chooser->next(static_cast<std::uint32_t>(messages_.size()), s.source) : fresh->next();
        msg = triad_message(t, triad[0], triad[1], triad[2]);
      }
      if (!send(std::move(msg))) {
        distinct_triads_ = distinct();
        return;
      }
    }
  }
  distinct_triads_ = distinct();
}

std::span<const StageEvent> MediaPlan::events_at(Step t) const {
  if (t >= events_.size()) return {};
  return events_[t];
}

}  // namespace campaign
