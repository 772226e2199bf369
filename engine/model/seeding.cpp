#include "model/seeding.h"

#include <algorithm>
#include <bit>

namespace campaign {

PersonSet::PersonSet(NodeId capacity)
    : slots_(std::bit_ceil(std::size_t{capacity} * 2 + 2), EMPTY), mask_(slots_.size() - 1) {}

void sample_people(NodeId n, std::span<NodeId> out, const CounterRng& rng, Stream stream,
                   std::uint32_t replication, std::uint32_t b, std::uint32_t c) {
  const auto k = static_cast<NodeId>(out.size());
  std::size_t chosen = 0;
  // Floyd's algorithm; the set of those picked so far is a bitmap of the n people when k
  // is at least n / 64 (it then costs no more than the sample), a hash set otherwise.
  // Either gives the same sample.
  const auto floyd = [&](auto&& insert) {
    for (NodeId j = n - k; j < n; ++j) {
      const auto t = static_cast<NodeId>(
          CounterRng::below(rng.u64(stream, replication, j, b, c), std::uint64_t{j} + 1));
      const NodeId pick = insert(t) ? t : j;
      if (pick == j) insert(j);
      out[chosen++] = pick;
    }
  };
  if (std::uint64_t{k} * 64 >= n) {
    std::vector<std::uint64_t> bits((std::size_t{n} + 63) / 64);
    floyd([&](NodeId v) {
      std::uint64_t& word = bits[v / 64];
      const std::uint64_t bit = std::uint64_t{1} << (v % 64);
      const bool fresh = !(word & bit);
      word |= bit;
      return fresh;
    });
  } else {
    PersonSet picked(k);
    floyd([&](NodeId v) { return picked.insert(v); });
  }
  std::sort(out.begin(), out.end());
}

std::vector<NodeId> sample_people(NodeId n, NodeId k, const CounterRng& rng, Stream stream,
                                  std::uint32_t replication, std::uint32_t b, std::uint32_t c) {
  std::vector<NodeId> chosen(std::min(k, n));
  sample_people(n, chosen, rng, stream, replication, b, c);
  return chosen;
}

std::vector<NodeId> initial_adopters(const SeedingSettings& seeding, NodeId num_nodes,
                                     const CounterRng& rng, Replication r) {
  if (seeding.nodes.empty()) {
    return sample_people(num_nodes, seeding.count, rng, Stream::seeding, r, 0, 0);
  }
  std::vector<NodeId> chosen(seeding.nodes.begin(), seeding.nodes.end());
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

}  // namespace campaign
