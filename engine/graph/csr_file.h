// A binary cache of a graph in CSR form, so a large network is parsed once and then
// loaded at disk speed (`campaign-sim graph convert net.edges net.csr`).
//
// Layout (little-endian): the 8 bytes "CSIMCSR1", then u64 num_nodes, u64 num_arcs,
// u64 flags (bit 0: original ids follow; bit 1: directed, the arcs as word of mouth
// travels), then offsets (u64 x (num_nodes + 1)), targets (u32 x num_arcs) and, if
// present, original ids (u64 x num_nodes). Files without bit 1 (every file before it)
// are undirected. read_csr checks the magic, the sizes against the file length, and the
// CSR invariants it needs to be safe.
#pragma once

#include <cstdio>
#include <string>

#include "graph/edge_list_loader.h"

namespace campaign {

// True when the file starts with the binary CSR magic.
bool is_csr_file(const std::string& path);

// Written under a temporary name and renamed into place. Throws IoError.
void write_csr(const std::string& path, const CsrGraph& graph,
               const std::vector<std::uint64_t>& original_ids);

// A text edge list "u v" per line (u < v, ids 0..n-1, or the original ids when given),
// written under a temporary name and renamed into place. Throws IoError.
void write_edge_list(const std::string& path, const CsrGraph& graph,
                     const std::vector<std::uint64_t>& original_ids);

// The same text to an open stream (standard output); `name` names it in messages.
void stream_edge_list(std::FILE* out, const std::string& name, const CsrGraph& graph,
                      const std::vector<std::uint64_t>& original_ids);

struct CsrHeader {
  std::uint64_t nodes = 0;
  std::uint64_t arcs = 0;  // 2 per undirected edge
  bool has_original_ids = false;
  bool directed = false;
};

// The header, checked against the file's length (InputError naming the file otherwise):
// what reading the file will cost, known before reading it.
CsrHeader read_csr_header(const std::string& path);

// Throws InputError naming the file when it is not a valid CSR file.
LoadedGraph read_csr(const std::string& path);

// InputError when `path` is a directory, a FIFO, a device or a socket (which the readers
// would report obscurely, or block on).
void check_graph_path(const std::string& path);

// A text edge list (SNAP or Matrix Market) or a binary CSR file, whichever `path` holds;
// InputError when a CSR file's direction is not the one `reading` asks for (a directed
// CSR file holds its arcs as word of mouth travels, whichever ArcReading made it).
LoadedGraph load_graph_file(const std::string& path, ArcReading reading = ArcReading::undirected);

}  // namespace campaign
