#include "model/seeding.h"

#include <algorithm>
#include <unordered_set>

namespace campaign {

std::vector<NodeId> sample_people(NodeId n, NodeId k, const CounterRng& rng, Stream stream,
                                  std::uint32_t replication, std::uint32_t b, std::uint32_t c) {
  k = std::min(k, n);
  std::vector<NodeId> chosen;
  chosen.reserve(k);
  std::unordered_set<NodeId> picked;
  picked.reserve(std::size_t{k} * 2);
  for (NodeId j = n - k; j < n; ++j) {
    const auto t = static_cast<NodeId>(
        CounterRng::below(rng.u64(stream, replication, j, b, c), std::uint64_t{j} + 1));
    const NodeId pick = picked.insert(t).second ? t : j;
    if (pick == j) picked.insert(j);
    chosen.push_back(pick);
  }
  std::sort(chosen.begin(), chosen.end());
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
