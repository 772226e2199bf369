// Initial adopters of a replication: the listed people, or `count` distinct people drawn
// uniformly by Floyd's algorithm (Bentley & Floyd 1987) with keyed draws
// (Stream::seeding, replication, j), so the choice depends only on (seed, replication).
#pragma once

#include <vector>

#include "core/types.h"
#include "rng/philox.h"
#include "scenario/scenario.h"

namespace campaign {

// Sorted ascending, distinct.
std::vector<NodeId> initial_adopters(const SeedingSettings& seeding, NodeId num_nodes,
                                     const CounterRng& rng, Replication r);

}  // namespace campaign
