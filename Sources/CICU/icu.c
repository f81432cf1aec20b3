#include "CICU.h"
#include <stdlib.h>
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>
#include <unicode/uversion.h>

// UTF-8 → UTF-16 into a malloc'd buffer; returns NULL on error.
static UChar *to_utf16(const char *utf8, int32_t length, int32_t *outLength) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t needed = 0;
    u_strFromUTF8WithSub(NULL, 0, &needed, utf8, length, 0xFFFD, NULL, &status);
    if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status)) return NULL;
    status = U_ZERO_ERROR;
    UChar *buffer = malloc(sizeof(UChar) * (size_t)(needed + 1));
    if (!buffer) return NULL;
    u_strFromUTF8WithSub(buffer, needed + 1, outLength, utf8, length, 0xFFFD, NULL, &status);
    if (U_FAILURE(status)) { free(buffer); return NULL; }
    return buffer;
}

int32_t ap_icu_nfkc(const char *utf8, int32_t length, int32_t lowercase, char *out, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&status);
    if (U_FAILURE(status)) return -1;
    int32_t sourceLength = 0;
    UChar *source = to_utf16(utf8, length, &sourceLength);
    if (!source) return -1;
    if (lowercase) {
        int32_t lowerLength = u_strToLower(NULL, 0, source, sourceLength, "", &status);
        if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status)) { free(source); return -1; }
        status = U_ZERO_ERROR;
        UChar *lower = malloc(sizeof(UChar) * (size_t)(lowerLength + 1));
        if (!lower) { free(source); return -1; }
        u_strToLower(lower, lowerLength + 1, source, sourceLength, "", &status);
        free(source);
        if (U_FAILURE(status)) { free(lower); return -1; }
        source = lower;
        sourceLength = lowerLength;
    }
    int32_t normalizedLength = unorm2_normalize(nfkc, source, sourceLength, NULL, 0, &status);
    if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status)) { free(source); return -1; }
    status = U_ZERO_ERROR;
    UChar *normalized = malloc(sizeof(UChar) * (size_t)(normalizedLength + 1));
    if (!normalized) { free(source); return -1; }
    unorm2_normalize(nfkc, source, sourceLength, normalized, normalizedLength + 1, &status);
    free(source);
    if (U_FAILURE(status)) { free(normalized); return -1; }
    int32_t written = 0;
    u_strToUTF8(out, capacity, &written, normalized, normalizedLength, &status);
    free(normalized);
    if (status == U_BUFFER_OVERFLOW_ERROR || status == U_STRING_NOT_TERMINATED_WARNING) return written;
    if (U_FAILURE(status)) return -1;
    return written;
}

int32_t ap_icu_words(const char *utf8, int32_t length, int32_t *starts, int32_t *ends, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    UText *text = utext_openUTF8(NULL, utf8, length, &status);
    if (U_FAILURE(status)) return -1;
    UBreakIterator *iterator = ubrk_open(UBRK_WORD, "", NULL, 0, &status);
    if (U_FAILURE(status)) { utext_close(text); return -1; }
    ubrk_setUText(iterator, text, &status);
    if (U_FAILURE(status)) { ubrk_close(iterator); utext_close(text); return -1; }
    int32_t count = 0;
    int32_t start = ubrk_first(iterator);
    for (int32_t end = ubrk_next(iterator); end != UBRK_DONE; start = end, end = ubrk_next(iterator)) {
        if (ubrk_getRuleStatus(iterator) == UBRK_WORD_NONE) continue;  // spaces, punctuation
        if (count < capacity) { starts[count] = start; ends[count] = end; }
        count++;
    }
    ubrk_close(iterator);
    utext_close(text);
    return count;
}

void ap_icu_version(char *out, int32_t capacity) {
    UVersionInfo version;
    u_getVersion(version);
    char buffer[U_MAX_VERSION_STRING_LENGTH];
    u_versionToString(version, buffer);
    strncpy(out, buffer, (size_t)capacity);
    if (capacity > 0) out[capacity - 1] = 0;
}
