// CJPEG — a safe shim over libjpeg(-turbo) decompression. See include/CJPEG.h for the protocol.
//
// Safety rules implemented here:
// - error_exit longjmps back to the entry point instead of calling exit(); the message is captured.
// - A premature end of data is an error, never grey fill. Our memory source does what jpeg_mem_src does at the
//   end of the data (JWRN_JPEG_EOF there) — supplies a fake EOI — but records it: any later libjpeg error or
//   corrupt-data warning is then reported as TRUNCATED. So is a progressive file that ends (without EOI) before
//   every coefficient is fully refined. A file whose pixels are complete and that only lacks the final EOI
//   marker decodes, as in browsers and PIL. Corrupt-entropy-data warnings (bad Huffman code, marker inside a
//   scan, lost restart sync) are errors; harmless ones (unknown JFIF revision, bad ICC) are ignored.
//   Garbage between markers followed by the end of the data is CORRUPT rather than TRUNCATED.
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
    struct jpeg_source_mgr source;
    jmp_buf jump;
    int32_t code;
    int32_t hit_end;          // the data ran out: a fake EOI was supplied
    int32_t skipped_garbage;  // libjpeg skipped bytes that were not markers (JWRN_EXTRANEOUS_DATA)
    int32_t stage;            // 0 created, 1 header read, 2 started, 3 finished
    char message[JMSG_LENGTH_MAX + 64];
};

static ap_jpeg_decoder *decoder_of(j_common_ptr info) {
    return (ap_jpeg_decoder *)info->client_data;
}

/// Records libjpeg's current message and jumps back to the entry point; running off the end makes it TRUNCATED.
static void fail(j_common_ptr info) {
    ap_jpeg_decoder *decoder = decoder_of(info);
    (*info->err->format_message)(info, decoder->message);
    decoder->code = AP_JPEG_CORRUPT;
    if (decoder->hit_end) {
        if (decoder->skipped_garbage) {
            size_t used = strlen(decoder->message);
            snprintf(decoder->message + used, sizeof decoder->message - used,
                     " (after skipping bytes that are not JPEG markers, the data ended)");
        } else {
            decoder->code = AP_JPEG_TRUNCATED;
        }
    }
    longjmp(decoder->jump, 1);
}

static void on_error_exit(j_common_ptr info) { fail(info); }

static void on_output_message(j_common_ptr info) { (void)info; }

static void on_emit_message(j_common_ptr info, int level) {
    if (level >= 0) return;  // trace messages
    switch (info->err->msg_code) {
    case JWRN_JPEG_EOF:       // not emitted by our source, but jpeg_mem_src would: the data ended
    case JWRN_HIT_MARKER:
    case JWRN_HUFF_BAD_CODE:
    case JWRN_ARITH_BAD_CODE:
    case JWRN_MUST_RESYNC:
    case JWRN_NOT_SEQUENTIAL:
        fail(info);
        break;
    case JWRN_EXTRANEOUS_DATA:
        decoder_of(info)->skipped_garbage = 1;
        info->err->num_warnings++;
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

// MARK: memory source — jpeg_mem_src's behaviour, plus the hit_end record.

static void source_init(j_decompress_ptr info) { (void)info; }

static boolean source_fill(j_decompress_ptr info) {
    static const JOCTET fake_eoi[2] = {0xFF, JPEG_EOI};
    decoder_of((j_common_ptr)info)->hit_end = 1;
    info->src->next_input_byte = fake_eoi;
    info->src->bytes_in_buffer = 2;
    return TRUE;
}

static void source_skip(j_decompress_ptr info, long count) {
    struct jpeg_source_mgr *source = info->src;
    if (count <= 0) return;
    while (count > (long)source->bytes_in_buffer) {
        count -= (long)source->bytes_in_buffer;
        source_fill(info);
    }
    source->next_input_byte += count;
    source->bytes_in_buffer -= (size_t)count;
}

static void source_term(j_decompress_ptr info) { (void)info; }

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
    decoder->source.init_source = source_init;
    decoder->source.fill_input_buffer = source_fill;
    decoder->source.skip_input_data = source_skip;
    decoder->source.resync_to_restart = jpeg_resync_to_restart;
    decoder->source.term_source = source_term;
    decoder->source.next_input_byte = data;
    decoder->source.bytes_in_buffer = length;
    decoder->info.src = &decoder->source;
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

/// Whether every coefficient of every component has been received to full precision (coef_bits all 0).
static int progressive_complete(j_decompress_ptr info) {
    if (info->coef_bits == NULL) return 0;
    for (int component = 0; component < info->num_components; component++)
        for (int k = 0; k < DCTSIZE2; k++)
            if (info->coef_bits[component][k] != 0) return 0;
    return 1;
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
    // Progressive input has been absorbed whole by now. Without a real EOI, every coefficient must be fully refined.
    if (info->progressive_mode && decoder->hit_end && !progressive_complete(info)) {
        decoder->code = AP_JPEG_TRUNCATED;
        snprintf(decoder->message, sizeof decoder->message, "progressive data ends before the last refinement scan");
        return AP_JPEG_TRUNCATED;
    }
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
    jpeg_finish_decompress(info);
    decoder->stage = 3;
    return AP_JPEG_OK;
}
