// Random and regular graph generators. Each is a pure function of its parameters and a
// CounterRng seed: the output is the same at any thread count, because parallel
// generators draw per fixed-size block of rows, keyed by the block index (as in the GAP
// Benchmark Suite's generator), and every CSR row comes out sorted.
#pragma once

#include <cstdint>
#include <vector>

#include "graph/csr_graph.h"
#include "graph/graph_builder.h"

namespace campaign {

CsrGraph complete_graph(NodeId n);

// Ring lattice: each node linked to its k nearest neighbours on each side (degree 2k).
// Watts–Strogatz (Watts & Strogatz 1998): each lattice edge (u, u+j) is rewired with
// probability beta to (u, w), w uniform among nodes other than u and not already linked
// to u by u's own edges; rare collisions with other nodes' rewired edges are merged by
// the builder (reported).
CsrGraph watts_strogatz(NodeId n, std::uint32_t k, double beta, std::uint64_t seed,
                        BuildReport* report = nullptr);

// G(n, p) by geometric skip sampling (Batagelj & Brandes 2005): O(n + m) expected.
CsrGraph erdos_renyi(NodeId n, double p, std::uint64_t seed, BuildReport* report = nullptr);

// G(n, p) grown node by node: node u draws its links to the nodes before it, so the graph
// on the first n' nodes is the same for every n >= n' (a partner team that grows keeps
// its pairs). Same sampler and cost as erdos_renyi; a different graph for the same seed.
CsrGraph growing_erdos_renyi(NodeId n, double p, std::uint64_t seed, BuildReport* report = nullptr);

// Barabási–Albert preferential attachment (Batagelj & Brandes 2005, linear time): start
// from a clique of m + 1 nodes (m >= 1), each new node links to m distinct existing nodes
// chosen with probability proportional to degree.
CsrGraph barabasi_albert(NodeId n, std::uint32_t m, std::uint64_t seed,
                         BuildReport* report = nullptr);

// Configuration model (Molloy & Reed 1995), erased: stubs are paired uniformly at
// random, then self-loops and multi-edges are dropped (reported). An odd degree sum
// gets one stub removed from the last node with positive degree.
CsrGraph configuration_model(const std::vector<std::uint32_t>& degrees, std::uint64_t seed,
                             BuildReport* report = nullptr);

// Random d-regular graph: the erased configuration model with every degree d.
CsrGraph random_regular(NodeId n, std::uint32_t d, std::uint64_t seed,
                        BuildReport* report = nullptr);

// Degree sequences drawn i.i.d. from a distribution, keyed by node.
// Discrete power law P(k) ∝ k^-exponent on [k_min, k_max].
std::vector<std::uint32_t> power_law_degrees(NodeId n, double exponent, std::uint32_t k_min,
                                             std::uint32_t k_max, std::uint64_t seed);
std::vector<std::uint32_t> poisson_degrees(NodeId n, double mean, std::uint64_t seed);

// Stochastic block model (Holland et al. 1983): nodes are numbered block by block;
// a pair in the same block is linked with probability p_in, across blocks with p_out.
CsrGraph stochastic_block_model(const std::vector<NodeId>& block_sizes, double p_in,
                                double p_out, std::uint64_t seed,
                                BuildReport* report = nullptr);

}  // namespace campaign
