#!/usr/bin/env python3
"""Writes the Vision image fixtures: small synthetic JPEGs (good and broken) and a manifest.

Everything is generated from code (gradients, blocks, seeded noise) with Pillow — nothing comes from
../shared/data. Run from the repository root:

    /work/venv/bin/python tools/vision_images_make.py
    /work/venv/bin/python tools/vision_images_reference.py   # goldens from PIL for the good images

Outputs go to Tests/VisionTests/Fixtures/images/: *.jpg (and a few other formats under .jpg names, since a
wrong extension is what the decoder must survive), manifest.json listing each file with the expected outcome:
"ok", "empty", "unsupported:<Format>", "truncated", "corrupt", "tooLarge".
"""
import io
import json
import os
import random
import struct

from PIL import Image

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "VisionTests", "Fixtures", "images")
os.makedirs(OUT, exist_ok=True)
manifest = []


def write(name, data, expect, **extra):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
    entry = {"file": name, "expect": expect}
    entry.update(extra)
    manifest.append(entry)


def pattern(width, height, seed=0):
    """A smooth colour gradient with a few solid blocks: compresses well, has structure to check."""
    image = Image.new("RGB", (width, height))
    pixels = image.load()
    for y in range(height):
        for x in range(width):
            pixels[x, y] = (
                (x * 255) // max(1, width - 1),
                (y * 255) // max(1, height - 1),
                ((x + y) * 127) // max(1, width + height - 2) + 64,
            )
    rng = random.Random(seed)
    for _ in range(3):
        bx, by = rng.randrange(0, width - 8), rng.randrange(0, height - 8)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        for y in range(by, by + 8):
            for x in range(bx, bx + 8):
                pixels[x, y] = colour
    return image


def quadrants(width, height):
    """Four distinct flat colours: the orientation is obvious, and JPEG keeps them within a few levels."""
    image = Image.new("RGB", (width, height))
    colours = [(220, 40, 40), (40, 200, 60), (40, 60, 220), (230, 220, 50)]
    pixels = image.load()
    for y in range(height):
        for x in range(width):
            pixels[x, y] = colours[(1 if x >= width // 2 else 0) + (2 if y >= height // 2 else 0)]
    return image


def jpeg(image, **options):
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", **options)
    return buffer.getvalue()


def segments(data):
    """(marker, start, end) of each marker segment up to and including SOS; end is exclusive."""
    result, position = [], 2
    while position < len(data):
        assert data[position] == 0xFF, position
        marker = data[position + 1]
        length = struct.unpack(">H", data[position + 2:position + 4])[0]
        result.append((marker, position, position + 2 + length))
        position += 2 + length
        if marker == 0xDA:
            break
    return result


def segment(data, marker):
    return next((start, end) for m, start, end in segments(data) if m == marker)


# --- good images -----------------------------------------------------------------------------------------
base = pattern(48, 32)
baseline = jpeg(base, quality=90)
write("baseline.jpg", baseline, "ok", golden="baseline.ppm", tolerance=2)
write("baseline-444-odd.jpg", jpeg(pattern(37, 23, seed=1), quality=92, subsampling=0), "ok",
      golden="baseline-444-odd.ppm", tolerance=2)
write("baseline-restart.jpg", jpeg(pattern(40, 40, seed=2), quality=85, restart_marker_blocks=2), "ok",
      golden="baseline-restart.ppm", tolerance=2)
progressive = jpeg(base, quality=90, progressive=True)
write("progressive.jpg", progressive, "ok", golden="progressive.ppm", tolerance=2)
write("grayscale.jpg", jpeg(pattern(32, 24, seed=3).convert("L"), quality=90), "ok", golden="grayscale.ppm", tolerance=2)
cmyk_image = pattern(32, 24, seed=4).convert("CMYK")
cmyk = jpeg(cmyk_image, quality=95)
write("cmyk-adobe.jpg", cmyk, "ok", golden="cmyk-adobe.ppm", tolerance=2)
start, end = segment(cmyk, 0xEE)  # APP14 "Adobe": without it the values are plain ink amounts
write("cmyk-no-adobe.jpg", cmyk[:start] + cmyk[end:], "ok", golden="cmyk-no-adobe.ppm", tolerance=2)
# YCCK: Pillow cannot write it, so write the four YCCK planes as a "CMYK" JPEG and patch the Adobe marker's
# transform byte from 0 (CMYK) to 2 (YCCK). libjpeg then turns (Y, Cb, Cr) back into (R, G, B) and C = 255 − R etc.
# The planes are chosen so that the result is the same picture as cmyk-adobe.jpg.
stored = [255 - value for value in cmyk_image.tobytes()]  # what libjpeg hands back for cmyk-adobe.jpg
ycck_planes = bytearray()
for index in range(0, len(stored), 4):
    red, green, blue = (255 - stored[index + channel] for channel in range(3))
    luma = 0.299 * red + 0.587 * green + 0.114 * blue
    chroma_blue = -0.168736 * red - 0.331264 * green + 0.5 * blue + 128
    chroma_red = 0.5 * red - 0.418688 * green - 0.081312 * blue + 128
    planes = [luma, chroma_blue, chroma_red, stored[index + 3]]
    ycck_planes += bytes(255 - min(255, max(0, round(v))) for v in planes)  # Pillow inverts CMYK on save
ycck = bytearray(jpeg(Image.frombytes("CMYK", cmyk_image.size, bytes(ycck_planes)), quality=95))
start, end = segment(bytes(ycck), 0xEE)
assert ycck[start + 4:start + 9] == b"Adobe" and ycck[start + 15] == 0
ycck[start + 15] = 2
write("ycck.jpg", bytes(ycck), "ok", golden="ycck.ppm", tolerance=2)
write("missing-eoi.jpg", baseline[:-2], "ok", golden="baseline.ppm", tolerance=2)
# Larger, for DCT scaling: 96×72 at minimumSide 18 decodes at 1/4 (24×18; 1/8 would give 12×9);
# PIL's draft() gives the golden.
scaling = jpeg(pattern(96, 72, seed=5), quality=90)
write("scaling.jpg", scaling, "ok", golden="scaling.ppm", tolerance=2)
write("scaling-quarter.jpg", scaling, "ok", golden="scaling-quarter.ppm",
      tolerance=2, minimumSide=18, scaledWidth=24, scaledHeight=18)

# EXIF orientations: the stored pixels are the upright picture turned by the inverse of each orientation, so
# every file shows the same upright 40×24 picture once the orientation is applied.
upright = quadrants(40, 24)
inverse = {  # what to do to the upright picture to get the stored one (inverse of exif_transpose)
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,   # stored turned counter-clockwise; orientation 6 turns it back clockwise
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}
for orientation, transform in inverse.items():
    stored = upright if transform is None else upright.transpose(transform)
    exif = Image.Exif()
    exif[0x0112] = orientation
    little = jpeg(stored, quality=95, subsampling=0, exif=exif.tobytes())
    write(f"orientation-{orientation}.jpg", little, "ok", golden=f"orientation-{orientation}.ppm", tolerance=2,
          upright="orientation-upright.ppm")
upright.save(os.path.join(OUT, "orientation-upright.ppm"))

# --- broken corpus ----------------------------------------------------------------------------------------
write("empty.jpg", b"", "empty")
buffer = io.BytesIO(); pattern(16, 16).save(buffer, "PNG"); write("png.jpg", buffer.getvalue(), "unsupported:PNG")
buffer = io.BytesIO(); pattern(16, 16).save(buffer, "GIF"); write("gif.jpg", buffer.getvalue(), "unsupported:GIF")
buffer = io.BytesIO(); pattern(16, 16).save(buffer, "WEBP"); write("webp.jpg", buffer.getvalue(), "unsupported:WebP")
buffer = io.BytesIO(); pattern(16, 16).save(buffer, "BMP"); write("bmp.jpg", buffer.getvalue(), "unsupported:BMP")
buffer = io.BytesIO(); pattern(16, 16).save(buffer, "TIFF"); write("tiff.jpg", buffer.getvalue(), "unsupported:TIFF")
write("text.jpg", b"this is not an image, just a line of text\n", "unsupported:text")
write("html.jpg", b"<!DOCTYPE html>\n<html><body>404 Not Found</body></html>\n", "unsupported:text")
write("random-bytes.jpg", bytes(random.Random(7).randrange(256) for _ in range(300)), "unsupported:unknown")

sos_start, sos_end = segment(baseline, 0xDA)
scan = len(baseline) - sos_end
write("truncated-soi-only.jpg", baseline[:2], "truncated")
write("truncated-in-header.jpg", baseline[:25], "truncated")
sof_start, sof_end = segment(baseline, 0xC0)
write("truncated-after-sof.jpg", baseline[:sof_end], "truncated")
write("truncated-after-sos.jpg", baseline[:sos_end], "truncated")
write("truncated-scan-50.jpg", baseline[:sos_end + scan // 2], "truncated")
write("truncated-scan-90.jpg", baseline[:sos_end + scan * 9 // 10], "truncated")
p_first_sos = segment(progressive, 0xDA)[1]
write("truncated-progressive-first-scan.jpg", progressive[:p_first_sos + 20], "truncated")
write("truncated-progressive-half.jpg", progressive[:len(progressive) // 2], "truncated")

# A valid 48×32 stream whose SOF claims 60000×60000 (3.6 gigapixels): must be refused from the header alone.
huge = bytearray(baseline)
huge[sof_start + 5:sof_start + 9] = struct.pack(">HH", 60000, 60000)
write("huge-declared-60000.jpg", bytes(huge), "tooLarge", width=60000, height=60000)
zero = bytearray(baseline)
zero[sof_start + 5:sof_start + 7] = struct.pack(">H", 0)
write("zero-height.jpg", bytes(zero), "corrupt", message="Empty JPEG image")
precision = bytearray(baseline)
precision[sof_start + 4] = 12
write("precision-12.jpg", bytes(precision), "corrupt", message="precision 12")
lossless = bytearray(baseline)
lossless[sof_start + 1] = 0xC3  # SOF3, lossless
write("lossless-sof3.jpg", bytes(lossless), "corrupt", message="SOF type 0xc3")
two = bytearray(baseline)  # SOF with a component count of 0
two[sof_start + 9] = 0  # libjpeg reports zero components as an empty image
write("zero-components.jpg", bytes(two), "corrupt", message="Empty JPEG image")
quant = bytearray(baseline)
quant[sof_start + 10 + 2] = 3  # first component uses quantization table 3, never defined
write("undefined-quant-table.jpg", bytes(quant), "corrupt", message="Quantization table 0x03 was not defined")

dht_start, dht_end = segment(baseline, 0xC4)
bad_huffman = bytearray(baseline)
for index in range(16):  # code-length counts summing far past 256: "Bogus Huffman table definition"
    bad_huffman[dht_start + 5 + index] = 200
write("bad-huffman-table.jpg", bytes(bad_huffman), "corrupt", message="Bogus Huffman table")
bad_length = bytearray(baseline)
bad_length[dht_start + 2:dht_start + 4] = b"\x00\x01"  # segment length 1 (< 2)
write("bad-segment-length.jpg", bytes(bad_length), "corrupt", message="Bogus marker length")
write("garbage-after-soi.jpg", b"\xFF\xD8" + bytes(random.Random(11).randrange(256) for _ in range(400)), "corrupt", message="not JPEG markers")
write("tables-only.jpg", baseline[:sof_start] + b"\xFF\xD9", "corrupt", message="contains no image")
middle = sos_end + scan // 2
write("eoi-inside-scan.jpg", baseline[:middle] + b"\xFF\xD9" + baseline[middle:], "corrupt", message="premature end of data segment")
write("sos-before-sof.jpg", baseline[:sof_start] + baseline[sos_start:], "corrupt", message="SOS before SOF")
# Progressive stream whose first (DC) scan is repeated 600 times: every repeat is valid (libjpeg only warns about
# the odd progression), so only the scan limit (500) stops it — the CPU-exhaustion pattern of "scan bombs".
progressive = jpeg(pattern(16, 16, seed=6).convert("L"), quality=50, progressive=True)
p_segments = []
position = 2
while position < len(progressive) - 2:
    marker = progressive[position + 1]
    length = struct.unpack(">H", progressive[position + 2:position + 4])[0]
    end = position + 2 + length
    if marker == 0xDA:  # entropy data runs to the next marker that is not a stuffed byte or RST
        while not (progressive[end] == 0xFF and progressive[end + 1] not in (0x00, *range(0xD0, 0xD8))):
            end += 1
    p_segments.append((marker, position, end))
    position = end
first_scan = [segment for segment in p_segments if segment[0] == 0xDA][0]
scan_bytes = progressive[first_scan[1]:first_scan[2]]
write("too-many-scans.jpg", progressive[:first_scan[1]] + scan_bytes * 600 + progressive[first_scan[2]:], "corrupt", message="too many progressive scans",
      note=f"{len(scan_bytes)}-byte DC scan repeated 600 times")

with open(os.path.join(OUT, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=1)
    f.write("\n")
print(f"{len(manifest)} files, {sum(1 for m in manifest if m['expect'] != 'ok')} broken")
