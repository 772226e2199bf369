// The coins of one talk: which contacts of a person's CSR row a talk reaches.
//
// A talker u who talks in replication r (talk index `talk`) flips one Bernoulli(p) coin
// per contact: contact j is reached iff its 32-bit uniform U_j is below the coin's
// threshold (Coin: p rounded to a multiple of 2^-32). The U_j are independent uniforms,
// but stored as bit planes rather than one Philox word per contact:
//
//   the row is cut into chunks of 64 contacts (the last one has w <= 64);
//   bit b of U_j (b = 0 is the most significant) is bit (j mod 64) of plane b of its chunk;
//   a Philox block holds P = floor(128 / w) planes, plane b being the w bits at offset
//   (b mod P) * w of the 128-bit block  block(stream, r, u, talk, chunk << 5 | b / P).
//
// The comparison U_j < threshold runs on all w contacts at once, from the most significant
// plane down, and stops as soon as every contact is decided: after about 3 + log2(w)
// planes for p = 0.1. So a talk of 20 contacts costs about one Philox block instead of
// twenty, and the contacts reached do not depend on which receivers are still available.
// Because each U_j is one fixed number, the coupling across probabilities is the usual
// one: with p1 < p2 every contact reached at p1 is reached at p2.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <span>
#include <vector>

#include "core/types.h"
#include "rng/philox.h"
#include "rng/philox_lanes.h"

namespace campaign {

class RowCoins {
 public:
  static constexpr std::uint32_t chunk_width = 64;
  static constexpr std::uint32_t max_chunks = 1u << 19;  // chunk << 5 | block fits 24 bits
  static constexpr std::uint64_t max_contacts = std::uint64_t{max_chunks} * chunk_width;  // 2^25

  RowCoins(CounterRng rng, Stream stream, Coin coin)
      : rng_(rng),
        stream_(stream),
        coin_(coin),
        leading_zeros_(std::countl_zero(static_cast<std::uint32_t>(coin.threshold()))) {}

  // Bit i is set iff contact 64 * chunk + i of the row is reached; `width` contacts, 1..64.
  std::uint64_t chunk(Replication r, NodeId u, std::uint32_t talk, std::uint32_t chunk,
                      std::uint32_t width) const {
    return decide(r, u, talk, chunk, width, nullptr);
  }

  // Calls reach(v) for every contact v of `row` that the talk reaches, in row order.
  template <class Reach>
  void talk(Replication r, NodeId u, std::uint32_t talk, std::span<const NodeId> row,
            Reach&& reach) const {
    talk_from(r, u, talk, row, 0, nullptr, reach);
  }

  // Most talks need only their first block (chunk 0, block 0). A kernel walking many
  // talks computes those ahead, PhiloxLanes::width at a time (PhiloxLanes::walk, with
  // set_first_counter), then talks with the block. The coins are the same; the blocks no
  // longer wait on one another.
  void set_first_counter(PhiloxLanes& lanes, std::size_t lane, Replication r, NodeId u,
                         std::uint32_t talk) const {
    lanes.set_counter(lane, stream_, r, u, talk, 0);
  }
  template <class Reach>
  void talk(Replication r, NodeId u, std::uint32_t talk, std::span<const NodeId> row,
            const CounterRng::Block& first, Reach&& reach) const {
    talk_from(r, u, talk, row, 0, &first, reach);
  }

  // A talk in two parts, for a kernel that decides its talks ahead and then reads only
  // the lines of a row that hold contacts reached: the first chunk's coins need the row's
  // length alone (bit i: contact i of a row of `degree`), and rest() delivers the contacts
  // reached in the chunks after it. first_chunk + rest = talk, coin for coin.
  std::uint64_t first_chunk(Replication r, NodeId u, std::uint32_t talk, std::uint32_t degree,
                            const CounterRng::Block& first) const {
    return degree == 0 ? 0 : decide(r, u, talk, 0, std::min(chunk_width, degree), &first);
  }
  template <class Reach>
  void rest(Replication r, NodeId u, std::uint32_t talk, std::span<const NodeId> row,
            Reach&& reach) const {
    talk_from(r, u, talk, row, 1, nullptr, reach);
  }

 private:
  template <class Reach>
  void talk_from(Replication r, NodeId u, std::uint32_t talk, std::span<const NodeId> row,
                 std::uint32_t first_chunk, const CounterRng::Block* first, Reach& reach) const {
    const auto n = static_cast<std::uint32_t>(row.size());
    for (std::uint32_t c = first_chunk, start = c * chunk_width; start < n;
         ++c, start += chunk_width) {
      std::uint64_t open =
          decide(r, u, talk, c, std::min(chunk_width, n - start), c == 0 ? first : nullptr);
      for (; open != 0; open &= open - 1)
        reach(row[start + static_cast<std::uint32_t>(std::countr_zero(open))]);
    }
  }

  // The coins of one chunk; its block 0 is `first` where given. Always inlined: GCC
  // otherwise left it out of line in the campaign's word of mouth, a few percent slower.
  [[gnu::always_inline]] std::uint64_t decide(Replication r, NodeId u, std::uint32_t talk,
                                              std::uint32_t chunk, std::uint32_t width,
                                              const CounterRng::Block* first) const {
    const std::uint64_t all = width == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << width) - 1;
    const std::uint64_t threshold = coin_.threshold();
    if (threshold == 0) return 0;
    if (threshold >> 32) return all;
    const int per_block = PLANES_PER_BLOCK[width];
    std::uint64_t undecided = all, below = 0;
    __extension__ using Bits = unsigned __int128;
    // Each plane is cut from its block directly (no chain of 128-bit shifts), and the
    // comparison stops at the first plane that leaves no contact undecided: a row of 8
    // contacts has 16 planes in a block and at p = 0.2 needs 4.4 of them on average.
    for (int b = 31, block = 0; b >= 0 && undecided != 0; ++block) {
      const CounterRng::Block w =
          block == 0 && first != nullptr
              ? *first
              : rng_.block(stream_, r, u, talk, chunk << 5 | static_cast<std::uint32_t>(block));
      const Bits bits = static_cast<Bits>(static_cast<std::uint64_t>(w[3]) << 32 | w[2]) << 64 |
                        (static_cast<std::uint64_t>(w[1]) << 32 | w[0]);
      std::uint32_t offset = 0;
      const int last = std::max(b - per_block, -1);
      // The threshold's leading zero planes decide alike: a contact with a one in any of
      // them is above it. They are OR-ed without a branch per plane.
      if (const int zeros_end = std::max(31 - leading_zeros_, last); b > zeros_end) {
        std::uint64_t ones = 0;
        for (; b > zeros_end; --b, offset += width)
          ones |= static_cast<std::uint64_t>(bits >> offset);
        undecided &= ~ones;
      }
      for (; b > last; --b, offset += width) {
        if (undecided == 0) break;
        const std::uint64_t plane = static_cast<std::uint64_t>(bits >> offset) & all;
        if ((threshold >> b) & 1) {
          below |= undecided & ~plane;
          undecided &= plane;
        } else {
          undecided &= ~plane;
        }
      }
    }
    return below;
  }

  // floor(128 / width) for widths 1..64, without a division per talk.
  static constexpr auto PLANES_PER_BLOCK = [] {
    std::array<std::uint8_t, chunk_width + 1> planes{};
    for (std::uint32_t w = 1; w <= chunk_width; ++w) planes[w] = static_cast<std::uint8_t>(128 / w);
    return planes;
  }();

  CounterRng rng_;
  Stream stream_;
  Coin coin_;
  int leading_zeros_;  // of the threshold's 32 bits (for 0 < threshold < 2^32)
};

// All U_j of a row, assembled bit by bit from their planes: the slow, obvious reading of
// the layout above, for verifiers and tests (RowCoins never builds them).
inline std::vector<std::uint32_t> contact_uniforms(const CounterRng& rng, Stream stream,
                                                   Replication r, NodeId u, std::uint32_t talk,
                                                   std::uint32_t degree) {
  std::vector<std::uint32_t> value(degree, 0);
  for (std::uint32_t chunk = 0; chunk * RowCoins::chunk_width < degree; ++chunk) {
    const std::uint32_t first = chunk * RowCoins::chunk_width;
    const std::uint32_t width = std::min(RowCoins::chunk_width, degree - first);
    const std::uint32_t per_block = 128 / width;
    CounterRng::Block w{};
    for (std::uint32_t b = 0; b < 32; ++b) {
      if (b % per_block == 0) w = rng.block(stream, r, u, talk, chunk << 5 | b / per_block);
      for (std::uint32_t lane = 0; lane < width; ++lane) {
        const std::uint32_t bit = (b % per_block) * width + lane;  // position in the block
        value[first + lane] = value[first + lane] << 1 | ((w[bit / 32] >> (bit % 32)) & 1u);
      }
    }
  }
  return value;
}

}  // namespace campaign
