#!/usr/bin/env python3
"""Golden outputs from Pillow (an independent decoder/resampler) for the Vision image tests.

Run after tools/vision_images_make.py, from the repository root:

    /work/venv/bin/python tools/vision_images_reference.py

Writes into Tests/VisionTests/Fixtures/images/ (decode goldens, binary PPM) and .../resize/ (resize inputs and
PIL outputs, PPM, plus cases.json):
- <name>.ppm: Pillow's decoding of each good JPEG (libjpeg-turbo, islow IDCT), converted to RGB the way the
  Swift decoder must: grayscale replicated, Adobe CMYK as inverted ink (PIL's convention), EXIF orientation
  applied with ImageOps.exif_transpose. cmyk-no-adobe.ppm uses plain (non-inverted) ink instead.
- scaling-quarter.ppm: Pillow's draft() DCT-scaled decode (1/4) of scaling.jpg.
- resize/*: Image.resize(size, BILINEAR) — the antialiased triangle filter — on seeded synthetic images,
  and the torchvision standard centre crop (shorter side → round(side·256/224), int() for the longer side,
  crop offsets int(round((size − crop) / 2))) for fitted-image tests.
"""
import json
import os
import random

from PIL import Image, ImageOps

ROOT = os.path.join(os.path.dirname(__file__), "..", "Tests", "VisionTests", "Fixtures", "images")
RESIZE = os.path.join(ROOT, "resize")
os.makedirs(RESIZE, exist_ok=True)

with open(os.path.join(ROOT, "manifest.json")) as f:
    manifest = json.load(f)


for entry in manifest:
    if entry["expect"] != "ok" or entry["file"] == "missing-eoi.jpg":  # shares baseline.ppm
        continue
    golden = os.path.join(ROOT, entry["golden"])
    if entry["file"] == "scaling-quarter.jpg":
        image = Image.open(os.path.join(ROOT, "scaling.jpg"))
        image.draft("RGB", (entry["scaledWidth"], entry["scaledHeight"]))
        assert image.size == (entry["scaledWidth"], entry["scaledHeight"]), image.size
        image.convert("RGB").save(golden)
        continue
    image = Image.open(os.path.join(ROOT, entry["file"]))
    if entry["file"] == "cmyk-no-adobe.jpg":
        # PIL reads every CMYK JPEG as inverted; without the Adobe marker the stored bytes are ink, so the
        # light let through is PIL's value: R = c·k / 255 with PIL's (inverted) c and k.
        cmyk = image.convert("CMYK")
        data = [(round(c * k / 255), round(m * k / 255), round(y * k / 255)) for c, m, y, k in zip(*[iter(cmyk.tobytes())] * 4)]
        out = Image.new("RGB", image.size)
        out.putdata(data)
        out.save(golden)
        continue
    image = ImageOps.exif_transpose(image)
    image.convert("RGB").save(golden)

# --- resize goldens ---------------------------------------------------------------------------------------
def noise_image(width, height, seed):
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height))
    pixels = image.load()
    for y in range(height):
        for x in range(width):
            smooth = ((x * 7 + y * 3) % 256, (x * y) % 256, (255 - x * 4) % 256)
            pixels[x, y] = tuple((s + rng.randrange(-40, 41)) % 256 for s in smooth)
    return image


cases = []
inputs = {"noise-61x87": noise_image(61, 87, 1), "noise-40x30": noise_image(40, 30, 2)}
for name, image in inputs.items():
    image.save(os.path.join(RESIZE, f"{name}.ppm"))
for source, (width, height) in [("noise-61x87", (23, 31)), ("noise-61x87", (32, 32)), ("noise-61x87", (67, 95)),
                                ("noise-61x87", (61, 20)), ("noise-61x87", (7, 87)), ("noise-40x30", (3, 2)),
                                ("noise-40x30", (41, 29)), ("noise-40x30", (1, 1))]:
    out = inputs[source].resize((width, height), Image.BILINEAR)
    name = f"{source}-to-{width}x{height}.ppm"
    out.save(os.path.join(RESIZE, name))
    cases.append({"input": f"{source}.ppm", "width": width, "height": height, "golden": name})

crops = []
for source, side in [("noise-61x87", 32), ("noise-40x30", 16)]:
    image = inputs[source]
    shorter = round(side * 256 / 224)
    w, h = image.size
    size = (shorter, int(shorter * h / w)) if w <= h else (int(shorter * w / h), shorter)
    resized = image.resize(size, Image.BILINEAR)
    left = int(round((size[0] - side) / 2.0))
    top = int(round((size[1] - side) / 2.0))
    crop = resized.crop((left, top, left + side, top + side))
    name = f"{source}-centercrop-{side}.ppm"
    crop.save(os.path.join(RESIZE, name))
    crops.append({"input": f"{source}.ppm", "side": side, "golden": name})

with open(os.path.join(RESIZE, "cases.json"), "w") as f:
    json.dump({"resize": cases, "centerCrop": crops}, f, indent=1)
    f.write("\n")
print(f"decode goldens written; {len(cases)} resize cases, {len(crops)} centre-crop cases")
