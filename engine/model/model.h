// A diffusion model, split as the simulation is: an immutable Model shared by all
// threads, and a ReplicationKernel per worker thread that owns the per-replication state
// (flat arrays sized to the audience, reused from one replication to the next).
// A kernel's output for replication r depends only on (model, graph, seed, r).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/types.h"
#include "graph/csr_graph.h"
#include "model/metrics.h"
#include "results/accumulator.h"
#include "scenario/scenario.h"

namespace campaign {

class EcosystemCache;

// A member of the audience adopting (a campaign's customer buying for the first time) in a step.
struct Adoption {
  NodeId who;
  Step step;
};

class ReplicationKernel {
 public:
  virtual ~ReplicationKernel() = default;
  // Fills `out` (metrics x (steps + 1)) with replication r's trajectory.
  virtual void simulate(Replication r, Trajectory& out) = 0;
  // With a log, simulate() also appends every adoption by a member of the audience, in no
  // particular order (the agency's customers are outside the audience: not logged). The
  // caller empties it between replications. For compare --seeding-value.
  void log_adoptions(std::vector<Adoption>* log) { adoptions_ = log; }

 protected:
  void log_adoption(NodeId v, Step t) {
    if (adoptions_) adoptions_->push_back({v, t});
  }
  bool logging_adoptions() const { return adoptions_ != nullptr; }

 private:
  std::vector<Adoption>* adoptions_ = nullptr;
};

class Model {
 public:
  virtual ~Model() = default;
  virtual const std::vector<std::string>& metric_names() const = 0;
  virtual std::unique_ptr<ReplicationKernel> make_kernel() const = 0;
  // Per-replication ratios computed from the finals once the run is over.
  virtual std::vector<DerivedFinal> derived_finals(const RunAccumulator&) const { return {}; }
  // Lines about the model's set-up for the run summary (e.g. the media plan).
  virtual std::vector<std::string> describe() const { return {}; }
  // Figures of the model's set-up that the results file keeps (e.g. the partner
  // ecosystem's triads), as (name, value); deterministic, so no timings.
  virtual std::vector<std::pair<std::string, double>> facts() const { return {}; }
};

// The model the scenario asks for, on `graph` (which must outlive it). A campaign takes
// its ecosystem and media plan from `cache` where one is given.
std::unique_ptr<Model> make_model(const Scenario& scenario, const CsrGraph& graph,
                                  EcosystemCache* cache = nullptr);

// The diffusion models' metrics' positions (model/metrics.h).
inline constexpr std::size_t NEWLY_ADOPTED = metric_index(DIFFUSION_METRICS, "newly_adopted");
inline constexpr std::size_t TOTAL_ADOPTED = metric_index(DIFFUSION_METRICS, "total_adopted");
inline constexpr std::size_t ACTIVE = metric_index(DIFFUSION_METRICS, "active");
const std::vector<std::string>& diffusion_metric_names();

}  // namespace campaign
