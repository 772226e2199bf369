// Builds the scenario's social graph: generated from (seed, Stream::graph), or loaded from
// an edge list. The graph is drawn once per run and shared by all replications.
// For an edge list, sets scenario.audience.size to the file's node count and validates
// the scenario again (seeds must be people of the file).
#pragma once

#include <string>

#include "graph/csr_graph.h"
#include "graph/edge_list_loader.h"
#include "graph/graph_builder.h"
#include "scenario/scenario_loader.h"

namespace campaign {

struct GraphRecord {
  CsrGraph graph;
  BuildReport report;
  std::string description;  // one line for the run summary
  double seconds = 0;
};

GraphRecord make_graph(LoadedScenario& loaded);

// How graph.directed and graph.arcs read a graph file's lines.
inline ArcReading arc_reading_of(bool directed, GraphArcs arcs) {
  if (!directed) return ArcReading::undirected;
  return arcs == GraphArcs::follows ? ArcReading::follows : ArcReading::talks_to;
}

}  // namespace campaign
