// Counter-based random numbers (Philox4x32-10, Salmon et al., "Parallel random numbers:
// as easy as 1, 2, 3", SC'11), through Random123.
//
// Every draw is a pure function of
//     key     = master seed (64 bits)
//     counter = (a, b, replication, stream << 24 | c)
// where `stream` names what the draw is about (graph, seeding, transmission, ...) and
// (a, b, c) name the subject: a person, an arc (source, target), a step, an attempt.
// No generator state is carried from one draw to the next, so results do not depend on
// the order of the draws, on which thread makes them, or on which other replications run.
//
//   CounterRng rng(seed);
//   std::uint64_t bits = rng.u64(Stream::seeding, rep, j, 0);
//   double x = rng.uniform(Stream::adoption, rep, person, step);
#pragma once

#include <Random123/philox.h>

#include <array>
#include <cstdint>

#include "core/types.h"

namespace campaign {

// What a draw is about. Values are part of the reproducibility contract: never renumber.
enum class Stream : std::uint8_t {
  graph = 1,         // graph generation (replication slot = 0)
  seeding = 2,       // choice of initial adopters
  transmission = 3,  // word-of-mouth coin on an arc
  adoption = 4,      // advertising coin of a person in a step
  partners = 5,      // the partner ecosystem: roles, reach, cooperation (replication slot 0)
  media = 6,         // the media plan: triads (replication slot 0)
  exposure = 7,      // interest raised by a message stage in a person
  lead = 8,          // an interested person becoming a lead
  conversion = 9,    // a processed lead buying
  satisfaction = 10, // a buyer satisfied by the product
  support = 11,      // a buyer needing support
  repeat = 12,       // a satisfied customer buying again
  // 13 is retired (it was forgetting, now a word of the lead block): never reuse it.
  agency = 14,       // leads bought by the agency and their handoffs
  advocacy = 15,     // contact coins of advocates and detractors
  design = 16,       // an experiment design's sampled points (seeded by --design-seed)
  bootstrap = 17,    // a comparison's bootstrap resamples (seeded by --bootstrap-seed)
};

class CounterRng {
 public:
  using Block = std::array<std::uint32_t, 4>;

  explicit CounterRng(std::uint64_t seed)
      : key_{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}} {}

  // Four independent 32-bit words. `c` must fit in 24 bits.
  Block block(Stream stream, std::uint32_t replication, std::uint32_t a, std::uint32_t b,
              std::uint32_t c = 0) const {
    const r123::Philox4x32::ctr_type ctr{
        {a, b, replication, (static_cast<std::uint32_t>(stream) << 24) | (c & 0xFFFFFFu)}};
    const auto out = r123::Philox4x32()(ctr, key_);
    return {out[0], out[1], out[2], out[3]};
  }

  std::uint32_t u32(Stream stream, std::uint32_t replication, std::uint32_t a, std::uint32_t b,
                    std::uint32_t c = 0) const {
    return block(stream, replication, a, b, c)[0];
  }

  std::uint64_t u64(Stream stream, std::uint32_t replication, std::uint32_t a, std::uint32_t b,
                    std::uint32_t c = 0) const {
    const Block w = block(stream, replication, a, b, c);
    return (static_cast<std::uint64_t>(w[1]) << 32) | w[0];
  }

  // Uniform on [0, 1) with 53 random bits.
  double uniform(Stream stream, std::uint32_t replication, std::uint32_t a, std::uint32_t b,
                 std::uint32_t c = 0) const {
    return to_unit(u64(stream, replication, a, b, c));
  }

  const r123::Philox4x32::key_type& key() const { return key_; }  // for PhiloxLanes

  static double to_unit(std::uint64_t bits) {
    return static_cast<double>(bits >> 11) * 0x1.0p-53;
  }

  // Uniform integer in [0, n) by Lemire's multiply-shift on 64 random bits; the bias is
  // below n / 2^64 and the result is the same on every platform.
  static std::uint64_t below(std::uint64_t bits, std::uint64_t n) {
    __extension__ using Wide = unsigned __int128;  // GCC/Clang; exact 64x64 -> 128 product
    return static_cast<std::uint64_t>((static_cast<Wide>(bits) * n) >> 64);
  }

 private:
  r123::Philox4x32::key_type key_;
};

// A Bernoulli(p) coin on one 32-bit word: `u < threshold`. p is rounded to a multiple of
// 2^-32, so the coin is exact integer arithmetic and identical everywhere.
class Coin {
 public:
  Coin() = default;
  explicit Coin(double p)
      : threshold_(p <= 0.0   ? 0
                   : p >= 1.0 ? (std::uint64_t{1} << 32)
                              : static_cast<std::uint64_t>(p * 0x1.0p32 + 0.5)) {}
  bool operator()(std::uint32_t u) const { return u < threshold_; }
  double probability() const { return static_cast<double>(threshold_) * 0x1.0p-32; }
  std::uint64_t threshold() const { return threshold_; }  // in [0, 2^32]

 private:
  std::uint64_t threshold_ = 0;
};

}  // namespace campaign
