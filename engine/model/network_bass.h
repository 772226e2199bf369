// Network Bass diffusion (Bass 1969, on a graph as in e.g. Rand & Rust 2011): in each
// step an inactive person with k adopted neighbours at the start of the step adopts with
// probability 1 - (1 - p)(1 - q)^k.
//
// The probability is realised as independent coins, keyed like every contact in the
// engine, so that the campaign model reduces to this one draw for draw:
//   advertising:   CounterRng(seed).u32(Stream::adoption, r, v, t)        < p
//   word of mouth: U_j < q, U_j the uniform of contact j (v) of u's row in talk c on
//                  Stream::transmission (rng/row_coins.h)
// for each neighbour u that adopted in step s < t, with talk index c = t - s - 1 (an
// adopter keeps talking). v adopts in step t if any coin succeeds.
//
// State: the adoption step per person (or -1), the number of each person's contacts not
// yet adopted, the adopters, and the talkers: adopters with a contact not yet adopted (an
// adopter whose contacts have all adopted could reach no one, and stops talking). On a
// directed graph a person's contacts are those it talks to, and an adoption is counted
// off the people who talk to the adopter (the arcs reversed, kept by the model).
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
  // Who talks to each person: the graph itself when undirected.
  const CsrGraph& talkers_to() const { return reversed_ ? *reversed_ : graph_; }
  const CounterRng& rng() const { return rng_; }
  Coin advertising() const { return advertising_; }
  Coin word_of_mouth() const { return word_of_mouth_; }
  const SeedingSettings& seeding() const { return seeding_; }
  Step steps() const { return steps_; }

 private:
  const CsrGraph& graph_;
  std::unique_ptr<const CsrGraph> reversed_;  // directed graphs only
  CounterRng rng_;
  Coin advertising_;
  Coin word_of_mouth_;
  SeedingSettings seeding_;
  Step steps_;
};

}  // namespace campaign
