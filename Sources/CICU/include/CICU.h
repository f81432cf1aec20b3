// CICU — the project's only door to ICU. Declares our own functions, never ICU's types:
// importing ICU's headers into Swift clashes with Foundation's bundled ICU module.
#ifndef ANIMEPOP_CICU_H
#define ANIMEPOP_CICU_H
#include <stdint.h>

/// Normalizes UTF-8 text to NFKC (optionally lower-cased) into `out`.
/// Returns the byte length written (or needed, when it exceeds `capacity`), or -1 on an ICU error.
int32_t ap_icu_nfkc(const char *utf8, int32_t length, int32_t lowercase, char *out, int32_t capacity);

/// Finds word tokens by ICU's word-break rules (UAX #29); spaces and punctuation are skipped.
/// Writes byte offsets [starts[i], ends[i]) of up to `capacity` words; returns the total word count, or -1 on error.
int32_t ap_icu_words(const char *utf8, int32_t length, int32_t *starts, int32_t *ends, int32_t capacity);

/// Writes ICU's version ("72.1") into `out`.
void ap_icu_version(char *out, int32_t capacity);

#endif
