// Edge list -> CSR by counting sort, as in the GAP Benchmark Suite's builder: count
// degrees, prefix-sum them into offsets, scatter both arcs of every edge, then sort and
// deduplicate each adjacency on its own (independent per node, so the parallel loop
// gives the same result at any thread count) and compact the arc array in place.
// O(n + m) memory passes plus the per-node sorts; flat arrays only.
#include "graph/graph_builder.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <stdexcept>
#include <string>

#include "core/interrupt.h"

namespace campaign {
namespace {

constexpr std::size_t INTERRUPT_CHECK = std::size_t{1} << 22;  // edges between two looks

}  // namespace

CsrGraph GraphBuilder::build(BuildReport* report) && { return build_graph(report, false); }

CsrGraph GraphBuilder::build_directed(BuildReport* report) && { return build_graph(report, true); }

CsrGraph GraphBuilder::build_graph(BuildReport* report, bool directed) {
  std::vector<Edge> edges = std::move(edges_);
  const NodeId n = num_nodes_;
  BuildReport counts;
  counts.edges_in = edges.size();

  // offsets[u + 1] counts u's arcs, then an inclusive prefix sum turns counts into starts.
  std::vector<ArcIndex> offsets(std::size_t{n} + 1, 0);
  std::size_t seen = 0;
  for (const auto& [u, v] : edges) {
    if (++seen % INTERRUPT_CHECK == 0) throw_if_interrupted();
    if (u >= n || v >= n) {
      throw std::out_of_range("GraphBuilder: edge (" + std::to_string(u) + ", " +
                              std::to_string(v) + ") names a node >= num_nodes " +
                              std::to_string(n));
    }
    if (u == v) {
      ++counts.self_loops_dropped;
      continue;
    }
    ++offsets[std::size_t{u} + 1];
    if (!directed) ++offsets[std::size_t{v} + 1];
  }
  for (std::size_t u = 0; u < n; ++u) offsets[u + 1] += offsets[u];

  std::vector<NodeId> targets(offsets[n]);
  {
    std::vector<ArcIndex> cursor(offsets.begin(), offsets.end() - 1);
    throw_if_interrupted();
    for (const auto& [u, v] : edges) {
      if (u == v) continue;
      targets[cursor[u]++] = v;
      if (!directed) targets[cursor[v]++] = u;
    }
  }
  std::vector<Edge>().swap(edges);  // release before the sorts: the edge list is not needed

  // kept[u] = length of u's adjacency after sort + unique.
  std::vector<std::uint32_t> kept(n);
  throw_if_interrupted();
  tbb::parallel_for(tbb::blocked_range<NodeId>(0, n, 1024),
                    [&](const tbb::blocked_range<NodeId>& rows) {
                      for (NodeId u = rows.begin(); u != rows.end(); ++u) {
                        NodeId* first = targets.data() + offsets[u];
                        NodeId* last = targets.data() + offsets[u + 1];
                        std::sort(first, last);
                        kept[u] = static_cast<std::uint32_t>(std::unique(first, last) - first);
                      }
                    });

  // Compaction: every destination lies at or before its source, so a forward copy is safe.
  const ArcIndex arcs_before = offsets[n];
  ArcIndex out = 0;
  for (NodeId u = 0; u < n; ++u) {
    const ArcIndex from = offsets[u];
    offsets[u] = out;
    if (from != out) {
      std::copy(targets.begin() + static_cast<std::ptrdiff_t>(from),
                targets.begin() + static_cast<std::ptrdiff_t>(from + kept[u]),
                targets.begin() + static_cast<std::ptrdiff_t>(out));
    }
    out += kept[u];
  }
  offsets[n] = out;
  if (out != arcs_before) {
    targets.resize(out);
    targets.shrink_to_fit();
  }
  // Each repeated undirected edge leaves a duplicate arc at both of its endpoints.
  counts.duplicates_dropped = directed ? arcs_before - out : (arcs_before - out) / 2;

  if (report != nullptr) *report = counts;
  return CsrGraph(std::move(offsets), std::move(targets), directed);
}

}  // namespace campaign
