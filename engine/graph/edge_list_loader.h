// Loads a real network from a text edge list in the SNAP style: one edge "u v" per line,
// separated by whitespace or a comma; lines starting with '#' or '%' and blank lines are
// comments; a '.gz' file is decompressed on the fly. Node ids are any non-negative
// integers; they are remapped to 0..n-1 in increasing order of the original id. The graph
// is taken as undirected; self-loops and duplicate edges are dropped and counted, and an
// id that appears only in self-loops is not a node.
// A malformed line raises InputError naming "file:line".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "graph/csr_graph.h"
#include "graph/graph_builder.h"

namespace campaign {

struct LoadedGraph {
  CsrGraph graph;
  std::vector<std::uint64_t> original_ids;  // original_ids[new id] = id in the file
  BuildReport report;
  std::uint64_t lines = 0;  // lines in the file, comments and blank lines included
};

LoadedGraph load_edge_list(const std::string& path);

// The edges of an edge list, without reading it all: the bytes per edge line in its
// first MiB (decompressed; 8 when that MiB holds only comments), into the rest of the
// file's size (for gzip, scaled by the compression ratio of that first part). Exact when
// the file is that small.
struct EdgeListSize {
  double edges = 0;
  bool exact = false;
};
EdgeListSize estimate_edge_list_size(const std::string& path);

}  // namespace campaign
