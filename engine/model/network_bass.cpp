#include "model/network_bass.h"

#include <numeric>

#include "core/interrupt.h"
#include "model/seeding.h"
#include "model/talks_ahead.h"
#include "rng/row_coins.h"

namespace campaign {
namespace {

class BassKernel final : public ReplicationKernel {
 public:
  explicit BassKernel(const NetworkBass& model)
      : model_(model),
        adopted_at_(model.graph().num_nodes(), -1),
        open_(model.graph().num_nodes()) {}

  void simulate(Replication r, Trajectory& out) override {
    const CsrGraph& graph = model_.graph();
    const CounterRng& rng = model_.rng();
    const NodeId n = graph.num_nodes();
    const RowCoins talks(rng, Stream::transmission, model_.word_of_mouth());
    for (NodeId v : adopters_) adopted_at_[v] = -1;
    for (NodeId v = 0; v < n; ++v) open_[v] = graph.degree(v);
    adopters_.clear();
    talkers_.clear();
    for (NodeId v : initial_adopters(model_.seeding(), n, rng, r)) mark(v, 0);
    talkers_ = adopters_;
    const bool advertised = model_.advertising().probability() > 0;
    if (advertised) {
      unadopted_.resize(n);
      std::iota(unadopted_.begin(), unadopted_.end(), NodeId{0});
    }
    record(out, 0, adopters_.size());  // the seeds

    for (Step t = 1; t <= model_.steps(); ++t) {
      throw_if_interrupted();
      const std::size_t before = adopters_.size();
      if (advertised) {
        // The people not yet adopted, in id order; those who adopt leave the list. Their
        // coins are computed 32 at a time.
        std::size_t kept = 0;
        for (std::size_t i = 0; i < unadopted_.size(); ++i) {
          const CounterRng::Block block =
              lanes_.walk(i, unadopted_.size(), rng, [&](std::size_t lane, std::size_t k) {
                lanes_.set_counter(lane, Stream::adoption, r, unadopted_[k], t);
              });
          const NodeId v = unadopted_[i];
          if (adopted_at_[v] >= 0) continue;  // adopted by word of mouth in an earlier step
          if (model_.advertising()(block[0])) {
            mark(v, t);
          } else {
            unadopted_[kept++] = v;
          }
        }
        unadopted_.resize(kept);
      }
      // Adopters before step t talk, those with a contact not yet adopted: the talks of
      // the others could reach no one, so they are dropped for good (the coins are keyed,
      // so skipping them changes no other draw). People marked in this step talk next step.
      std::erase_if(talkers_, [&](NodeId u) { return open_[u] == 0; });
      // Talks are decided ahead of being heard (talks_ahead.h).
      const std::size_t talkers = talkers_.size();
      talks_ahead_.walk(
          talkers,
          [&](std::size_t i, DecidedTalk& talk) {
            if (i + TalksAhead::AHEAD < talkers) {  // what deciding a later talk reads
              const NodeId later = talkers_[i + TalksAhead::AHEAD];
              __builtin_prefetch(&graph.offsets()[later]);
              __builtin_prefetch(&adopted_at_[later]);
            }
            const CounterRng::Block first =  // the talk's first block, with the next ones'
                lanes_.walk(i, talkers, rng, [&](std::size_t lane, std::size_t k) {
                  talks.set_first_counter(lanes_, lane, r, talkers_[k], talk_index(talkers_[k], t));
                });
            const NodeId u = talkers_[i];
            talk.decide(graph, talks, r, u, talk_index(u, t), first);
          },
          [&](std::size_t, const DecidedTalk& talk) {
            talk.hear([&] { return talks; }, r,
                      [&](NodeId v) {
                        if (adopted_at_[v] < 0) mark(v, t);
                      });
          });
      talkers_.insert(talkers_.end(), adopters_.begin() + static_cast<std::ptrdiff_t>(before),
                      adopters_.end());
      record(out, t, adopters_.size() - before);
    }
    if (logging_adoptions()) {
      for (NodeId v : adopters_) log_adoption(v, static_cast<Step>(adopted_at_[v]));
    }
  }

 private:
  // An adopter's talks are numbered from 0, the one in the step after its adoption.
  std::uint32_t talk_index(NodeId u, Step t) const {
    return static_cast<std::uint32_t>(t - adopted_at_[u] - 1);
  }

  // v adopts in step t: each person who talks to v has one contact fewer left to adopt.
  void mark(NodeId v, Step t) {
    adopted_at_[v] = static_cast<std::int32_t>(t);
    adopters_.push_back(v);
    for (NodeId w : model_.talkers_to().neighbors(v)) --open_[w];
  }

  void record(Trajectory& out, Step t, std::size_t newly) const {
    out.at(NEWLY_ADOPTED, t) = static_cast<double>(newly);
    out.at(TOTAL_ADOPTED, t) = static_cast<double>(adopters_.size());
    out.at(ACTIVE, t) = static_cast<double>(adopters_.size());  // adopters keep talking
  }

  const NetworkBass& model_;
  std::vector<std::int32_t> adopted_at_;
  std::vector<std::uint32_t> open_;  // contacts not adopted yet, per person
  std::vector<NodeId> adopters_;     // in adoption order
  std::vector<NodeId> talkers_;      // adopters with a contact not adopted yet
  std::vector<NodeId> unadopted_;    // for the advertising coins, in id order
  PhiloxLanes lanes_;  // blocks computed ahead: advertising coins, talks' first blocks
  TalksAhead talks_ahead_;
};

}  // namespace

NetworkBass::NetworkBass(const CsrGraph& graph, const Scenario& scenario)
    : graph_(graph),
      reversed_(graph.directed() ? std::make_unique<const CsrGraph>(graph.transposed()) : nullptr),
      rng_(scenario.run.seed),
      advertising_(scenario.diffusion.p),
      word_of_mouth_(scenario.diffusion.q),
      seeding_(scenario.seeding),
      steps_(scenario.run.steps) {}

std::unique_ptr<ReplicationKernel> NetworkBass::make_kernel() const {
  return std::make_unique<BassKernel>(*this);
}

}  // namespace campaign
