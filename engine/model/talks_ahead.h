// Word of mouth on a graph larger than the caches: talks decided ahead of being heard.
//
// Which contacts a talk reaches depends only on its coins and the length of the talker's
// row (RowCoins::first_chunk), not on the row's contents. So a kernel can decide talk i
// while it hears talk i - AHEAD, and ask only for the lines of the row that hold the
// contacts reached: at word of mouth's small probabilities most talks reach no one and
// read no row at all. The contacts are heard in the same order as without the lookahead,
// so the results are the same.
//
//   TalksAhead ahead;
//   ahead.walk(talkers.size(),
//       [&](std::size_t i, DecidedTalk& talk) { talk.decide(graph, coins, r, u, index, first); },
//       [&](std::size_t i, const DecidedTalk& talk) { talk.hear(coins_of, r, reach); });
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>

#include "core/types.h"
#include "graph/csr_graph.h"
#include "rng/row_coins.h"

namespace campaign {

struct DecidedTalk {
  const NodeId* row = nullptr;
  std::uint32_t degree = 0;
  NodeId talker = 0;
  std::uint32_t talk = 0;         // the talker's talk index (RowCoins)
  bool speaks = false;            // false: nothing to hear (the kernel's own reason)
  std::uint64_t first_chunk = 0;  // bit i: contact i reached (contacts 0..63)

  // Decides talk `talk` of talker u and asks for the lines of the first and the last
  // contact reached in its first chunk. (Filled in place: a copy of the whole would be
  // loaded wide right after its fields were stored narrow, which stalls.)
  void decide(const CsrGraph& graph, const RowCoins& coins, Replication r, NodeId u,
              std::uint32_t talk_index, const CounterRng::Block& first) {
    const std::span<const NodeId> neighbors = graph.neighbors(u);
    row = neighbors.data();
    degree = static_cast<std::uint32_t>(neighbors.size());
    talker = u;
    talk = talk_index;
    speaks = true;
    first_chunk = coins.first_chunk(r, u, talk_index, degree, first);
    if (first_chunk != 0) {
      __builtin_prefetch(row + std::countr_zero(first_chunk));
      __builtin_prefetch(row + 63 - std::countl_zero(first_chunk));
    }
  }

  // Calls reach(v) for every contact reached, in row order: the first chunk's from the
  // decision, the rest's (rows of more than 64 contacts) from the coins, which coins()
  // returns (called for such rows only).
  template <class Coins, class Reach>
  void hear(Coins&& coins, Replication r, Reach&& reach) const {
    for (std::uint64_t open = first_chunk; open != 0; open &= open - 1) {
      reach(row[std::countr_zero(open)]);
    }
    if (degree > RowCoins::chunk_width)
      coins().rest(r, talker, talk, std::span(row, degree), reach);
  }
};

class TalksAhead {
 public:
  static constexpr std::size_t AHEAD = 12;

  // decide(i, talk) for i = 0, 1, ..., and hear(i, talk) for each i, AHEAD decisions
  // later (or at the end).
  template <class Decide, class Hear>
  void walk(std::size_t count, Decide&& decide, Hear&& hear) {
    // One loop, so that each of decide and hear is inlined at one place.
    for (std::size_t i = 0; i < count + AHEAD; ++i) {
      if (i < count) decide(i, ring_[i % ring_.size()]);
      if (i >= AHEAD) hear(i - AHEAD, std::as_const(ring_[(i - AHEAD) % ring_.size()]));
    }
  }

 private:
  std::array<DecidedTalk, 16>
      ring_{};  // more than AHEAD: a talk is heard before its slot is reused
  static_assert(AHEAD < 16);
};

}  // namespace campaign
