// Cross-key checks of a scenario. Single-key ranges are checked where each key is read
// (scenario/key_registry.cpp); here are the rules that tie keys together.
#include <fmt/format.h>

#include <numeric>
#include <set>

#include "core/error.h"
#include "scenario/scenario.h"
#include "scenario/scenario_loader.h"

namespace campaign {
namespace {

// The complete graph stores n(n-1) arcs; beyond this it would not fit a 24 GiB machine.
constexpr std::uint32_t MAX_COMPLETE_GRAPH = 20'000;

class Checker {
 public:
  Checker(const Scenario& s, const KeyOrigins& origins) : s_(s), origins_(origins) {}

  template <class... Args>
  void require(bool ok, const std::string& key, fmt::format_string<Args...> message,
               Args&&... args) const {
    if (!ok) {
      throw InputError(fmt::format("{}: {}", origins_.where(key),
                                   fmt::format(message, std::forward<Args>(args)...)));
    }
  }

 private:
  const Scenario& s_;
  const KeyOrigins& origins_;
};

}  // namespace

void validate(const Scenario& s, const KeyOrigins& origins) {
  const Checker check(s, origins);
  const std::uint64_t n = s.audience.size;
  const auto& g = s.graph;

  check.require(!s.run.name.empty() && s.run.name.find_first_not_of(
                                           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                           "0123456789_-.") == std::string::npos &&
                    s.run.name != "." && s.run.name != "..",
                "run.name", "run.name = \"{}\" is not allowed; allowed: letters, digits, '_', '-', '.'",
                s.run.name);

  switch (g.model) {
    case GraphModel::complete:
      check.require(n <= MAX_COMPLETE_GRAPH, "audience.size",
                    "audience.size = {} is too large for graph.model = \"complete\"; allowed: 1 .. {}",
                    n, MAX_COMPLETE_GRAPH);
      break;
    case GraphModel::ring_lattice:
    case GraphModel::watts_strogatz:
      check.require(2ull * g.k < n, "graph.k",
                    "graph.k = {} needs audience.size > 2k; allowed for size {}: 1 .. {}", g.k, n,
                    n > 1 ? (n - 1) / 2 : 0);
      break;
    case GraphModel::erdos_renyi:
      check.require(n >= 2 && g.mean_degree <= static_cast<double>(n - 1), "graph.mean_degree",
                    "graph.mean_degree = {} is out of range for audience.size = {}; allowed: (0, {}]",
                    g.mean_degree, n, n > 0 ? n - 1 : 0);
      break;
    case GraphModel::barabasi_albert:
      check.require(g.m < n, "graph.m", "graph.m = {} needs audience.size > m; allowed: 1 .. {}",
                    g.m, n - 1);
      break;
    case GraphModel::random_regular:
      check.require(g.degree < n, "graph.degree",
                    "graph.degree = {} needs audience.size > degree; allowed: 1 .. {}", g.degree,
                    n - 1);
      break;
    case GraphModel::configuration:
      if (g.degree_distribution == DegreeDistribution::power_law) {
        check.require(g.min_degree <= g.max_degree, "graph.min_degree",
                      "graph.min_degree = {} exceeds graph.max_degree = {}", g.min_degree,
                      g.max_degree);
        check.require(g.max_degree - g.min_degree < (1u << 24), "graph.max_degree",
                      "graph.max_degree = {} is too far above graph.min_degree = {}; allowed: "
                      "max_degree - min_degree < 16777216",
                      g.max_degree, g.min_degree);
        check.require(g.max_degree < n, "graph.max_degree",
                      "graph.max_degree = {} needs audience.size > max_degree; allowed: 1 .. {}",
                      g.max_degree, n - 1);
      } else if (g.degree_distribution == DegreeDistribution::sequence) {
        check.require(g.degree_sequence.size() == n, "graph.degree_sequence",
                      "graph.degree_sequence has {} entries; it needs one per person "
                      "(audience.size = {})",
                      g.degree_sequence.size(), n);
        for (std::size_t i = 0; i < g.degree_sequence.size(); ++i) {
          check.require(static_cast<std::uint64_t>(g.degree_sequence[i]) < n,
                        "graph.degree_sequence",
                        "graph.degree_sequence[{}] = {} is out of range; allowed: 0 .. {}", i,
                        g.degree_sequence[i], n - 1);
        }
      }
      break;
    case GraphModel::stochastic_block:
      if (g.block_sizes.empty()) {
        check.require(g.blocks <= n, "graph.blocks",
                      "graph.blocks = {} exceeds audience.size = {}; allowed: 1 .. {}", g.blocks,
                      n, n);
      } else {
        const auto total = std::accumulate(g.block_sizes.begin(), g.block_sizes.end(),
                                           std::int64_t{0});
        check.require(static_cast<std::uint64_t>(total) == n, "graph.block_sizes",
                      "graph.block_sizes sum to {}, but audience.size = {}; they must be equal",
                      total, n);
      }
      break;
    case GraphModel::edge_list:
      check.require(!g.path.empty(), "graph.path",
                    "graph.path is empty; graph.model = \"edge_list\" needs a file");
      break;
  }

  // For an edge list the audience is the file's node count, known once the file is read;
  // the graph factory then sets audience.size and validates again.
  if (n == 0) return;
  if (!s.seeding.nodes.empty()) {
    check.require(!origins.is_set("seeding.count") || s.seeding.count == 0, "seeding.count",
                  "set either seeding.count or seeding.nodes, not both");
    std::set<std::int64_t> seen;
    for (std::size_t i = 0; i < s.seeding.nodes.size(); ++i) {
      const auto id = s.seeding.nodes[i];
      check.require(static_cast<std::uint64_t>(id) < n, "seeding.nodes",
                    "seeding.nodes[{}] = {} is not a person; allowed: 0 .. {}", i, id, n - 1);
      check.require(seen.insert(id).second, "seeding.nodes",
                    "seeding.nodes[{}] = {} is listed twice", i, id);
    }
  } else {
    check.require(s.seeding.count <= n, "seeding.count",
                  "seeding.count = {} exceeds audience.size = {}; allowed: 0 .. {}",
                  s.seeding.count, n, n);
  }
}

}  // namespace campaign
