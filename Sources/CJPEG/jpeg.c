#include "CJPEG.h"
#include <stdio.h>
#include <jpeglib.h>

int32_t ap_jpeg_lib_version(void) { return JPEG_LIB_VERSION; }
