#include "model/model.h"

#include "model/campaign.h"
#include "model/independent_cascade.h"
#include "model/network_bass.h"

namespace campaign {

const std::vector<std::string>& diffusion_metric_names() {
  static const std::vector<std::string> names = {"newly_adopted", "total_adopted", "active"};
  return names;
}

std::unique_ptr<Model> make_model(const Scenario& scenario, const CsrGraph& graph) {
  switch (scenario.diffusion.model) {
    case DiffusionModel::independent_cascade:
      return std::make_unique<IndependentCascade>(graph, scenario);
    case DiffusionModel::network_bass:
      return std::make_unique<NetworkBass>(graph, scenario);
    case DiffusionModel::campaign:
      return std::make_unique<CampaignModel>(graph, scenario);
  }
  throw std::logic_error("make_model: unknown diffusion model");
}

}  // namespace campaign
