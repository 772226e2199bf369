// Builds a CsrGraph from an unordered list of undirected edges. Self-loops and duplicate
// edges (in either direction) are dropped and counted, so generators and loaders can emit
// edges freely and report what was cleaned.
//
//   GraphBuilder builder(n);
//   builder.add_edges(edges);
//   BuildReport report;
//   CsrGraph g = std::move(builder).build(&report);
#pragma once

#include <utility>
#include <vector>

#include "core/types.h"
#include "graph/csr_graph.h"

namespace campaign {

using Edge = std::pair<NodeId, NodeId>;

struct BuildReport {
  std::uint64_t edges_in = 0;          // edges handed to the builder
  std::uint64_t self_loops_dropped = 0;
  std::uint64_t duplicates_dropped = 0;  // repeated undirected edges, either orientation
};

class GraphBuilder {
 public:
  explicit GraphBuilder(NodeId num_nodes) : num_nodes_(num_nodes) {}

  void add_edge(NodeId u, NodeId v) { edges_.emplace_back(u, v); }
  void add_edges(const std::vector<Edge>& edges) {
    edges_.insert(edges_.end(), edges.begin(), edges.end());
  }
  void reserve(std::size_t edges) { edges_.reserve(edges); }

  // Node ids must be < num_nodes (checked; std::out_of_range otherwise).
  CsrGraph build(BuildReport* report = nullptr) &&;
  // The edges as arcs u -> v (a directed graph: u's row holds v); repeated arcs dropped,
  // (u, v) and (v, u) both kept.
  CsrGraph build_directed(BuildReport* report = nullptr) &&;

 private:
  CsrGraph build_graph(BuildReport* report, bool directed);
  NodeId num_nodes_;
  std::vector<Edge> edges_;
};

}  // namespace campaign
