#include "model/independent_cascade.h"

#include <algorithm>

#include "model/seeding.h"

namespace campaign {
namespace {

class CascadeKernel final : public ReplicationKernel {
 public:
  explicit CascadeKernel(const IndependentCascade& model)
      : model_(model), active_((model.graph().num_nodes() + 63) / 64) {}

  void simulate(Replication r, Trajectory& out) override {
    const CsrGraph& graph = model_.graph();
    const RowCoins coins = model_.contacts();

    std::fill(active_.begin(), active_.end(), 0);
    frontier_ = initial_adopters(model_.seeding(), graph.num_nodes(), model_.rng(), r);
    for (NodeId v : frontier_) activate(v);
    adopted_ = frontier_.size();

    record(out, 0, frontier_.size());
    for (Step t = 1; t <= model_.steps(); ++t) {
      next_.clear();
      const std::size_t size = frontier_.size();
      for (std::size_t i = 0; i < size; ++i) {
        // The rows are where the time goes (a random row per talker): ask for them early.
        if (i + 24 < size) __builtin_prefetch(&graph.offsets()[frontier_[i + 24]]);
        if (i + 12 < size) {
          const std::span<const NodeId> ahead = graph.neighbors(frontier_[i + 12]);
          __builtin_prefetch(ahead.data());
          __builtin_prefetch(ahead.data() + ahead.size() - 1);  // a row spans up to two lines
        }
        const NodeId u = frontier_[i];
        coins.talk(r, u, 0, graph.neighbors(u), [&](NodeId v) {
          if (activate(v)) next_.push_back(v);
        });
      }
      adopted_ += next_.size();
      frontier_.swap(next_);
      record(out, t, frontier_.size());
      if (frontier_.empty()) {  // the cascade is over: the rest of the record is flat
        for (Step rest = t + 1; rest <= model_.steps(); ++rest) record(out, rest, 0);
        break;
      }
    }
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

  void record(Trajectory& out, Step t, std::size_t newly) const {
    out.at(NEWLY_ADOPTED, t) = static_cast<double>(newly);
    out.at(TOTAL_ADOPTED, t) = static_cast<double>(adopted_);
    out.at(ACTIVE, t) = static_cast<double>(newly);  // only the newly active transmit
  }

  const IndependentCascade& model_;
  std::vector<std::uint64_t> active_;  // one bit per person: 1/8 byte, stays in cache
  std::vector<NodeId> frontier_, next_;
  std::size_t adopted_ = 0;
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
