#include "graph/graph_stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "core/interrupt.h"

namespace campaign {
namespace {

// Union-find with path halving and union by size: the components in O(m α(n)).
class Components {
 public:
  explicit Components(NodeId n) : parent_(n), size_(n, 1) { std::iota(parent_.begin(), parent_.end(), NodeId{0}); }
  NodeId find(NodeId u) {
    while (parent_[u] != u) u = parent_[u] = parent_[parent_[u]];
    return u;
  }
  void join(NodeId a, NodeId b) {
    a = find(a);
    b = find(b);
    if (a == b) return;
    if (size_[a] < size_[b]) std::swap(a, b);
    parent_[b] = a;
    size_[a] += size_[b];
  }
  NodeId size(NodeId root) const { return size_[root]; }
  bool is_root(NodeId u) const { return parent_[u] == u; }

 private:
  std::vector<NodeId> parent_, size_;
};

}  // namespace

GraphStats graph_stats(const CsrGraph& g) {
  GraphStats s;
  s.people = g.num_nodes();
  s.edges = g.num_edges();
  if (s.people == 0) return s;
  s.directed = g.directed();
  std::vector<std::uint32_t> degrees(s.people), in_degrees;
  if (s.directed) {
    in_degrees.assign(s.people, 0);
    for (NodeId v : g.targets()) ++in_degrees[v];
  }
  double sum = 0, squares = 0, in_out = 0;
  Components parts(s.people);
  for (NodeId u = 0; u < s.people; ++u) {
    if (u % (1u << 16) == 0) throw_if_interrupted();
    const std::uint32_t d = g.degree(u);
    degrees[u] = d;
    sum += d;
    squares += static_cast<double>(d) * d;
    s.isolated += d == 0 && (!s.directed || in_degrees[u] == 0);
    if (s.directed) {
      in_out += static_cast<double>(d) * in_degrees[u];
      s.max_in_degree = std::max(s.max_in_degree, in_degrees[u]);
    }
    for (NodeId v : g.neighbors(u)) {
      if (s.directed || v > u) parts.join(u, v);  // weakly connected, when directed
    }
  }
  for (NodeId u = 0; u < s.people; ++u) {
    if (parts.is_root(u)) {
      ++s.components;
      s.largest_component = std::max(s.largest_component, parts.size(u));
    }
  }
  s.mean_degree = sum / s.people;
  s.mean_square_degree = squares / s.people;
  s.mean_in_out = in_out / s.people;
  const double excess = s.directed ? s.mean_in_out : s.mean_square_degree - s.mean_degree;
  s.epidemic_threshold = excess > 0 ? s.mean_degree / excess : std::numeric_limits<double>::infinity();
  std::sort(degrees.begin(), degrees.end());
  const auto rank = [&](double q) {  // nearest rank: the smallest value with at least q of them at or below
    const auto k = static_cast<std::size_t>(std::ceil(q * static_cast<double>(degrees.size())));
    return degrees[std::max<std::size_t>(k, 1) - 1];
  };
  s.min_degree = degrees.front();
  s.max_degree = degrees.back();
  s.p50_degree = rank(0.50);
  s.p90_degree = rank(0.90);
  s.p99_degree = rank(0.99);
  return s;
}

}  // namespace campaign
