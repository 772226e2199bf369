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
//   for (lane ...) lanes.set_counter(lane, Stream::transmission, r, u, talk, 0);
//   lanes.run(rng);
//   CounterRng::Block first = lanes.block(lane);
#pragma once

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

  // The implementations, for tests and benchmarks: "avx512", "avx2" or "scalar". Each
  // returns false (and does nothing) where the processor lacks its instructions.
  static std::string_view chosen();
  bool run_with(std::string_view isa, const CounterRng& rng);

 private:
  alignas(64) std::array<std::array<std::uint32_t, width>, 4> words_{};  // [word][lane]
};

}  // namespace campaign
