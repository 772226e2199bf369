#include "experiment/selection.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/interrupt.h"

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
      result.fixed_per_variant = std::max<std::uint64_t>(
          result.fixed_per_variant,
          static_cast<std::uint64_t>(std::ceil(result.h2 * s2[i][l] / (delta * delta))));
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
    if (survivors.size() <= 1 || r >= o.max_replications) break;
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
  result.guaranteed = survivors.size() == 1;
  result.selected = survivors.front();
  for (std::size_t v : survivors) {
    if (sums[v] > sums[result.selected]) result.selected = v;
  }
  return result;
}

}  // namespace campaign
