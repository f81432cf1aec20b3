// CJPEG — the project's only door to libjpeg. Every entry point recovers from libjpeg errors
// with setjmp/longjmp and reports them as a return code plus message: libjpeg's default handler calls exit().
//
// Use: create a decoder, read the header (cheap: no pixel memory), decide in Swift whether to go on,
// start decompression at a DCT scale 1/1, 1/2, 1/4 or 1/8, read the pixels into a caller-owned buffer,
// destroy. After any non-zero return the decoder can only be destroyed.
#ifndef ANIMEPOP_CJPEG_H
#define ANIMEPOP_CJPEG_H
#include <stddef.h>
#include <stdint.h>

/// libjpeg's version number (e.g. 62 for the libjpeg-turbo 6b ABI).
int32_t ap_jpeg_lib_version(void);

/// Return codes of the decoder entry points.
enum {
    AP_JPEG_OK = 0,          ///< success
    AP_JPEG_CORRUPT = 1,     ///< libjpeg error or corrupt-data warning; see ap_jpeg_message
    AP_JPEG_TRUNCATED = 2,   ///< the data ended before the image did (libjpeg's JWRN_JPEG_EOF situation)
    AP_JPEG_NO_MEMORY = 3,   ///< the decoder itself could not be allocated
    AP_JPEG_USAGE = 4        ///< called out of order or with a bad argument
};

/// Colour spaces of the stored image (same numbers as libjpeg's J_COLOR_SPACE for these five).
enum {
    AP_JPEG_COLOR_UNKNOWN = 0,
    AP_JPEG_COLOR_GRAY = 1,
    AP_JPEG_COLOR_RGB = 2,
    AP_JPEG_COLOR_YCBCR = 3,
    AP_JPEG_COLOR_CMYK = 4,
    AP_JPEG_COLOR_YCCK = 5
};

/// What the header says, before any pixel memory is allocated.
typedef struct ap_jpeg_header {
    int32_t width;           ///< stored width in pixels (before EXIF orientation)
    int32_t height;          ///< stored height in pixels
    int32_t components;      ///< colour components in the file (1, 3 or 4)
    int32_t color_space;     ///< AP_JPEG_COLOR_*
    int32_t progressive;     ///< 1 if the frame is progressive
    int32_t saw_adobe;       ///< 1 if an Adobe APP14 marker was present (inverted CMYK convention)
} ap_jpeg_header;

/// The size and layout of the pixels ap_jpeg_read_pixels will write.
typedef struct ap_jpeg_output {
    int32_t width;           ///< output width after DCT scaling
    int32_t height;          ///< output height after DCT scaling
    int32_t components;      ///< 3 (RGB) or 4 (CMYK as stored, possibly inverted)
} ap_jpeg_output;

/// An opaque decoder: libjpeg state, error manager, message buffer.
typedef struct ap_jpeg_decoder ap_jpeg_decoder;

/// A new decoder, or NULL when memory is exhausted.
ap_jpeg_decoder *ap_jpeg_decoder_create(void);

/// Frees the decoder and everything libjpeg allocated for it. Accepts NULL.
void ap_jpeg_decoder_destroy(ap_jpeg_decoder *decoder);

/// The last error message (empty when none). Valid until the decoder is destroyed.
const char *ap_jpeg_message(const ap_jpeg_decoder *decoder);

/// Reads markers up to the first scan from `data` (not copied: it must outlive the decoder).
int32_t ap_jpeg_read_header(ap_jpeg_decoder *decoder, const uint8_t *data, size_t length, ap_jpeg_header *header);

/// The payload of the first APP1 marker that starts with "Exif\0\0" (the TIFF block after those 6 bytes),
/// or NULL with *length = 0. Valid after ap_jpeg_read_header, until the decoder is destroyed.
const uint8_t *ap_jpeg_exif(const ap_jpeg_decoder *decoder, size_t *length);

/// Starts decompression at scale 1/scale_denominator (1, 2, 4 or 8), islow IDCT, RGB output
/// (CMYK output for CMYK/YCCK files), and reports the output size.
int32_t ap_jpeg_start(ap_jpeg_decoder *decoder, int32_t scale_denominator, ap_jpeg_output *output);

/// Writes all output rows into `pixels` (capacity bytes, at least width*height*components) and finishes.
int32_t ap_jpeg_read_pixels(ap_jpeg_decoder *decoder, uint8_t *pixels, size_t capacity);

#endif
