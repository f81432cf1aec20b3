// CJPEG — the project's only door to libjpeg. Every entry point recovers from libjpeg errors
// with setjmp/longjmp and reports them as a return code plus message: libjpeg's default handler calls exit().
#ifndef ANIMEPOP_CJPEG_H
#define ANIMEPOP_CJPEG_H
#include <stdint.h>

/// libjpeg's version number (e.g. 62 for the libjpeg-turbo 6b ABI).
int32_t ap_jpeg_lib_version(void);

#endif
