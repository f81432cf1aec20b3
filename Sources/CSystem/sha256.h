// SHA-256's compression function on the x86 SHA extensions (SHA-NI), for hashing posters and weight files.
// Header-only: Swift inlines these static functions. `Popularity/Store/SHA256.swift` pads the message, calls
// this where `animepop_sha256_hardware()` says the CPU can, and runs its own Swift rounds elsewhere.
#ifndef ANIMEPOP_SHA256_H
#define ANIMEPOP_SHA256_H

#include <stddef.h>
#include <stdint.h>

#if defined(__x86_64__) && defined(__has_include) && __has_include(<immintrin.h>) && __has_include(<cpuid.h>)
#include <cpuid.h>
#include <immintrin.h>
#define ANIMEPOP_SHA256_X86 1
#endif

/// 1 when `animepop_sha256_blocks` may run here: SHA, SSSE3 and SSE4.1 (CPUID), else 0.
static inline int animepop_sha256_hardware(void) {
#ifdef ANIMEPOP_SHA256_X86
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    int ssse3 = (c >> 9) & 1, sse41 = (c >> 19) & 1;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return ssse3 && sse41 && ((b >> 29) & 1);
#else
    return 0;
#endif
}

/// The 64 round constants (FIPS 180-4 §4.2.2), four per 128-bit group.
static const uint32_t animepop_sha256_k[64] __attribute__((aligned(16))) = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/// Round constant `index` (0…63), for the Swift rounds that run where the SHA extensions are missing.
static inline uint32_t animepop_sha256_round_constant(int index) { return animepop_sha256_k[index & 63]; }

/// Runs the compression function over `blocks` 64-byte blocks at `data`, updating `state` (H0…H7, host order).
/// Only call it when `animepop_sha256_hardware()` is 1.
#ifdef ANIMEPOP_SHA256_X86
__attribute__((target("sha,ssse3,sse4.1")))
#endif
static inline void animepop_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks) {
#ifdef ANIMEPOP_SHA256_X86
    // The instructions keep the state as (A,B,E,F) and (C,D,G,H).
    const __m128i byteSwap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i dcba = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&state[0]), 0xB1);
    __m128i hgfe = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&state[4]), 0x1B);
    __m128i abef = _mm_alignr_epi8(dcba, hgfe, 8);
    __m128i cdgh = _mm_blend_epi16(hgfe, dcba, 0xF0);
    for (; blocks > 0; blocks--, data += 64) {
        const __m128i abefSaved = abef, cdghSaved = cdgh;
        __m128i w[4];  // message words 4i…4i+3 of group i live in w[i % 4]
        for (int group = 0; group < 16; group++) {
            __m128i *words = &w[group & 3];
            if (group < 4) {
                *words = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16 * group)), byteSwap);
            } else {
                // W[t] = σ1(W[t−2]) + W[t−7] + σ0(W[t−15]) + W[t−16], four at a time.
                __m128i previous = w[(group + 3) & 3], before = w[(group + 2) & 3];
                __m128i sum = _mm_add_epi32(_mm_sha256msg1_epu32(*words, w[(group + 1) & 3]),
                                            _mm_alignr_epi8(previous, before, 4));
                *words = _mm_sha256msg2_epu32(sum, previous);
            }
            __m128i message = _mm_add_epi32(*words, _mm_load_si128((const __m128i *)&animepop_sha256_k[4 * group]));
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, message);
            abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(message, 0x0E));
        }
        abef = _mm_add_epi32(abef, abefSaved);
        cdgh = _mm_add_epi32(cdgh, cdghSaved);
    }
    __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
    __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
    _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(feba, dchg, 0xF0));
    _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(dchg, feba, 8));
#else
    (void)state;
    (void)data;
    (void)blocks;
#endif
}

#endif
