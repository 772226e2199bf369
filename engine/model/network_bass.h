// Network Bass diffusion (Bass 1969, on a graph as in e.g. Rand & Rust 2011): in each
// step an inactive person with k adopted neighbours at the start of the step adopts with
// probability 1 - (1 - p)(1 - q)^k.
//
// The draw for person v in step t is CounterRng(seed).uniform(Stream::adoption, r, v, t),
// and v adopts iff it is >= s_k = (1 - p)(1 - q)^k. s_k is tabulated for k = 0 .. max
// degree by repeated multiplication (exact IEEE arithmetic, the same on every platform).
//
// State: one byte per person (adopted or not), the count of adopted neighbours per person
// (updated when a neighbour adopts, applied at the end of the step so that every decision
// in a step reads the state at its start).
#pragma once

#include <memory>

#include "model/model.h"
#include "rng/philox.h"

namespace campaign {

class NetworkBass final : public Model {
 public:
  NetworkBass(const CsrGraph& graph, const Scenario& scenario);
  const std::vector<std::string>& metric_names() const override { return diffusion_metric_names(); }
  std::unique_ptr<ReplicationKernel> make_kernel() const override;

  const CsrGraph& graph() const { return graph_; }
  const CounterRng& rng() const { return rng_; }
  // Probability of not adopting with k adopted neighbours.
  double stay_probability(std::uint32_t k) const { return stay_[k]; }
  const SeedingSettings& seeding() const { return seeding_; }
  Step steps() const { return steps_; }

 private:
  const CsrGraph& graph_;
  CounterRng rng_;
  std::vector<double> stay_;  // s_k, k = 0 .. max degree
  SeedingSettings seeding_;
  Step steps_;
};

}  // namespace campaign
