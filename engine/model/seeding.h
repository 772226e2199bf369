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

// A set of people ids for samples much smaller than the audience: open addressing with
// linear probing over a power-of-two table kept at most half full.
class PersonSet {
 public:
  explicit PersonSet(NodeId capacity);
  bool insert(NodeId v) {  // true when v was not there
    for (std::size_t i = (v * std::uint64_t{0x9E3779B97F4A7C15}) >> 32 & mask_;; i = (i + 1) & mask_) {
      if (slots_[i] == v) return false;
      if (slots_[i] == EMPTY) {
        slots_[i] = v;
        return true;
      }
    }
  }

 private:
  static constexpr NodeId EMPTY = 0xFFFF'FFFF;  // not a person id (MAX_PEOPLE is lower)
  std::vector<NodeId> slots_;
  std::size_t mask_;
};

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
