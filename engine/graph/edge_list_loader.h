// Loads a real network from a text file, recognized by its content (not its name):
//  - a SNAP-style edge list: one edge "u v" per line, separated by whitespace or a comma;
//    lines starting with '#' or '%' and blank lines are comments. Node ids are any
//    non-negative integers, remapped to 0..n-1 in increasing order of the original id;
//    an id that appears only in self-loops is not a node.
//  - a Matrix Market file (first line "%%MatrixMarket matrix coordinate FIELD SYMMETRY",
//    FIELD pattern, integer or real, SYMMETRY general, symmetric or skew-symmetric): an
//    n x n matrix whose entries (i, j), 1-based, are the edges; its n people are
//    1..n (ids 0..n-1), isolated ones included; the values are not read (every listed
//    entry is an edge). Other kinds (array, complex, hermitian, a non-square matrix) and
//    an entry count other than the size line's are refused.
// Either may be gzip-compressed (detected by its magic bytes, whatever the name).
// Self-loops and duplicate edges are dropped and counted. The lines (or entries) are read
// as undirected edges, or as arcs of a follower network (ArcReading), giving a directed
// graph whose arcs point the way word of mouth travels.
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

// How a line "u v" (a matrix entry (u, v)) is read: an undirected edge; "u follows v",
// so v talks to u (word of mouth from the followed to the follower, the default for a
// directed graph); or "u talks to v".
enum class ArcReading { undirected, follows, talks_to };

LoadedGraph load_edge_list(const std::string& path, ArcReading reading = ArcReading::undirected);

// The edges of an edge list, without reading it all: the bytes per edge line in its
// first MiB (decompressed; 8 when that MiB holds only comments), into the rest of the
// file's size (for gzip, scaled by the compression ratio of that first part). Exact when
// the file is that small.
struct EdgeListSize {
  double edges = 0;
  bool exact = false;
  double people = -1;  // a Matrix Market file's rows (its size line); -1 for an edge list
};
EdgeListSize estimate_edge_list_size(const std::string& path);

}  // namespace campaign
