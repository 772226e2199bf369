#include "experiment/selection.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <optional>
#include <cmath>
#include <stdexcept>

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <memory>
#include <utility>

#include "core/interrupt.h"
#include "experiment/study.h"
#include "model/ecosystem_cache.h"
#include "scenario/scenario_loader.h"
#include "sim/graph_factory.h"

namespace campaign {

SelectionResult select_best(std::size_t k, const SelectionOptions& o, std::uint64_t block,
                            const SimulateBlock& simulate) {
  if (k < 2 || !(o.indifference > 0) || !(o.confidence > 0 && o.confidence < 1) || o.first_stage < 2 ||
      o.max_replications < o.first_stage || block == 0) {
    throw std::invalid_argument("select_best: invalid options");
  }
  SelectionResult result;
  result.replications.assign(k, 0);
  result.eliminated_at.assign(k, 0);
  std::vector<std::vector<double>> values(k);
  std::vector<std::size_t> survivors(k);
  for (std::size_t v = 0; v < k; ++v) survivors[v] = v;

  // Stage 1: n0 replications of everyone, the variances of the pairwise differences.
  const std::uint64_t n0 = o.first_stage;
  simulate(survivors, 0, n0, values);
  const double alpha = 1 - o.confidence;
  result.eta = 0.5 * (std::pow(2 * alpha / static_cast<double>(k - 1), -2.0 / static_cast<double>(n0 - 1)) - 1);
  result.h2 = 2 * result.eta * static_cast<double>(n0 - 1);
  const double delta = o.indifference;
  std::vector<std::vector<double>> s2(k, std::vector<double>(k, 0));
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t l = i + 1; l < k; ++l) {
      double mean = 0;
      for (std::uint64_t r = 0; r < n0; ++r) mean += values[i][r] - values[l][r];
      mean /= static_cast<double>(n0);
      double ss = 0;
      for (std::uint64_t r = 0; r < n0; ++r) {
        const double d = values[i][r] - values[l][r] - mean;
        ss += d * d;
      }
      s2[i][l] = s2[l][i] = ss / static_cast<double>(n0 - 1);
      // Clamped before the cast: a tiny delta makes the bound astronomically large.
      const double bound = std::min(std::ceil(result.h2 * s2[i][l] / (delta * delta)), 1e15);
      result.fixed_per_variant = std::max(result.fixed_per_variant, static_cast<std::uint64_t>(bound));
    }
  }
  result.fixed_per_variant = std::max(result.fixed_per_variant, n0);

  // Running sums, so the mean at r is sum / r.
  std::vector<double> sums(k, 0);
  for (std::size_t v = 0; v < k; ++v) {
    for (std::uint64_t r = 0; r < n0; ++r) sums[v] += values[v][r];
  }
  std::uint64_t r = n0;          // replications every survivor has been screened with
  std::uint64_t simulated = n0;  // replications every survivor has values for
  while (true) {
    // Screening at r, against the survivors at r (an elimination takes effect after).
    const std::vector<std::size_t> before = survivors;
    survivors.clear();
    for (std::size_t i : before) {
      bool keep = true;
      for (std::size_t l : before) {
        if (l == i) continue;
        const double w = std::max(0.0, delta / (2.0 * static_cast<double>(r)) *
                                           (result.h2 * s2[i][l] / (delta * delta) - static_cast<double>(r)));
        if (sums[i] / static_cast<double>(r) < sums[l] / static_cast<double>(r) - w) {
          keep = false;
          break;
        }
      }
      if (keep) {
        survivors.push_back(i);
      } else {
        result.eliminated_at[i] = r;
        result.replications[i] = r;
      }
    }
    // Past the last pair's continuation region (r >= h2 S2 / delta^2 for every pair) the
    // survivors' means are equal: variants that tie in every replication (the same
    // campaign twice) are never told apart, and any of them is right.
    if (survivors.size() <= 1 || r >= o.max_replications || r >= result.fixed_per_variant) break;
    // One more replication of every survivor: simulated a block at a time.
    if (simulated == r) {
      throw_if_interrupted();
      const std::uint64_t count = std::min(block, o.max_replications - r);
      simulate(survivors, r, count, values);
      simulated += count;
    }
    for (std::size_t v : survivors) sums[v] += values[v][r];
    ++r;
  }
  for (std::size_t v : survivors) result.replications[v] = r;
  // The selected: the one survivor, or the survivor with the best mean at the budget.
  result.guaranteed = survivors.size() == 1 || r >= result.fixed_per_variant;
  result.selected = survivors.front();
  for (std::size_t v : survivors) {
    if (sums[v] > sums[result.selected]) result.selected = v;
  }
  return result;
}

SelectionResult run_selection(const Study& study, const std::string& objective, Better better,
                              const SelectionOptions& options, const SelectionFinished& finished) {
  const std::size_t k = study.variants().size();
  LoadedScenario first = study.load(0);
  const GraphRecord graph = make_graph(first);
  EcosystemCache ecosystems;
  struct Arm {
    LoadedScenario loaded;
    std::unique_ptr<Model> model;
    std::optional<RunAccumulator> accumulator;
    std::size_t metric = 0;
    std::vector<std::pair<std::uint64_t, Trajectory>> pending;  // simulated, not yet known to count
  };
  std::vector<Arm> arms(k);
  for (std::size_t v = 0; v < k; ++v) {
    Arm& a = arms[v];
    a.loaded = study.load_on(v, graph.graph);
    a.model = make_model(a.loaded.scenario, graph.graph, &ecosystems);
    const std::vector<std::string>& names = a.model->metric_names();
    const auto at = std::find(names.begin(), names.end(), objective);
    if (at == names.end()) throw std::logic_error("run_selection: the objective is not a metric of the model");
    a.metric = static_cast<std::size_t>(at - names.begin());
    a.accumulator.emplace(names, a.loaded.scenario.run.steps);
  }
  const auto flush = [&](Arm& a, std::uint64_t limit) {
    for (const auto& [r, t] : a.pending) {
      if (r < limit) a.accumulator->add(t);
    }
    a.pending.clear();
  };
  struct KernelCache {
    std::size_t variant = SIZE_MAX;
    std::unique_ptr<ReplicationKernel> kernel;
  };
  tbb::enumerable_thread_specific<KernelCache> kernels;
  const double sign = better == Better::lower ? -1.0 : 1.0;
  const SimulateBlock simulate = [&](const std::vector<std::size_t>& survivors, std::uint64_t from,
                                     std::uint64_t count, std::vector<std::vector<double>>& values) {
    // What the survivors simulated before counts: they survived every screening of it.
    for (std::size_t v : survivors) flush(arms[v], UINT64_MAX);
    const std::size_t units = survivors.size() * count;
    std::vector<std::optional<Trajectory>> out(units);
    tbb::parallel_for(std::size_t{0}, units, [&](std::size_t u) {
      const std::size_t v = survivors[u / count];
      const Arm& a = arms[v];
      KernelCache& cache = kernels.local();
      if (cache.variant != v) {
        cache.kernel.reset();
        cache.kernel = a.model->make_kernel();
        cache.variant = v;
      }
      out[u].emplace(a.model->metric_names().size(), a.loaded.scenario.run.steps);
      cache.kernel->simulate(static_cast<Replication>(from + u % count), *out[u]);
    });
    for (std::size_t s = 0; s < survivors.size(); ++s) {
      Arm& a = arms[survivors[s]];
      for (std::uint64_t j = 0; j < count; ++j) {
        Trajectory& t = *out[s * count + j];
        values[survivors[s]].push_back(sign * t.at(a.metric, a.loaded.scenario.run.steps));
        a.pending.emplace_back(from + j, std::move(t));
      }
    }
  };
  const SelectionResult result = select_best(k, options, SELECTION_BLOCK, simulate);
  for (std::size_t v = 0; v < k; ++v) {
    Arm& a = arms[v];
    flush(a, result.replications[v]);
    a.loaded.scenario.run.replications = a.accumulator->replications();
    finished(v, a.loaded.scenario, *a.model, *a.accumulator);
  }
  return result;
}

}  // namespace campaign
