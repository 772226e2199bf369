#include "model/ecosystem_cache.h"

#include <fmt/format.h>

#include "scenario/scenario_loader.h"

namespace campaign {

namespace {

// Every field Ecosystem::Ecosystem reads, as text.
std::string ecosystem_key(const Scenario& s, NodeId num_people) {
  Scenario part;
  part.run.seed = s.run.seed;
  part.partners = s.partners;
  part.firm.reach = s.firm.reach;
  if (s.partners.followers == FollowerModel::community) part.segments = s.segments;
  if (s.partners.followers == FollowerModel::neighbourhood) {  // the graph is drawn from these
    part.audience = s.audience;
    part.graph = s.graph;
    part.segments = s.segments;
  }
  return fmt::format("{}\n{}", num_people, resolved_toml(part));
}

// Every field MediaPlan::MediaPlan reads besides the ecosystem, as text.
std::string plan_key(const Scenario& s) {
  Scenario part;
  part.run.seed = s.run.seed;
  part.run.steps = s.run.steps;
  part.firm.message_cost = s.firm.message_cost;
  part.firm.credibility = s.firm.credibility;
  const MediaSettings& m = s.media;
  MediaSettings& p = part.media;
  p.strategy = m.strategy;
  p.budget = m.budget;
  p.cadence = m.cadence;
  p.messages_per_step = m.messages_per_step;
  p.triad_choice = m.triad_choice;
  p.calendar = m.calendar;
  p.start = m.start;
  p.announce_offset = m.announce_offset;
  p.event_offset = m.event_offset;
  p.echo_offset = m.echo_offset;
  p.announce_strength = m.announce_strength;
  p.event_strength = m.event_strength;
  p.echo_strength = m.echo_strength;
  return fmt::format("{}\n{}", s.source, resolved_toml(part));  // the source: its error names it
}

template <typename T>
std::shared_ptr<const T> find(std::vector<std::pair<std::string, std::shared_ptr<const T>>>& kept,
                              const std::string& key) {
  for (const auto& [k, value] : kept) {
    if (k == key) return value;
  }
  return nullptr;
}

template <typename T>
void keep(std::vector<std::pair<std::string, std::shared_ptr<const T>>>& kept, std::string key,
          std::shared_ptr<const T> value, std::size_t most) {
  if (kept.size() == most) kept.erase(kept.begin());
  kept.emplace_back(std::move(key), std::move(value));
}

}  // namespace

EcosystemCache::World EcosystemCache::get(const Scenario& s, const CsrGraph& graph) {
  const std::string eco_key = fmt::format("{}\n{}", s.base_dir, ecosystem_key(s, graph.num_nodes()));
  const std::string key = eco_key + plan_key(s);
  const std::lock_guard lock(mutex_);
  World world{find(ecosystems_, eco_key), find(plans_, key)};
  if (!world.ecosystem) {
    world.ecosystem = std::make_shared<const Ecosystem>(s, graph);
    ++builds_;
    keep(ecosystems_, eco_key, world.ecosystem, KEEP);
  }
  if (!world.plan) {
    world.plan = std::make_shared<const MediaPlan>(s, *world.ecosystem);
    ++builds_;
    keep(plans_, key, world.plan, KEEP);
  }
  return world;
}

std::size_t EcosystemCache::builds() const {
  const std::lock_guard lock(mutex_);
  return builds_;
}

}  // namespace campaign
