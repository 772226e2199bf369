#include "graph/csr_graph.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>

namespace campaign {
namespace {

// Asks the kernel to back the whole 2 MiB pages inside [data, data + bytes) with huge
// pages now (Linux 6.1+, MADV_COLLAPSE; independent of the THP sysfs mode). Kernels walk
// rows at random, so with 4 KiB pages nearly every row costs a TLB miss. Best effort:
// where the call is unknown or refused, nothing changes but speed.
void back_with_huge_pages(const void* data, std::size_t bytes) {
#ifdef __linux__
  constexpr std::uintptr_t huge = std::uintptr_t{2} << 20;
  const auto first = (reinterpret_cast<std::uintptr_t>(data) + huge - 1) & ~(huge - 1);
  const auto last = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(huge - 1);
  if (last > first) {
    constexpr int collapse = 25;  // MADV_COLLAPSE, not in every libc's headers
    madvise(reinterpret_cast<void*>(first), last - first, collapse);
  }
#else
  (void)data;
  (void)bytes;
#endif
}

}  // namespace

CsrGraph::CsrGraph(std::vector<ArcIndex> offsets, std::vector<NodeId> targets, bool directed)
    : offsets_(std::move(offsets)), targets_(std::move(targets)), directed_(directed) {
  if (offsets_.empty() || offsets_.back() != targets_.size()) {
    throw std::invalid_argument("CsrGraph: offsets do not match the arc array");
  }
  back_with_huge_pages(targets_.data(), targets_.size() * sizeof(NodeId));
  back_with_huge_pages(offsets_.data(), offsets_.size() * sizeof(ArcIndex));
}

std::uint32_t CsrGraph::max_degree() const {
  std::uint32_t best = 0;
  for (NodeId u = 0; u < num_nodes(); ++u) best = std::max(best, degree(u));
  return best;
}

CsrGraph CsrGraph::transposed() const {
  const NodeId n = num_nodes();
  std::vector<ArcIndex> offsets(std::size_t{n} + 1, 0);
  for (NodeId v : targets_) ++offsets[std::size_t{v} + 1];
  for (std::size_t u = 0; u < n; ++u) offsets[u + 1] += offsets[u];
  std::vector<NodeId> targets(targets_.size());
  std::vector<ArcIndex> cursor(offsets.begin(), offsets.end() - 1);
  for (NodeId u = 0; u < n; ++u) {  // sources in increasing order: each row comes out sorted
    for (NodeId v : neighbors(u)) targets[cursor[v]++] = u;
  }
  return CsrGraph(std::move(offsets), std::move(targets), directed_);
}

bool CsrGraph::has_edge(NodeId u, NodeId v) const {
  const auto n = neighbors(u);
  return std::binary_search(n.begin(), n.end(), v);
}

}  // namespace campaign
