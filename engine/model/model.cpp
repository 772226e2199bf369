#include "model/model.h"

#include <fmt/format.h>

#include "core/error.h"
#include "model/campaign.h"
#include "model/independent_cascade.h"
#include "model/network_bass.h"
#include "rng/row_coins.h"

namespace campaign {

const std::vector<std::string>& diffusion_metric_names() {
  static const std::vector<std::string> names = metric_names_of(DIFFUSION_METRICS);
  return names;
}

std::unique_ptr<Model> make_model(const Scenario& scenario, const CsrGraph& graph, EcosystemCache* cache) {
  // Every model talks through row coins, whose key has room for so many contacts.
  if (const std::uint64_t most = graph.max_degree(); most > RowCoins::max_contacts) {
    throw InputError(
        fmt::format("graph: a person has {} contacts; the engine allows at most {} per person",
                    most, RowCoins::max_contacts));
  }
  switch (scenario.diffusion.model) {
    case DiffusionModel::independent_cascade:
      return std::make_unique<IndependentCascade>(graph, scenario);
    case DiffusionModel::network_bass:
      return std::make_unique<NetworkBass>(graph, scenario);
    case DiffusionModel::campaign:
      return std::make_unique<CampaignModel>(graph, scenario, cache);
  }
  throw std::logic_error("make_model: unknown diffusion model");
}

}  // namespace campaign
