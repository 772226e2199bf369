#include "model/network_bass.h"

#include "model/seeding.h"
#include "rng/row_coins.h"

namespace campaign {
namespace {

class BassKernel final : public ReplicationKernel {
 public:
  explicit BassKernel(const NetworkBass& model)
      : model_(model), adopted_at_(model.graph().num_nodes(), -1) {}

  void simulate(Replication r, Trajectory& out) override {
    const CsrGraph& graph = model_.graph();
    const CounterRng& rng = model_.rng();
    const NodeId n = graph.num_nodes();
    const RowCoins talks(rng, Stream::transmission, model_.word_of_mouth());
    for (NodeId v : adopters_) adopted_at_[v] = -1;
    adopters_ = initial_adopters(model_.seeding(), n, rng, r);
    for (NodeId v : adopters_) adopted_at_[v] = 0;
    record(out, 0, adopters_.size());

    for (Step t = 1; t <= model_.steps(); ++t) {
      newly_.clear();
      if (model_.advertising().probability() > 0) {
        for (NodeId v = 0; v < n; ++v) {
          if (adopted_at_[v] < 0 && model_.advertising()(rng.u32(Stream::adoption, r, v, t))) {
            mark(v, t);
          }
        }
      }
      // Adopters before step t talk; those marked in this step are not yet talkers.
      const std::size_t talkers = adopters_.size();
      for (std::size_t i = 0; i < talkers; ++i) {
        graph.prefetch_ahead(adopters_, i, [](NodeId ahead) { return ahead; });
        const NodeId u = adopters_[i];
        const auto talk_index = static_cast<std::uint32_t>(t - adopted_at_[u] - 1);
        talks.talk(r, u, talk_index, graph.neighbors(u), [&](NodeId v) {
          if (adopted_at_[v] < 0) mark(v, t);
        });
      }
      adopters_.insert(adopters_.end(), newly_.begin(), newly_.end());
      record(out, t, newly_.size());
    }
  }

 private:
  void mark(NodeId v, Step t) {
    adopted_at_[v] = static_cast<std::int32_t>(t);
    newly_.push_back(v);
  }

  void record(Trajectory& out, Step t, std::size_t newly) const {
    out.at(NEWLY_ADOPTED, t) = static_cast<double>(newly);
    out.at(TOTAL_ADOPTED, t) = static_cast<double>(adopters_.size());
    out.at(ACTIVE, t) = static_cast<double>(adopters_.size());  // adopters keep talking
  }

  const NetworkBass& model_;
  std::vector<std::int32_t> adopted_at_;
  std::vector<NodeId> adopters_, newly_;
};

}  // namespace

NetworkBass::NetworkBass(const CsrGraph& graph, const Scenario& scenario)
    : graph_(graph),
      rng_(scenario.run.seed),
      advertising_(scenario.diffusion.p),
      word_of_mouth_(scenario.diffusion.q),
      seeding_(scenario.seeding),
      steps_(scenario.run.steps) {}

std::unique_ptr<ReplicationKernel> NetworkBass::make_kernel() const {
  return std::make_unique<BassKernel>(*this);
}

}  // namespace campaign
