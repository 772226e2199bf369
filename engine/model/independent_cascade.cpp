#include "model/independent_cascade.h"

#include "model/seeding.h"

namespace campaign {
namespace {

class CascadeKernel final : public ReplicationKernel {
 public:
  explicit CascadeKernel(const IndependentCascade& model)
      : model_(model), active_(model.graph().num_nodes(), 0) {}

  void simulate(Replication r, Trajectory& out) override {
    const CsrGraph& graph = model_.graph();
    const CounterRng& rng = model_.rng();
    const Coin coin = model_.coin();

    for (NodeId v : touched_) active_[v] = 0;
    touched_ = initial_adopters(model_.seeding(), graph.num_nodes(), rng, r);
    frontier_ = touched_;
    for (NodeId v : frontier_) active_[v] = 1;

    record(out, 0, frontier_.size());
    for (Step t = 1; t <= model_.steps(); ++t) {
      next_.clear();
      for (NodeId u : frontier_) {
        for (NodeId v : graph.neighbors(u)) {
          if (active_[v] == 0 && coin(rng.u32(Stream::transmission, r, u, v, 0))) {
            active_[v] = 1;
            next_.push_back(v);
          }
        }
      }
      touched_.insert(touched_.end(), next_.begin(), next_.end());
      frontier_.swap(next_);
      record(out, t, frontier_.size());
      if (frontier_.empty()) {  // the cascade is over: the rest of the record is flat
        for (Step rest = t + 1; rest <= model_.steps(); ++rest) record(out, rest, 0);
        break;
      }
    }
  }

 private:
  void record(Trajectory& out, Step t, std::size_t newly) const {
    out.at(NEWLY_ADOPTED, t) = static_cast<double>(newly);
    out.at(TOTAL_ADOPTED, t) = static_cast<double>(touched_.size());
    out.at(ACTIVE, t) = static_cast<double>(newly);  // only the newly active transmit
  }

  const IndependentCascade& model_;
  std::vector<std::uint8_t> active_;
  std::vector<NodeId> frontier_, next_, touched_;
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
    for (NodeId v : graph.neighbors(u)) {
      if (step[v] < 0 && model.coin()(model.rng().u32(Stream::transmission, r, u, v, 0))) {
        step[v] = step[u] + 1;
        queue.push_back(v);
      }
    }
  }
  return step;
}

}  // namespace campaign
