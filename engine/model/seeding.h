// Initial adopters of a replication: the listed people, or `count` distinct people drawn
// uniformly by Floyd's algorithm (Bentley & Floyd 1987) with keyed draws
// (Stream::seeding, replication, j), so the choice depends only on (seed, replication).
#pragma once

#include <span>
#include <vector>

#include "core/types.h"
#include "rng/philox.h"
#include "scenario/scenario.h"

namespace campaign {

// k distinct people of n, uniformly (Floyd's algorithm); draw j is
// rng.u64(stream, replication, j, b, c). Sorted ascending.
std::vector<NodeId> sample_people(NodeId n, NodeId k, const CounterRng& rng, Stream stream,
                                  std::uint32_t replication, std::uint32_t b, std::uint32_t c);
// The same sample of out.size() people (<= n), written into `out`.
void sample_people(NodeId n, std::span<NodeId> out, const CounterRng& rng, Stream stream,
                   std::uint32_t replication, std::uint32_t b, std::uint32_t c);

// Sorted ascending, distinct.
std::vector<NodeId> initial_adopters(const SeedingSettings& seeding, NodeId num_nodes,
                                     const CounterRng& rng, Replication r);

}  // namespace campaign
