// A scenario: run settings, the audience, its social graph, the diffusion model and the
// seeding. A plain struct whose defaults live in one table (scenario/key_registry.cpp),
// filled from a TOML file and `--set key=value` overrides by scenario_loader, and checked
// by validate(). Units are in the field comments.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/types.h"

namespace campaign {

enum class StepUnit { day, week };
enum class GraphModel {
  complete, ring_lattice, watts_strogatz, erdos_renyi, barabasi_albert,
  random_regular, configuration, stochastic_block, edge_list
};
enum class DegreeDistribution { power_law, poisson, sequence };
enum class DiffusionModel { independent_cascade, network_bass };

struct RunSettings {
  std::string name;              // names the HDF5 group; defaults to the file's stem
  std::uint32_t replications = 0;
  std::uint32_t steps = 0;       // steps simulated after seeding
  StepUnit step_unit = StepUnit::day;
  std::uint64_t seed = 0;        // master seed of every random stream
};

struct AudienceSettings {
  std::uint32_t size = 0;  // people; replaced by the file's node count for edge_list graphs
};

struct GraphSettings {
  GraphModel model = GraphModel::erdos_renyi;
  double mean_degree = 0;          // erdos_renyi: expected degree, p = mean_degree / (n - 1)
  std::uint32_t k = 0;             // ring_lattice, watts_strogatz: neighbours on each side
  double rewire = 0;               // watts_strogatz: rewiring probability
  std::uint32_t m = 0;             // barabasi_albert: links per new node
  std::uint32_t degree = 0;        // random_regular: degree of every node
  DegreeDistribution degree_distribution = DegreeDistribution::power_law;  // configuration
  double exponent = 0;             // configuration/power_law: P(k) ∝ k^-exponent
  std::uint32_t min_degree = 0;    // configuration/power_law
  std::uint32_t max_degree = 0;    // configuration/power_law
  double poisson_mean = 0;         // configuration/poisson
  std::vector<std::int64_t> degree_sequence;  // configuration/sequence: one per person
  std::uint32_t blocks = 0;        // stochastic_block: equal blocks when block_sizes is empty
  std::vector<std::int64_t> block_sizes;      // stochastic_block: people per block
  double p_in = 0;                 // stochastic_block: link probability within a block
  double p_out = 0;                // stochastic_block: link probability across blocks
  std::string path;                // edge_list: file, relative to the scenario file
};

struct DiffusionSettings {
  DiffusionModel model = DiffusionModel::independent_cascade;
  double transmission = 0;  // independent_cascade: T, chance per newly-active contact
  double p = 0;             // network_bass: advertising (innovation) per step
  double q = 0;             // network_bass: word of mouth per adopted neighbour per step
};

struct SeedingSettings {
  std::uint32_t count = 0;             // random initial adopters per replication
  std::vector<std::int64_t> nodes;     // or these people (ids 0..n-1), in every replication
};

// Names used in scenario files, for each enumeration.
template <class E>
struct EnumNames;
template <>
struct EnumNames<StepUnit> {
  static constexpr std::pair<std::string_view, StepUnit> values[] = {{"day", StepUnit::day},
                                                                     {"week", StepUnit::week}};
};
template <>
struct EnumNames<GraphModel> {
  static constexpr std::pair<std::string_view, GraphModel> values[] = {
      {"complete", GraphModel::complete},
      {"ring_lattice", GraphModel::ring_lattice},
      {"watts_strogatz", GraphModel::watts_strogatz},
      {"erdos_renyi", GraphModel::erdos_renyi},
      {"barabasi_albert", GraphModel::barabasi_albert},
      {"random_regular", GraphModel::random_regular},
      {"configuration", GraphModel::configuration},
      {"stochastic_block", GraphModel::stochastic_block},
      {"edge_list", GraphModel::edge_list}};
};
template <>
struct EnumNames<DegreeDistribution> {
  static constexpr std::pair<std::string_view, DegreeDistribution> values[] = {
      {"power_law", DegreeDistribution::power_law},
      {"poisson", DegreeDistribution::poisson},
      {"sequence", DegreeDistribution::sequence}};
};
template <>
struct EnumNames<DiffusionModel> {
  static constexpr std::pair<std::string_view, DiffusionModel> values[] = {
      {"independent_cascade", DiffusionModel::independent_cascade},
      {"network_bass", DiffusionModel::network_bass}};
};

template <class E>
std::string_view name_of(E value) {
  for (const auto& [name, v] : EnumNames<E>::values) {
    if (v == value) return name;
  }
  return "?";
}

struct Scenario {
  RunSettings run;
  AudienceSettings audience;
  GraphSettings graph;
  DiffusionSettings diffusion;
  SeedingSettings seeding;
  std::string source;    // where it came from (file path), for messages
  std::string base_dir;  // directory that relative paths are resolved against
};

}  // namespace campaign
