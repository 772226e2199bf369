#include "rng/philox_lanes.h"

// GCC 12 warns that its own AVX-512 intrinsics read an uninitialized value (GCC bug
// 105593, fixed in GCC 13); the intrinsics are correct.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>

namespace campaign {
namespace {

using Words = std::array<std::array<std::uint32_t, PhiloxLanes::width>, 4>;
constexpr int ROUNDS = 10;

void run_scalar(const r123::Philox4x32::key_type& key, Words& w) {
  for (std::size_t lane = 0; lane < PhiloxLanes::width; ++lane) {
    const r123::Philox4x32::ctr_type ctr{{w[0][lane], w[1][lane], w[2][lane], w[3][lane]}};
    const auto out = r123::Philox4x32()(ctr, key);
    for (int i = 0; i < 4; ++i) w[i][lane] = out[i];
  }
}

// One Philox round on lanes of 32-bit words: (c0, c1, c2, c3) ->
// (hi(M1 c2) ^ c1 ^ k0, lo(M1 c2), hi(M0 c0) ^ c3 ^ k1, lo(M0 c0)). The 32 x 32 -> 64
// products come from the even lanes and, shifted down, the odd lanes; a blend puts each
// half back in its lane.
__attribute__((target("avx512f"))) void run_avx512(const r123::Philox4x32::key_type& key,
                                                   Words& w) {
  constexpr std::size_t groups = PhiloxLanes::width / 16;
  __m512i c0[groups], c1[groups], c2[groups], c3[groups];
  for (std::size_t g = 0; g < groups; ++g) {
    c0[g] = _mm512_load_si512(w[0].data() + 16 * g);
    c1[g] = _mm512_load_si512(w[1].data() + 16 * g);
    c2[g] = _mm512_load_si512(w[2].data() + 16 * g);
    c3[g] = _mm512_load_si512(w[3].data() + 16 * g);
  }
  const __m512i m0 = _mm512_set1_epi64(PHILOX_M4x32_0), m1 = _mm512_set1_epi64(PHILOX_M4x32_1);
  constexpr __mmask16 odd = 0xAAAA;
  std::uint32_t k0 = key[0], k1 = key[1];
  for (int round = 0; round < ROUNDS; ++round) {
    const __m512i key0 = _mm512_set1_epi32(static_cast<int>(k0));
    const __m512i key1 = _mm512_set1_epi32(static_cast<int>(k1));
    for (std::size_t g = 0; g < groups; ++g) {
      const __m512i even0 = _mm512_mul_epu32(c0[g], m0);
      const __m512i odd0 = _mm512_mul_epu32(_mm512_srli_epi64(c0[g], 32), m0);
      const __m512i even1 = _mm512_mul_epu32(c2[g], m1);
      const __m512i odd1 = _mm512_mul_epu32(_mm512_srli_epi64(c2[g], 32), m1);
      const __m512i lo0 = _mm512_mask_blend_epi32(odd, even0, _mm512_slli_epi64(odd0, 32));
      const __m512i hi0 = _mm512_mask_blend_epi32(odd, _mm512_srli_epi64(even0, 32), odd0);
      const __m512i lo1 = _mm512_mask_blend_epi32(odd, even1, _mm512_slli_epi64(odd1, 32));
      const __m512i hi1 = _mm512_mask_blend_epi32(odd, _mm512_srli_epi64(even1, 32), odd1);
      c0[g] = _mm512_ternarylogic_epi32(hi1, c1[g], key0, 0x96);  // three-way xor
      c2[g] = _mm512_ternarylogic_epi32(hi0, c3[g], key1, 0x96);
      c1[g] = lo1;
      c3[g] = lo0;
    }
    k0 += PHILOX_W32_0;
    k1 += PHILOX_W32_1;
  }
  for (std::size_t g = 0; g < groups; ++g) {
    _mm512_store_si512(w[0].data() + 16 * g, c0[g]);
    _mm512_store_si512(w[1].data() + 16 * g, c1[g]);
    _mm512_store_si512(w[2].data() + 16 * g, c2[g]);
    _mm512_store_si512(w[3].data() + 16 * g, c3[g]);
  }
}

__attribute__((target("avx2"))) void run_avx2(const r123::Philox4x32::key_type& key, Words& w) {
  constexpr std::size_t groups = PhiloxLanes::width / 8;
  __m256i c0[groups], c1[groups], c2[groups], c3[groups];
  for (std::size_t g = 0; g < groups; ++g) {
    c0[g] = _mm256_load_si256(reinterpret_cast<const __m256i*>(w[0].data() + 8 * g));
    c1[g] = _mm256_load_si256(reinterpret_cast<const __m256i*>(w[1].data() + 8 * g));
    c2[g] = _mm256_load_si256(reinterpret_cast<const __m256i*>(w[2].data() + 8 * g));
    c3[g] = _mm256_load_si256(reinterpret_cast<const __m256i*>(w[3].data() + 8 * g));
  }
  const __m256i m0 = _mm256_set1_epi64x(PHILOX_M4x32_0), m1 = _mm256_set1_epi64x(PHILOX_M4x32_1);
  std::uint32_t k0 = key[0], k1 = key[1];
  for (int round = 0; round < ROUNDS; ++round) {
    const __m256i key0 = _mm256_set1_epi32(static_cast<int>(k0));
    const __m256i key1 = _mm256_set1_epi32(static_cast<int>(k1));
    for (std::size_t g = 0; g < groups; ++g) {
      const __m256i even0 = _mm256_mul_epu32(c0[g], m0);
      const __m256i odd0 = _mm256_mul_epu32(_mm256_srli_epi64(c0[g], 32), m0);
      const __m256i even1 = _mm256_mul_epu32(c2[g], m1);
      const __m256i odd1 = _mm256_mul_epu32(_mm256_srli_epi64(c2[g], 32), m1);
      const __m256i lo0 = _mm256_blend_epi32(even0, _mm256_slli_epi64(odd0, 32), 0xAA);
      const __m256i hi0 = _mm256_blend_epi32(_mm256_srli_epi64(even0, 32), odd0, 0xAA);
      const __m256i lo1 = _mm256_blend_epi32(even1, _mm256_slli_epi64(odd1, 32), 0xAA);
      const __m256i hi1 = _mm256_blend_epi32(_mm256_srli_epi64(even1, 32), odd1, 0xAA);
      c0[g] = _mm256_xor_si256(_mm256_xor_si256(hi1, c1[g]), key0);
      c2[g] = _mm256_xor_si256(_mm256_xor_si256(hi0, c3[g]), key1);
      c1[g] = lo1;
      c3[g] = lo0;
    }
    k0 += PHILOX_W32_0;
    k1 += PHILOX_W32_1;
  }
  for (std::size_t g = 0; g < groups; ++g) {
    _mm256_store_si256(reinterpret_cast<__m256i*>(w[0].data() + 8 * g), c0[g]);
    _mm256_store_si256(reinterpret_cast<__m256i*>(w[1].data() + 8 * g), c1[g]);
    _mm256_store_si256(reinterpret_cast<__m256i*>(w[2].data() + 8 * g), c2[g]);
    _mm256_store_si256(reinterpret_cast<__m256i*>(w[3].data() + 8 * g), c3[g]);
  }
}

bool supported(std::string_view isa) {
  __builtin_cpu_init();
  if (isa == "avx512") return __builtin_cpu_supports("avx512f");
  if (isa == "avx2") return __builtin_cpu_supports("avx2");
  return isa == "scalar";
}

using Run = void (*)(const r123::Philox4x32::key_type&, Words&);

Run implementation(std::string_view isa) {
  if (isa == "avx512") return run_avx512;
  if (isa == "avx2") return run_avx2;
  return run_scalar;
}

std::string_view best() {
  for (std::string_view isa : {"avx512", "avx2"}) {
    if (supported(isa)) return isa;
  }
  return "scalar";
}

}  // namespace

std::string_view PhiloxLanes::chosen() {
  static const std::string_view isa = best();
  return isa;
}

void PhiloxLanes::run(const CounterRng& rng) {
  static const Run run = implementation(chosen());
  run(rng.key(), words_);
}

bool PhiloxLanes::run_with(std::string_view isa, const CounterRng& rng) {
  if (!supported(isa)) return false;
  implementation(isa)(rng.key(), words_);
  return true;
}

}  // namespace campaign

#pragma GCC diagnostic pop
