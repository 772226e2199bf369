#include "model/independent_cascade.h"

#include <algorithm>
#include <array>
#include <bit>

#include "model/seeding.h"

namespace campaign {
namespace {

void record_cascade_step(Trajectory& out, Step t, std::size_t newly, std::size_t adopted) {
  out.at(NEWLY_ADOPTED, t) = static_cast<double>(newly);
  out.at(TOTAL_ADOPTED, t) = static_cast<double>(adopted);
  out.at(ACTIVE, t) = static_cast<double>(newly);  // only the newly active transmit
}

// One replication at a time. State: one bit per person (active or not), which stays in
// cache, and the current and next frontier as lists.
class SingleCascade {
 public:
  explicit SingleCascade(const IndependentCascade& model)
      : model_(model), active_((model.graph().num_nodes() + 63) / 64) {}

  void simulate(Replication r, Trajectory& out) {
    const CsrGraph& graph = model_.graph();
    const RowCoins coins = model_.contacts();

    std::fill(active_.begin(), active_.end(), 0);
    frontier_ = initial_adopters(model_.seeding(), graph.num_nodes(), model_.rng(), r);
    for (NodeId v : frontier_) activate(v);
    std::size_t adopted = frontier_.size();

    record_cascade_step(out, 0, frontier_.size(), adopted);
    Step t = 1;
    for (; t <= model_.steps() && !frontier_.empty(); ++t) {
      next_.clear();
      for (std::size_t i = 0; i < frontier_.size(); ++i) {
        graph.prefetch_ahead(frontier_, i, [](NodeId u) { return u; });
        const NodeId u = frontier_[i];
        coins.talk(r, u, 0, graph.neighbors(u), [&](NodeId v) {
          if (activate(v)) next_.push_back(v);
        });
      }
      adopted += next_.size();
      frontier_.swap(next_);
      record_cascade_step(out, t, frontier_.size(), adopted);
    }
    for (; t <= model_.steps(); ++t) record_cascade_step(out, t, 0, adopted);  // it is over
  }

 private:
  // Marks v active; false if it already was.
  bool activate(NodeId v) {
    std::uint64_t& word = active_[v / 64];
    const std::uint64_t bit = std::uint64_t{1} << (v % 64);
    if (word & bit) return false;
    word |= bit;
    return true;
  }

  const IndependentCascade& model_;
  std::vector<std::uint64_t> active_;
  std::vector<NodeId> frontier_, next_;
};

// Up to 64 replications per pass over the graph, one bit lane each. Every lane draws its
// own coins (RowCoins keyed by its replication), so lane i is exactly replication
// first + i run alone; what the lanes share is the walk: a person's row is fetched once
// per step for all lanes in which that person has just become active.
// State: per person the lanes in which it is active and those in which it became active
// in this step (16 bytes, one cache line), and the frontier as (person, lanes) pairs.
class FusedCascade {
 public:
  static constexpr std::uint32_t max_lanes = 64;

  explicit FusedCascade(const IndependentCascade& model)
      : model_(model), state_(model.graph().num_nodes()) {}

  void simulate(Replication first, std::span<Trajectory> out) {
    const CsrGraph& graph = model_.graph();
    const RowCoins coins = model_.contacts();
    const auto lanes = static_cast<std::uint32_t>(out.size());

    std::fill(state_.begin(), state_.end(), Lanes{});
    frontier_.clear();
    reached_.clear();
    std::array<std::size_t, max_lanes> newly{}, adopted{};
    for (std::uint32_t lane = 0; lane < lanes; ++lane) {
      const auto seeds = initial_adopters(model_.seeding(), graph.num_nodes(), model_.rng(), first + lane);
      for (NodeId v : seeds) reach(v, lane);
      newly[lane] = adopted[lane] = seeds.size();
    }
    harvest();
    for (std::uint32_t lane = 0; lane < lanes; ++lane) record_cascade_step(out[lane], 0, newly[lane], adopted[lane]);

    Step t = 1;
    for (; t <= model_.steps() && !frontier_.empty(); ++t) {
      newly.fill(0);
      // Two phases per batch of talkers, so that both kinds of cache miss overlap: the
      // coins name the contacts reached, then the contacts' lane masks are updated with
      // their lines asked for a few contacts ahead.
      for (std::size_t i = 0; i < frontier_.size(); ++i) {
        graph.prefetch_ahead(frontier_, i, [](const Talker& talker) { return talker.person; });
        const auto [u, talking] = frontier_[i];
        const std::span<const NodeId> row = graph.neighbors(u);
        for (std::uint64_t left = talking; left != 0; left &= left - 1) {
          const auto lane = static_cast<std::uint32_t>(std::countr_zero(left));
          coins.talk(first + lane, u, 0, row, [&](NodeId v) { contacts_.push_back(Contact{v, lane}); });
        }
        if (contacts_.size() >= batch || i + 1 == frontier_.size()) {
          for (std::size_t c = 0; c < contacts_.size(); ++c) {
            if (c + 16 < contacts_.size()) __builtin_prefetch(&state_[contacts_[c + 16].person]);
            newly[contacts_[c].lane] += reach(contacts_[c].person, contacts_[c].lane);
          }
          contacts_.clear();
        }
      }
      harvest();
      for (std::uint32_t lane = 0; lane < lanes; ++lane) {
        adopted[lane] += newly[lane];
        record_cascade_step(out[lane], t, newly[lane], adopted[lane]);
      }
    }
    for (; t <= model_.steps(); ++t) {  // every lane's cascade is over
      for (std::uint32_t lane = 0; lane < lanes; ++lane) record_cascade_step(out[lane], t, 0, adopted[lane]);
    }
  }

 private:
  struct Lanes {
    std::uint64_t active = 0;
    std::uint64_t fresh = 0;  // became active in this step
  };
  struct Talker {
    NodeId person;
    std::uint64_t lanes;
  };
  struct Contact {
    NodeId person;
    std::uint32_t lane;
  };
  static constexpr std::size_t batch = 1024;

  // Activates v in `lane`; 1 if it was inactive there.
  std::size_t reach(NodeId v, std::uint32_t lane) {
    Lanes& s = state_[v];
    const std::uint64_t bit = std::uint64_t{1} << lane;
    if (s.active & bit) return 0;
    if (s.fresh == 0) reached_.push_back(v);
    s.active |= bit;
    s.fresh |= bit;
    return 1;
  }

  // The people reached in this step become the next frontier: in the order they were
  // reached, or, when they are many, in id order (one sequential pass over the state),
  // so that the next step reads the CSR rows front to back.
  void harvest() {
    frontier_.clear();
    if (reached_.size() > state_.size() / 32) {
      for (NodeId v = 0; v < state_.size(); ++v) {
        if (state_[v].fresh != 0) {
          frontier_.push_back({v, state_[v].fresh});
          state_[v].fresh = 0;
        }
      }
    } else {
      for (NodeId v : reached_) {
        frontier_.push_back({v, state_[v].fresh});
        state_[v].fresh = 0;
      }
    }
    reached_.clear();
  }

  const IndependentCascade& model_;
  std::vector<Lanes> state_;
  std::vector<Talker> frontier_;
  std::vector<NodeId> reached_;
  std::vector<Contact> contacts_;  // reached in the current batch
};

class CascadeKernel final : public ReplicationKernel {
 public:
  explicit CascadeKernel(const IndependentCascade& model) : model_(model) {}

  void simulate(Replication r, Trajectory& out) override {
    if (!single_) single_ = std::make_unique<SingleCascade>(model_);
    single_->simulate(r, out);
  }

  // Fused in blocks of up to 64; a block of one runs alone (one bit per person is faster
  // than 16 bytes when nothing is shared).
  void simulate_block(Replication first, std::span<Trajectory> out) override {
    if (out.size() == 1) return simulate(first, out[0]);
    if (!fused_) fused_ = std::make_unique<FusedCascade>(model_);
    for (std::size_t done = 0; done < out.size(); done += FusedCascade::max_lanes) {
      const std::size_t lanes = std::min<std::size_t>(FusedCascade::max_lanes, out.size() - done);
      fused_->simulate(first + static_cast<Replication>(done), out.subspan(done, lanes));
    }
  }

 private:
  const IndependentCascade& model_;
  std::unique_ptr<SingleCascade> single_;  // each made on first use
  std::unique_ptr<FusedCascade> fused_;
};

}  // namespace

IndependentCascade::IndependentCascade(const CsrGraph& graph, const Scenario& scenario)
    : graph_(graph),
      rng_(scenario.run.seed),
      coin_(scenario.diffusion.transmission),
      seeding_(scenario.seeding),
      steps_(scenario.run.steps) {}

std::uint32_t IndependentCascade::fused_replications() const { return FusedCascade::max_lanes; }

std::unique_ptr<ReplicationKernel> IndependentCascade::make_kernel() const {
  return std::make_unique<CascadeKernel>(*this);
}

}  // namespace campaign

namespace campaign {

std::vector<std::int32_t> reference_cascade(const IndependentCascade& model, Replication r) {
  const CsrGraph& graph = model.graph();
  std::vector<std::int32_t> step(graph.num_nodes(), -1);
  std::vector<NodeId> queue = initial_adopters(model.seeding(), graph.num_nodes(), model.rng(), r);
  for (NodeId v : queue) step[v] = 0;
  for (std::size_t head = 0; head < queue.size(); ++head) {
    const NodeId u = queue[head];
    if (static_cast<Step>(step[u]) == model.steps()) continue;
    const std::span<const NodeId> row = graph.neighbors(u);
    const auto uniform = contact_uniforms(model.rng(), Stream::transmission, r, u, 0, graph.degree(u));
    for (std::uint32_t j = 0; j < row.size(); ++j) {
      if (step[row[j]] < 0 && model.coin()(uniform[j])) {
        step[row[j]] = step[u] + 1;
        queue.push_back(row[j]);
      }
    }
  }
  return step;
}

}  // namespace campaign
