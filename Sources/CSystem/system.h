// What Swift has no spelling for: cache prefetch hints, glibc's allocator tuning and the AVX-512 check.
// Header-only: Swift inlines these static functions.
#ifndef ANIMEPOP_SYSTEM_H
#define ANIMEPOP_SYSTEM_H

#if __has_include(<malloc.h>)
#include <malloc.h>
#endif
#if defined(__x86_64__) && __has_include(<cpuid.h>)
#include <cpuid.h>
#endif

/// Asks for the cache line holding `address` to be brought into L2 (and the levels beyond it); never faults.
static inline void animepop_prefetch_l2(const void *address) { __builtin_prefetch(address, 0, 2); }
/// Asks for the cache line holding `address` to be brought into L1 for writing (prefetchw); never faults.
static inline void animepop_prefetch_write(const void *address) { __builtin_prefetch((void *)address, 1, 3); }

/// 1 when the CPU and the OS give this process 32 512-bit vector registers (AVX-512F: CPUID leaf 7, and XCR0 saving the
/// opmask and upper-ZMM state), else 0. The conv micro-kernel's 16-lane accumulators need them to stay in registers.
static inline int animepop_has_avx512(void) {
#if defined(__x86_64__) && __has_include(<cpuid.h>)
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !((c >> 27) & 1)) return 0;          // OSXSAVE
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d) || !((b >> 16) & 1)) return 0;  // AVX512F
    unsigned low = 0, high = 0;
    __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));  // _xgetbv needs -mxsave; the instruction does not
    return (low & 0xE6) == 0xE6;  // SSE, AVX, opmask, ZMM0–15 upper halves, ZMM16–31
#else
    return 0;
#endif
}

/// Sets glibc's mmap and trim thresholds (bytes); does nothing elsewhere.
static inline void animepop_malloc_thresholds(int mmapThreshold, int trimThreshold) {
#if defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
    mallopt(M_MMAP_THRESHOLD, mmapThreshold);
    mallopt(M_TRIM_THRESHOLD, trimThreshold);
#else
    (void)mmapThreshold;
    (void)trimThreshold;
#endif
}

#endif
