// Breadth-first search yardsticks over the engine's CSR graph, for the benchmarks.
//
// top_down_bfs: the textbook frontier scan.
// direction_optimizing_bfs: Beamer, Asanović & Patterson, "Direction-optimizing
// breadth-first search" (SC'12), as in the GAP Benchmark Suite: top-down while the
// frontier is small, bottom-up (every unvisited vertex scans its neighbours for a parent
// in the frontier, stopping at the first) while it is large. Switch heuristics alpha = 15,
// beta = 18 (GAP's defaults). Frontier as a bitmap in the bottom-up phase. Serial.
// Both return the number of arcs examined.
#pragma once

#include <cstdint>
#include <vector>

#include "graph/csr_graph.h"

namespace campaign::bench {

class BfsWorkspace {
 public:
  explicit BfsWorkspace(NodeId n) : parent_(n), front_bits_((n + 63) / 64), next_bits_((n + 63) / 64) {
    queue_.reserve(n);
  }

  std::uint64_t top_down(const CsrGraph& g, NodeId source) {
    std::fill(parent_.begin(), parent_.end(), -1);
    queue_.clear();
    queue_.push_back(source);
    parent_[source] = static_cast<std::int32_t>(source);
    std::uint64_t arcs = 0;
    for (std::size_t head = 0; head < queue_.size(); ++head) {
      const NodeId u = queue_[head];
      arcs += g.degree(u);
      for (NodeId v : g.neighbors(u)) {
        if (parent_[v] < 0) {
          parent_[v] = static_cast<std::int32_t>(u);
          queue_.push_back(v);
        }
      }
    }
    return arcs;
  }

  std::uint64_t direction_optimizing(const CsrGraph& g, NodeId source) {
    constexpr std::uint64_t ALPHA = 15, BETA = 18;
    const NodeId n = g.num_nodes();
    std::fill(parent_.begin(), parent_.end(), -1);
    parent_[source] = static_cast<std::int32_t>(source);
    std::vector<NodeId> frontier = {source}, next;
    std::uint64_t arcs = 0;
    std::uint64_t edges_to_check = g.num_arcs();
    std::uint64_t scout = g.degree(source);
    while (!frontier.empty()) {
      if (scout > edges_to_check / ALPHA) {
        // Bottom-up steps while the frontier is large.
        std::fill(front_bits_.begin(), front_bits_.end(), 0);
        for (NodeId u : frontier) front_bits_[u >> 6] |= std::uint64_t{1} << (u & 63);
        std::uint64_t awake = frontier.size(), previous;
        do {
          previous = awake;
          awake = 0;
          std::fill(next_bits_.begin(), next_bits_.end(), 0);
          for (NodeId v = 0; v < n; ++v) {
            if (parent_[v] >= 0) continue;
            for (NodeId u : g.neighbors(v)) {
              ++arcs;
              if (front_bits_[u >> 6] >> (u & 63) & 1) {
                parent_[v] = static_cast<std::int32_t>(u);
                next_bits_[v >> 6] |= std::uint64_t{1} << (v & 63);
                ++awake;
                break;
              }
            }
          }
          front_bits_.swap(next_bits_);
        } while (awake >= previous || awake > n / BETA);
        frontier.clear();
        for (NodeId v = 0; v < n; ++v) {
          if (front_bits_[v >> 6] >> (v & 63) & 1) frontier.push_back(v);
        }
        scout = 1;
      } else {
        edges_to_check -= scout;
        next.clear();
        scout = 0;
        for (NodeId u : frontier) {
          arcs += g.degree(u);
          for (NodeId v : g.neighbors(u)) {
            if (parent_[v] < 0) {
              parent_[v] = static_cast<std::int32_t>(u);
              next.push_back(v);
              scout += g.degree(v);
            }
          }
        }
        frontier.swap(next);
      }
    }
    return arcs;
  }

  // People reached by the last search.
  std::uint64_t reached() const {
    std::uint64_t count = 0;
    for (std::int32_t p : parent_) count += p >= 0;
    return count;
  }

 private:
  std::vector<std::int32_t> parent_;
  std::vector<NodeId> queue_;
  std::vector<std::uint64_t> front_bits_, next_bits_;
};

}  // namespace campaign::bench
