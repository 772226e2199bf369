#include "graph/csr_graph.h"

#include <algorithm>
#include <stdexcept>

namespace campaign {

CsrGraph::CsrGraph(std::vector<ArcIndex> offsets, std::vector<NodeId> targets)
    : offsets_(std::move(offsets)), targets_(std::move(targets)) {
  if (offsets_.empty() || offsets_.back() != targets_.size()) {
    throw std::invalid_argument("CsrGraph: offsets do not match the arc array");
  }
}

std::uint32_t CsrGraph::max_degree() const {
  std::uint32_t best = 0;
  for (NodeId u = 0; u < num_nodes(); ++u) best = std::max(best, degree(u));
  return best;
}

bool CsrGraph::has_edge(NodeId u, NodeId v) const {
  const auto n = neighbors(u);
  return std::binary_search(n.begin(), n.end(), v);
}

}  // namespace campaign
