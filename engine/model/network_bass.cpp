#include "model/network_bass.h"

#include "model/seeding.h"

namespace campaign {
namespace {

class BassKernel final : public ReplicationKernel {
 public:
  explicit BassKernel(const NetworkBass& model)
      : model_(model),
        adopted_(model.graph().num_nodes(), 0),
        adopted_neighbors_(model.graph().num_nodes(), 0) {}

  void simulate(Replication r, Trajectory& out) override {
    const CsrGraph& graph = model_.graph();
    const NodeId n = graph.num_nodes();
    std::fill(adopted_.begin(), adopted_.end(), 0);
    std::fill(adopted_neighbors_.begin(), adopted_neighbors_.end(), 0);
    total_ = 0;

    newly_ = initial_adopters(model_.seeding(), n, model_.rng(), r);
    apply(graph);
    record(out, 0);
    for (Step t = 1; t <= model_.steps(); ++t) {
      newly_.clear();
      for (NodeId v = 0; v < n; ++v) {
        if (adopted_[v] == 0 &&
            model_.rng().uniform(Stream::adoption, r, v, t) >=
                model_.stay_probability(adopted_neighbors_[v])) {
          newly_.push_back(v);
        }
      }
      apply(graph);
      record(out, t);
    }
  }

 private:
  void apply(const CsrGraph& graph) {
    for (NodeId v : newly_) {
      adopted_[v] = 1;
      for (NodeId w : graph.neighbors(v)) ++adopted_neighbors_[w];
    }
    total_ += newly_.size();
  }

  void record(Trajectory& out, Step t) const {
    out.at(NEWLY_ADOPTED, t) = static_cast<double>(newly_.size());
    out.at(TOTAL_ADOPTED, t) = static_cast<double>(total_);
    out.at(ACTIVE, t) = static_cast<double>(total_);  // adopters keep talking
  }

  const NetworkBass& model_;
  std::vector<std::uint8_t> adopted_;
  std::vector<std::uint32_t> adopted_neighbors_;
  std::vector<NodeId> newly_;
  std::uint64_t total_ = 0;
};

}  // namespace

NetworkBass::NetworkBass(const CsrGraph& graph, const Scenario& scenario)
    : graph_(graph),
      rng_(scenario.run.seed),
      seeding_(scenario.seeding),
      steps_(scenario.run.steps) {
  const double p = scenario.diffusion.p;
  const double q = scenario.diffusion.q;
  stay_.resize(graph.max_degree() + std::size_t{1});
  double s = 1.0 - p;
  for (double& entry : stay_) {
    entry = s;
    s *= 1.0 - q;
  }
}

std::unique_ptr<ReplicationKernel> NetworkBass::make_kernel() const {
  return std::make_unique<BassKernel>(*this);
}

}  // namespace campaign
