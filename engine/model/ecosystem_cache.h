// Ecosystems and media plans shared by the variants of a study that draw the same ones.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/types.h"
#include "model/ecosystem.h"
#include "model/media_plan.h"
#include "scenario/scenario.h"

namespace campaign {

// The ecosystems and media plans of the last few scenarios, shared by the models of
// the variants that draw the same ones: a sweep over firm.unit_cost or media.wearout
// builds them once. An ecosystem is keyed by every field its constructor reads (the
// seed, [partners], firm.reach, the audience's size; the segments for community
// followers, the graph's settings for neighbourhood ones), a plan by its ecosystem's key
// and every field the plan reads. Safe to call from several threads.
class EcosystemCache {
 public:
  struct World {
    std::shared_ptr<const Ecosystem> ecosystem;
    std::shared_ptr<const MediaPlan> plan;
  };
  World get(const Scenario& scenario, const CsrGraph& graph);
  std::size_t builds() const;  // ecosystems and plans built, not found

 private:
  static constexpr std::size_t KEEP = 2;  // of each: consecutive variants share
  mutable std::mutex mutex_;
  std::vector<std::pair<std::string, std::shared_ptr<const Ecosystem>>> ecosystems_;  // newest last
  std::vector<std::pair<std::string, std::shared_ptr<const MediaPlan>>> plans_;
  std::size_t builds_ = 0;
};

}  // namespace campaign
