// What a run will build and need, estimated from the scenario before anything is
// allocated, and the memory the process may use; so that a run too large for the machine
// is refused at once with the keys that drive it, instead of dying late with
// std::bad_alloc or the kernel's out-of-memory killer.
//
// The estimate is the peak of two phases: building (or loading) the graph, and running
// the replications (the graph, the partner ecosystem, each thread's replication state,
// the statistics, the trajectories in flight). Each term is the data structure's size
// from the code that allocates it (per edge, per person, per metric and step);
// docs/performance.md, "Memory", compares the estimates with measured peaks.
//
//   const Footprint f = estimate_footprint(loaded.scenario, threads, false);
//   check_fits(f, memory_limit(threads), loaded.scenario.source);  // InputError if too large
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scenario/scenario.h"

namespace campaign {

struct MemoryPart {
  std::string what;   // "graph", "statistics", ...
  double bytes = 0;
  std::string keys;   // the scenario keys that drive it, for the message
};

struct GraphEstimate {
  std::string source;       // "erdos_renyi" or the file's path
  double people = 0;
  double edges = 0;         // undirected; expected for random generators
  bool exact = false;       // the edges are known (a regular generator, a CSR header)
  double bytes = 0;         // the CSR in memory while the replications run
  double build_bytes = 0;   // peak while building or loading it
  std::string keys;
};

struct Footprint {
  GraphEstimate graph;
  std::vector<MemoryPart> run_parts;  // held while the replications run
  double run_bytes = 0;
  double peak_bytes = 0;              // max(graph.build_bytes, run_bytes)
  bool peak_is_build = false;
  std::uint64_t replications = 0;
  std::uint32_t steps = 0;
  std::uint32_t block_size = 0;       // replications per work unit
};

// The graph the scenario describes; reads only the header of a graph file (a CSR
// header, or a sample of a text edge list to estimate its edges).
GraphEstimate estimate_graph(const Scenario& scenario);

// A graph file's: exact for a binary CSR file (its header), estimated for an edge list.
GraphEstimate estimate_graph_file(const std::string& path);

Footprint estimate_footprint(const Scenario& scenario, unsigned threads, bool save_trajectories);

struct MemoryLimit {
  double bytes = 0;
  std::string source;  // "physical memory", "cgroup memory.max", "ulimit -v", "ulimit -d"
};

// The most memory this process may use: the smallest of the physical memory, its cgroup's
// limit (v2 memory.max or v1 memory.limit_in_bytes, this group's and its ancestors'), and
// the headroom left under ulimit -v (address space, less what `threads` threads reserve)
// and ulimit -d.
MemoryLimit memory_limit(unsigned threads);

// InputError when the peak exceeds the limit: one line with the estimate, the limit and
// its source, the largest parts and the keys that drive them, and --force. `task` names
// what needs it ("this run", "reading this graph").
void check_fits(const Footprint& footprint, const MemoryLimit& limit, const std::string& where,
                const std::string& task = "this run");

// "1.4 GB", "350.2 MB", "12.0 kB", "800 B" (decimal units, as the run summary prints).
std::string format_bytes(double bytes);

}  // namespace campaign
