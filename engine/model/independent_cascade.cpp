#include "model/independent_cascade.h"

#include <algorithm>
#include <bit>
#include <utility>

#include "core/interrupt.h"
#include "model/seeding.h"

namespace campaign {
namespace {

void record_cascade_step(Trajectory& out, Step t, std::size_t newly, std::size_t adopted) {
  out.at(NEWLY_ADOPTED, t) = static_cast<double>(newly);
  out.at(TOTAL_ADOPTED, t) = static_cast<double>(adopted);
  out.at(ACTIVE, t) = static_cast<double>(newly);  // only the newly active transmit
}

// State: one bit per person (active or not) and one (activated in this step), which stay
// in cache, and the current and next frontier as lists.
class CascadeKernel final : public ReplicationKernel {
 public:
  explicit CascadeKernel(const IndependentCascade& model)
      : model_(model), active_((model.graph().num_nodes() + 63) / 64), fresh_(active_.size()) {}

  void simulate(Replication r, Trajectory& out) override {
    const CsrGraph& graph = model_.graph();
    const RowCoins coins = model_.contacts();

    std::fill(active_.begin(), active_.end(), 0);
    frontier_ = initial_adopters(model_.seeding(), graph.num_nodes(), model_.rng(), r);
    for (NodeId v : frontier_) activate(v);
    in_id_order(frontier_);  // clears the seeds' fresh bits (they are sorted already)
    if (logging_adoptions()) {
      for (NodeId v : frontier_) log_adoption(v, 0);
    }
    std::size_t adopted = frontier_.size();

    record_cascade_step(out, 0, frontier_.size(), adopted);
    Step t = 1;
    for (; t <= model_.steps() && !frontier_.empty(); ++t) {
      throw_if_interrupted();
      next_.clear();
      for (std::size_t i = 0; i < frontier_.size(); ++i) {
        const CounterRng::Block first =  // the talk's first block, computed with the next ones
            lanes_.walk(i, frontier_.size(), model_.rng(), [&](std::size_t lane, std::size_t k) {
              coins.set_first_counter(lanes_, lane, r, frontier_[k], 0);
            });
        graph.prefetch_ahead(frontier_, i, [](NodeId u) { return u; });
        const NodeId u = frontier_[i];
        coins.talk(r, u, 0, graph.neighbors(u), first, [&](NodeId v) {
          if (activate(v)) next_.push_back(v);
        });
      }
      adopted += next_.size();
      if (logging_adoptions()) {
        for (NodeId v : next_) log_adoption(v, t);
      }
      in_id_order(next_);
      frontier_.swap(next_);
      record_cascade_step(out, t, frontier_.size(), adopted);
    }
    for (; t <= model_.steps(); ++t) record_cascade_step(out, t, 0, adopted);  // it is over
  }

 private:
  // Marks v active (and fresh); false if it already was.
  bool activate(NodeId v) {
    std::uint64_t& word = active_[v / 64];
    const std::uint64_t bit = std::uint64_t{1} << (v % 64);
    if (word & bit) return false;
    word |= bit;
    fresh_[v / 64] |= bit;
    return true;
  }

  // Puts a large list of people just activated in id order (from the fresh bits, one
  // pass), so that the next step reads the CSR rows front to back; clears the fresh bits.
  void in_id_order(std::vector<NodeId>& reached) {
    if (reached.size() > 64 * fresh_.size() / 32) {
      reached.clear();
      for (std::size_t w = 0; w < fresh_.size(); ++w) {
        for (std::uint64_t bits = std::exchange(fresh_[w], 0); bits != 0; bits &= bits - 1) {
          reached.push_back(
              static_cast<NodeId>(64 * w + static_cast<std::size_t>(std::countr_zero(bits))));
        }
      }
    } else {
      for (NodeId v : reached) fresh_[v / 64] = 0;
    }
  }

  const IndependentCascade& model_;
  std::vector<std::uint64_t> active_, fresh_;  // one bit per person each: they stay in cache
  std::vector<NodeId> frontier_, next_;
  PhiloxLanes lanes_;
};

}  // namespace

IndependentCascade::IndependentCascade(const CsrGraph& graph, const Scenario& scenario)
    : graph_(graph),
      rng_(scenario.run.seed),
      coin_(scenario.diffusion.transmission),
      seeding_(scenario.seeding),
      steps_(scenario.run.steps) {}

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
    const auto uniform =
        contact_uniforms(model.rng(), Stream::transmission, r, u, 0, graph.degree(u));
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
