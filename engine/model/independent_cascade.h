// Independent cascade (Kempe, Kleinberg & Tardos 2003), in synchronous steps: a person
// who became active in step t gets one chance, in step t + 1, to activate each inactive
// neighbour, with probability T.
//
// The coin for the arc u -> v (contact j of u's row) is U_j < T, U_j contact j's uniform
// in u's talk 0 on Stream::transmission (rng/row_coins.h): a pure function of the
// replication and the arc. So the outcome does not depend on the order in which the
// frontier is scanned (v becomes active iff some newly active neighbour's coin on the
// arc to v succeeds), and the model is bond percolation with the same open arcs in every
// variant that shares seed, graph and T.
//
// State: two bits per person (active; activated in this step) and the current and next
// frontier; a large frontier is put in id order so that rows are read front to back.
#pragma once

#include <memory>

#include "model/model.h"
#include "rng/philox.h"
#include "rng/row_coins.h"

namespace campaign {

class IndependentCascade final : public Model {
 public:
  IndependentCascade(const CsrGraph& graph, const Scenario& scenario);
  const std::vector<std::string>& metric_names() const override { return diffusion_metric_names(); }
  std::unique_ptr<ReplicationKernel> make_kernel() const override;

  const CsrGraph& graph() const { return graph_; }
  const CounterRng& rng() const { return rng_; }
  Coin coin() const { return coin_; }
  RowCoins contacts() const { return RowCoins(rng_, Stream::transmission, coin_); }
  const SeedingSettings& seeding() const { return seeding_; }
  Step steps() const { return steps_; }

 private:
  const CsrGraph& graph_;
  CounterRng rng_;
  Coin coin_;
  SeedingSettings seeding_;
  Step steps_;
};

}  // namespace campaign

namespace campaign {

// Slow serial verifier (GAP style): breadth-first search over the open arcs (those whose
// coin succeeds) from the replication's seeds, at most `model.steps()` hops. Returns each
// person's adoption step, or -1. Independent of the kernel's frontier bookkeeping.
std::vector<std::int32_t> reference_cascade(const IndependentCascade& model, Replication r);

}  // namespace campaign
