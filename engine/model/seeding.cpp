#include "model/seeding.h"

#include <algorithm>
#include <unordered_set>

namespace campaign {

std::vector<NodeId> initial_adopters(const SeedingSettings& seeding, NodeId num_nodes,
                                     const CounterRng& rng, Replication r) {
  std::vector<NodeId> chosen;
  if (!seeding.nodes.empty()) {
    chosen.assign(seeding.nodes.begin(), seeding.nodes.end());
  } else {
    const NodeId k = std::min<NodeId>(seeding.count, num_nodes);
    std::unordered_set<NodeId> picked;
    picked.reserve(k * 2);
    chosen.reserve(k);
    for (NodeId j = num_nodes - k; j < num_nodes; ++j) {
      const auto t = static_cast<NodeId>(
          CounterRng::below(rng.u64(Stream::seeding, r, j, 0), std::uint64_t{j} + 1));
      const NodeId pick = picked.insert(t).second ? t : j;
      if (pick == j) picked.insert(j);
      chosen.push_back(pick);
    }
  }
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

}  // namespace campaign
