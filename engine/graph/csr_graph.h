// An immutable graph in compressed sparse row form: the neighbours of u are
// targets()[offsets()[u] .. offsets()[u + 1]), sorted ascending, without self-loops or
// duplicates. Undirected, each edge is stored as two arcs; directed (a follower network),
// u's row holds the people u talks to (word of mouth travels along the arcs), and each
// arc is an edge. Built by GraphBuilder.
//
//   for (NodeId v : graph.neighbors(u)) { ... }
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/types.h"

namespace campaign {

class CsrGraph {
 public:
  CsrGraph() : offsets_(1, 0) {}
  CsrGraph(std::vector<ArcIndex> offsets, std::vector<NodeId> targets, bool directed = false);

  NodeId num_nodes() const { return static_cast<NodeId>(offsets_.size() - 1); }
  ArcIndex num_arcs() const { return targets_.size(); }
  ArcIndex num_edges() const { return directed_ ? targets_.size() : targets_.size() / 2; }
  bool directed() const { return directed_; }
  // The arcs reversed: row u holds the people who talk to u (sorted). For a directed graph.
  CsrGraph transposed() const;
  std::uint32_t degree(NodeId u) const {
    return static_cast<std::uint32_t>(offsets_[u + 1] - offsets_[u]);
  }
  std::span<const NodeId> neighbors(NodeId u) const {
    return {targets_.data() + offsets_[u], targets_.data() + offsets_[u + 1]};
  }
  std::uint32_t max_degree() const;

  // Walks over a list of people (a frontier) are bound by fetching a random row each:
  // call this at position i to ask for the offsets of the person 24 places ahead and the
  // row of the one 12 places ahead. Always inlined: GCC deems a function made only of
  // prefetches free of effects and drops calls to it.
  template <class List, class PersonOf>
  [[gnu::always_inline]] void prefetch_ahead(const List& list, std::size_t i,
                                             PersonOf person) const {
    if (i + 24 < list.size()) __builtin_prefetch(&offsets_[person(list[i + 24])]);
    if (i + 12 < list.size()) {
      const std::span<const NodeId> row = neighbors(person(list[i + 12]));
      __builtin_prefetch(row.data());
      __builtin_prefetch(row.data() + row.size() - 1);  // a row spans up to two lines
    }
  }
  bool has_edge(NodeId u, NodeId v) const;  // binary search in u's sorted list

  const std::vector<ArcIndex>& offsets() const { return offsets_; }
  const std::vector<NodeId>& targets() const { return targets_; }
  std::size_t memory_bytes() const {
    return offsets_.size() * sizeof(ArcIndex) + targets_.size() * sizeof(NodeId);
  }

 private:
  std::vector<ArcIndex> offsets_;  // num_nodes + 1
  std::vector<NodeId> targets_;    // num_arcs
  bool directed_ = false;
};

}  // namespace campaign
