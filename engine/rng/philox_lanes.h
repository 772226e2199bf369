// Thirty-two Philox4x32-10 blocks at once, word for word equal to CounterRng::block.
//
// A kernel that needs one block for each of many subjects (the first block of each talk's
// row coins, say) fills the counters of 32 lanes and gets the 32 blocks from one call. With
// AVX-512 the rounds run on all lanes together (about 1.5 ns a block against 7 ns one at a
// time); with AVX2 eight lanes at a time; otherwise one block after the other. The choice
// is made once, from the processor, and never changes a result: every path computes the
// same function (tests/rng/philox_lanes_test.cpp).
//
//   PhiloxLanes lanes;
//   for (std::size_t i = 0; i < people.size(); ++i) {
//     const CounterRng::Block block = lanes.walk(i, people.size(), rng, [&](std::size_t lane, std::size_t k) {
//       lanes.set_counter(lane, Stream::lead, r, people[k], t);
//     });
//     ...
//   }
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "rng/philox.h"

namespace campaign {

class PhiloxLanes {
 public:
  static constexpr std::size_t width = 32;

  // Lane `lane` will compute rng.block(stream, replication, a, b, c).
  void set_counter(std::size_t lane, Stream stream, std::uint32_t replication, std::uint32_t a,
                   std::uint32_t b, std::uint32_t c = 0) {
    words_[0][lane] = a;
    words_[1][lane] = b;
    words_[2][lane] = replication;
    words_[3][lane] = (static_cast<std::uint32_t>(stream) << 24) | (c & 0xFFFFFFu);
  }

  // Replaces the counters of all lanes by their blocks.
  void run(const CounterRng& rng);

  CounterRng::Block block(std::size_t lane) const {
    return {words_[0][lane], words_[1][lane], words_[2][lane], words_[3][lane]};
  }

  // For a walk over the items 0, 1, 2, ... of a list of `count`: the block of item i.
  // When i starts a window of `width` items, the blocks of the whole window are computed
  // first; counter(lane, item) sets a lane's counter for an item (with set_counter).
  // Call it for every i, in order.
  template <class Counter>
  CounterRng::Block walk(std::size_t i, std::size_t count, const CounterRng& rng, Counter&& counter) {
    if (i % width == 0) {
      const std::size_t end = std::min(count, i + width);
      for (std::size_t item = i; item < end; ++item) counter(item - i, item);
      run(rng);
    }
    return block(i % width);
  }

  // The implementations, for tests and benchmarks: "avx512", "avx2" or "scalar". Each
  // returns false (and does nothing) where the processor lacks its instructions.
  static std::string_view chosen();
  bool run_with(std::string_view isa, const CounterRng& rng);

 private:
  alignas(64) std::array<std::array<std::uint32_t, width>, 4> words_{};  // [word][lane]
};

}  // namespace campaign
