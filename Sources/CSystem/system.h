// What Swift has no spelling for: cache prefetch hints and glibc's allocator tuning.
// Header-only: Swift inlines these static functions.
#ifndef ANIMEPOP_SYSTEM_H
#define ANIMEPOP_SYSTEM_H

#if __has_include(<malloc.h>)
#include <malloc.h>
#endif

/// Asks for the cache line holding `address` to be brought into L2 (and the levels beyond it); never faults.
static inline void animepop_prefetch_l2(const void *address) { __builtin_prefetch(address, 0, 2); }
/// Asks for the cache line holding `address` to be brought into L1 for writing (prefetchw); never faults.
static inline void animepop_prefetch_write(const void *address) { __builtin_prefetch((void *)address, 1, 3); }

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
