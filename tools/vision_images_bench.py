#!/usr/bin/env python3
"""Pillow + numpy baseline for the `decode` bench suite: the same files, the same steps, one thread.

    /work/venv/bin/python tools/vision_images_bench.py [FOLDER] [--limit N] [--seconds S]

Reads up to N (default 200) *.jpg from FOLDER (default ../shared/data/posters/anime-wall) into memory, then times
(per CPU second of this process, and per wall second):
  decode      Image.open(BytesIO).convert("RGB") (libjpeg-turbo inside Pillow, islow)
  preprocess  resize shorter side to 256 (BILINEAR, antialiased), centre crop 224, (x/255 − mean)/std to float32 HWC
  pipeline    both
Run it right after `animepop-bench decode` and compare the CPU columns (the machine is shared and noisy).
"""
import io
import os
import sys
import time

import numpy as np
from PIL import Image

args = sys.argv[1:]
folder, limit, seconds = "../shared/data/posters/anime-wall", 200, 2.0
i = 0
while i < len(args):
    if args[i] == "--limit":
        limit = int(args[i + 1]); i += 2
    elif args[i] == "--seconds":
        seconds = float(args[i + 1]); i += 2
    else:
        folder = args[i]; i += 1
names = sorted(n for n in os.listdir(folder) if n.lower().endswith((".jpg", ".jpeg")))[:limit]
blobs = [open(os.path.join(folder, n), "rb").read() for n in names]
MEAN = np.array([0.485, 0.456, 0.406], np.float32)
STD = np.array([0.229, 0.224, 0.225], np.float32)


def decode(blob):
    return Image.open(io.BytesIO(blob)).convert("RGB")


def preprocess(image, side=224, shorter=256):
    w, h = image.size
    size = (shorter, int(shorter * h / w)) if w <= h else (int(shorter * w / h), shorter)
    image = image.resize(size, Image.BILINEAR)
    left, top = int(round((size[0] - side) / 2.0)), int(round((size[1] - side) / 2.0))
    image = image.crop((left, top, left + side, top + side))
    return (np.asarray(image, np.float32) / 255.0 - MEAN) / STD


def rate(body):
    count, wall, cpu = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - wall < seconds:
        for index in range(len(blobs)):
            body(index)
        count += len(blobs)
    return count / (time.process_time() - cpu), count / (time.perf_counter() - wall)


decoded = [decode(b) for b in blobs]
rows = [
    ("decode (Pillow)", rate(lambda i: decode(blobs[i]).load())),
    ("resize 256 + crop 224 + normalize", rate(lambda i: preprocess(decoded[i]))),
    ("pipeline: decode + preprocess", rate(lambda i: preprocess(decode(blobs[i])))),
]
print(f"Pillow {Image.__version__}, {len(blobs)} files from {folder}, 1 thread")
print(f"  {'':34}   images/s (CPU)   ms/image (CPU)   images/s (wall)")
for name, (cpu, wall) in rows:
    print(f"  {name:34} {cpu:12.1f} {1000 / cpu:16.3f} {wall:16.1f}")
