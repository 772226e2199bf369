#include "sim/graph_factory.h"

#include <fmt/format.h>
#include <tbb/tick_count.h>

#include <filesystem>

#include "graph/csr_file.h"
#include "graph/generators.h"

namespace campaign {
namespace {

std::vector<std::uint32_t> as_degrees(const std::vector<std::int64_t>& values) {
  return {values.begin(), values.end()};
}

std::vector<NodeId> block_sizes(const GraphSettings& g, const SegmentSettings& segments, NodeId n) {
  if (!g.block_sizes.empty()) return {g.block_sizes.begin(), g.block_sizes.end()};
  if (g.blocks == 0) return segment_sizes(segments.shares, n);
  std::vector<NodeId> sizes(g.blocks, n / g.blocks);
  for (NodeId i = 0; i < n % g.blocks; ++i) ++sizes[i];
  return sizes;
}

}  // namespace

GraphRecord make_graph(LoadedScenario& loaded) {
  Scenario& s = loaded.scenario;
  const auto& g = s.graph;
  const NodeId n = s.audience.size;
  const std::uint64_t seed = s.run.seed;
  const auto start = tbb::tick_count::now();
  GraphRecord record;
  switch (g.model) {
    case GraphModel::complete:
      record.graph = complete_graph(n);
      break;
    case GraphModel::ring_lattice:
      record.graph = watts_strogatz(n, g.k, 0.0, seed, &record.report);
      break;
    case GraphModel::watts_strogatz:
      record.graph = watts_strogatz(n, g.k, g.rewire, seed, &record.report);
      break;
    case GraphModel::erdos_renyi:
      record.graph = erdos_renyi(n, g.mean_degree / (n - 1.0), seed, &record.report);
      break;
    case GraphModel::barabasi_albert:
      record.graph = barabasi_albert(n, g.m, seed, &record.report);
      break;
    case GraphModel::random_regular:
      record.graph = random_regular(n, g.degree, seed, &record.report);
      break;
    case GraphModel::configuration: {
      std::vector<std::uint32_t> degrees;
      switch (g.degree_distribution) {
        case DegreeDistribution::power_law:
          degrees = power_law_degrees(n, g.exponent, g.min_degree, g.max_degree, seed);
          break;
        case DegreeDistribution::poisson:
          degrees = poisson_degrees(n, g.poisson_mean, seed);
          break;
        case DegreeDistribution::sequence:
          degrees = as_degrees(g.degree_sequence);
          break;
      }
      record.graph = configuration_model(degrees, seed, &record.report);
      break;
    }
    case GraphModel::stochastic_block:
      record.graph = stochastic_block_model(block_sizes(g, s.segments, n), g.p_in, g.p_out, seed,
                                            &record.report);
      break;
    case GraphModel::edge_list: {
      LoadedGraph file = load_graph_file(resolve_path(s, g.path), arc_reading_of(g.directed, g.arcs));
      record.graph = std::move(file.graph);
      record.report = file.report;
      s.audience.size = record.graph.num_nodes();
      validate(s, loaded.origins);
      break;
    }
  }
  record.seconds = (tbb::tick_count::now() - start).seconds();
  const std::uint64_t dropped = record.report.self_loops_dropped + record.report.duplicates_dropped;
  const bool directed = record.graph.directed();
  record.description = fmt::format(
      "{}, {} people, {} {}, mean {}degree {:.2f}{}", name_of(g.model), record.graph.num_nodes(),
      record.graph.num_edges(), directed ? "arcs (directed: word of mouth along them)" : "edges",
      directed ? "out-" : "",
      record.graph.num_nodes() ? (directed ? 1.0 : 2.0) * record.graph.num_edges() / record.graph.num_nodes() : 0.0,
      dropped ? fmt::format(" ({} self-loops and {} duplicate edges dropped)",
                            record.report.self_loops_dropped, record.report.duplicates_dropped)
              : "");
  return record;
}

}  // namespace campaign
