// Cache prefetch hints, which Swift has no spelling for. Header-only: Swift inlines these static functions.
#ifndef ANIMEPOP_PREFETCH_H
#define ANIMEPOP_PREFETCH_H

/// Asks for the cache line holding `address` to be brought into L2 (and the levels beyond it); never faults.
static inline void animepop_prefetch_l2(const void *address) { __builtin_prefetch(address, 0, 2); }

#endif
