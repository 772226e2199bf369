#include "model/talks_ahead.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "graph/generators.h"

namespace campaign {
namespace {

// Every talk is decided once, in order, and heard once, in order, exactly AHEAD decisions
// after it (or at the end), with what was decided for it: lists shorter and longer than
// the lookahead, and as long as it.
TEST(TalksAhead, DecidesInOrderAndHearsEachTalkAheadDecisionsLater) {
  for (std::size_t count : {0u, 1u, 5u, 11u, 12u, 13u, 16u, 17u, 100u}) {
    TalksAhead ahead;
    std::vector<std::pair<char, std::size_t>> events;
    ahead.walk(
        count,
        [&](std::size_t i, DecidedTalk& talk) {
          events.emplace_back('d', i);
          talk.talk = static_cast<std::uint32_t>(1000 + i);
        },
        [&](std::size_t k, const DecidedTalk& talk) {
          events.emplace_back('h', k);
          ASSERT_EQ(talk.talk, 1000 + k) << "count " << count;
        });
    std::vector<std::pair<char, std::size_t>> expected;
    for (std::size_t i = 0; i < count + TalksAhead::AHEAD; ++i) {
      if (i < count) expected.emplace_back('d', i);
      if (i >= TalksAhead::AHEAD && i - TalksAhead::AHEAD < count)
        expected.emplace_back('h', i - TalksAhead::AHEAD);
    }
    EXPECT_EQ(events, expected) << "count " << count;
  }
}

// A talk decided ahead reaches the contacts, in the same order, that the talk made at
// once does, for rows of one chunk and of several (a Barabasi-Albert graph has hubs).
TEST(TalksAhead, DecidedTalkHearsWhatTheTalkReaches) {
  const CsrGraph graph = barabasi_albert(3000, 3, 11);
  ASSERT_GT(graph.max_degree(), RowCoins::chunk_width);
  const CounterRng rng(5);
  for (double p : {0.02, 0.3}) {
    const RowCoins coins(rng, Stream::transmission, Coin(p));
    for (NodeId u = 0; u < graph.num_nodes(); u += 7) {
      const CounterRng::Block first = rng.block(Stream::transmission, 4, u, 2, 0);
      std::vector<NodeId> at_once, ahead;
      coins.talk(4, u, 2, graph.neighbors(u), first, [&](NodeId v) { at_once.push_back(v); });
      DecidedTalk talk;
      talk.decide(graph, coins, 4, u, 2, first);
      talk.hear([&] { return coins; }, 4, [&](NodeId v) { ahead.push_back(v); });
      ASSERT_EQ(ahead, at_once) << "p " << p << " person " << u << " degree " << graph.degree(u);
    }
  }
}

}  // namespace
}  // namespace campaign
