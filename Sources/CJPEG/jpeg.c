// CJPEG — a safe shim over libjpeg(-turbo) decompression. See include/CJPEG.h for the protocol.
//
// Safety rules implemented here:
// - error_exit longjmps back to the entry point instead of calling exit(); the message is captured.
// - A premature end of data (JWRN_JPEG_EOF, after which libjpeg would fill grey) is an error, and so are
//   corrupt-entropy-data warnings; harmless warnings (extraneous bytes, unknown JFIF revision) are ignored.
// - A progress monitor refuses progressive files with an absurd number of scans (a known CPU-exhaustion trick).
#include "CJPEG.h"
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

/// Progressive files with more scans than this are refused (libjpeg-turbo's TurboJPEG uses 500 too).
#define AP_JPEG_MAX_SCANS 500

struct ap_jpeg_decoder {
    struct jpeg_decompress_struct info;
    struct jpeg_error_mgr error;
    struct jpeg_progress_mgr progress;
    jmp_buf jump;
    int32_t code;
    int32_t stage;            // 0 created, 1 header read, 2 started, 3 all rows read
    char message[JMSG_LENGTH_MAX + 64];
};

static ap_jpeg_decoder *decoder_of(j_common_ptr info) {
    return (ap_jpeg_decoder *)info->client_data;
}

static void fail(j_common_ptr info, int32_t code) {
    ap_jpeg_decoder *decoder = decoder_of(info);
    decoder->code = code;
    (*info->err->format_message)(info, decoder->message);
    longjmp(decoder->jump, 1);
}

static void on_error_exit(j_common_ptr info) { fail(info, AP_JPEG_CORRUPT); }

static void on_output_message(j_common_ptr info) { (void)info; }

static void on_emit_message(j_common_ptr info, int level) {
    if (level >= 0) return;  // trace messages
    switch (info->err->msg_code) {
    case JWRN_JPEG_EOF:
        // Every pixel has been read when finish_decompress looks for EOI: a missing EOI alone is tolerated.
        if (decoder_of(info)->stage == 3) break;
        fail(info, AP_JPEG_TRUNCATED);
        break;
    case JWRN_HIT_MARKER:
    case JWRN_HUFF_BAD_CODE:
    case JWRN_ARITH_BAD_CODE:
    case JWRN_MUST_RESYNC:
    case JWRN_NOT_SEQUENTIAL:
        fail(info, AP_JPEG_CORRUPT);
        break;
    default:
        info->err->num_warnings++;
        break;
    }
}

static void on_progress(j_common_ptr info) {
    if (info->is_decompressor) {
        j_decompress_ptr decompress = (j_decompress_ptr)info;
        if (decompress->input_scan_number > AP_JPEG_MAX_SCANS) {
            ap_jpeg_decoder *decoder = decoder_of(info);
            decoder->code = AP_JPEG_CORRUPT;
            snprintf(decoder->message, sizeof decoder->message,
                     "too many progressive scans (more than %d)", AP_JPEG_MAX_SCANS);
            longjmp(decoder->jump, 1);
        }
    }
}

static int32_t usage(ap_jpeg_decoder *decoder, const char *what) {
    decoder->code = AP_JPEG_USAGE;
    snprintf(decoder->message, sizeof decoder->message, "%s", what);
    return AP_JPEG_USAGE;
}

int32_t ap_jpeg_lib_version(void) { return JPEG_LIB_VERSION; }

ap_jpeg_decoder *ap_jpeg_decoder_create(void) {
    ap_jpeg_decoder *decoder = calloc(1, sizeof *decoder);
    if (decoder == NULL) return NULL;
    decoder->info.err = jpeg_std_error(&decoder->error);
    decoder->error.error_exit = on_error_exit;
    decoder->error.emit_message = on_emit_message;
    decoder->error.output_message = on_output_message;
    decoder->info.client_data = decoder;
    if (setjmp(decoder->jump)) {  // jpeg_create_decompress can fail only on out-of-memory
        jpeg_destroy_decompress(&decoder->info);
        free(decoder);
        return NULL;
    }
    jpeg_create_decompress(&decoder->info);
    decoder->progress.progress_monitor = on_progress;
    decoder->info.progress = &decoder->progress;
    return decoder;
}

void ap_jpeg_decoder_destroy(ap_jpeg_decoder *decoder) {
    if (decoder == NULL) return;
    jpeg_destroy_decompress(&decoder->info);
    free(decoder);
}

const char *ap_jpeg_message(const ap_jpeg_decoder *decoder) { return decoder->message; }

static int32_t color_space_code(J_COLOR_SPACE space) {
    switch (space) {
    case JCS_GRAYSCALE: return AP_JPEG_COLOR_GRAY;
    case JCS_RGB: return AP_JPEG_COLOR_RGB;
    case JCS_YCbCr: return AP_JPEG_COLOR_YCBCR;
    case JCS_CMYK: return AP_JPEG_COLOR_CMYK;
    case JCS_YCCK: return AP_JPEG_COLOR_YCCK;
    default: return AP_JPEG_COLOR_UNKNOWN;
    }
}

int32_t ap_jpeg_read_header(ap_jpeg_decoder *decoder, const uint8_t *data, size_t length, ap_jpeg_header *header) {
    if (decoder->stage != 0) return usage(decoder, "ap_jpeg_read_header called twice");
    if (data == NULL || length == 0) return usage(decoder, "no data");
    if (setjmp(decoder->jump)) return decoder->code;
    jpeg_mem_src(&decoder->info, data, (unsigned long)length);
    jpeg_save_markers(&decoder->info, JPEG_APP0 + 1, 0xFFFF);
    jpeg_read_header(&decoder->info, TRUE);
    header->width = (int32_t)decoder->info.image_width;
    header->height = (int32_t)decoder->info.image_height;
    header->components = decoder->info.num_components;
    header->color_space = color_space_code(decoder->info.jpeg_color_space);
    header->progressive = decoder->info.progressive_mode ? 1 : 0;
    header->saw_adobe = decoder->info.saw_Adobe_marker ? 1 : 0;
    decoder->stage = 1;
    return AP_JPEG_OK;
}

const uint8_t *ap_jpeg_exif(const ap_jpeg_decoder *decoder, size_t *length) {
    *length = 0;
    if (decoder->stage == 0) return NULL;
    for (jpeg_saved_marker_ptr marker = decoder->info.marker_list; marker != NULL; marker = marker->next) {
        if (marker->marker != JPEG_APP0 + 1 || marker->data_length < 6) continue;
        if (memcmp(marker->data, "Exif\0\0", 6) != 0) continue;
        *length = marker->data_length - 6;
        return marker->data + 6;
    }
    return NULL;
}

int32_t ap_jpeg_start(ap_jpeg_decoder *decoder, int32_t scale_denominator, ap_jpeg_output *output) {
    if (decoder->stage != 1) return usage(decoder, "ap_jpeg_start needs a header and is called once");
    if (scale_denominator != 1 && scale_denominator != 2 && scale_denominator != 4 && scale_denominator != 8)
        return usage(decoder, "scale denominator must be 1, 2, 4 or 8");
    if (setjmp(decoder->jump)) return decoder->code;
    struct jpeg_decompress_struct *info = &decoder->info;
    info->scale_num = 1;
    info->scale_denom = (unsigned int)scale_denominator;
    info->dct_method = JDCT_ISLOW;
    info->do_fancy_upsampling = TRUE;
    info->out_color_space =
        (info->jpeg_color_space == JCS_CMYK || info->jpeg_color_space == JCS_YCCK) ? JCS_CMYK : JCS_RGB;
    jpeg_start_decompress(info);
    output->width = (int32_t)info->output_width;
    output->height = (int32_t)info->output_height;
    output->components = info->output_components;
    decoder->stage = 2;
    return AP_JPEG_OK;
}

int32_t ap_jpeg_read_pixels(ap_jpeg_decoder *decoder, uint8_t *pixels, size_t capacity) {
    if (decoder->stage != 2) return usage(decoder, "ap_jpeg_read_pixels needs ap_jpeg_start first");
    struct jpeg_decompress_struct *info = &decoder->info;
    size_t stride = (size_t)info->output_width * (size_t)info->output_components;
    if (pixels == NULL || capacity < stride * (size_t)info->output_height)
        return usage(decoder, "pixel buffer too small");
    if (setjmp(decoder->jump)) return decoder->code;
    JSAMPROW rows[16];
    while (info->output_scanline < info->output_height) {
        JDIMENSION first = info->output_scanline;
        int count = 0;
        while (count < 16 && first + (JDIMENSION)count < info->output_height) {
            rows[count] = pixels + (size_t)(first + (JDIMENSION)count) * stride;
            count++;
        }
        if (jpeg_read_scanlines(info, rows, (JDIMENSION)count) == 0) {
            decoder->code = AP_JPEG_TRUNCATED;
            snprintf(decoder->message, sizeof decoder->message, "no more scanlines after row %u", first);
            return AP_JPEG_TRUNCATED;
        }
    }
    decoder->stage = 3;
    jpeg_finish_decompress(info);
    return AP_JPEG_OK;
}
