"""Draws data/examples/key_visual.jpg: a synthetic 300×425 'poster' (gradient sky, sun, hills, title band)
so the README's first command has a key visual that is ours to ship. Pillow only; deterministic."""
from PIL import Image, ImageDraw
import pathlib

W, H = 300, 425
image = Image.new("RGB", (W, H))
draw = ImageDraw.Draw(image)
for y in range(H):  # dusk gradient
    t = y / (H - 1)
    draw.line([(0, y), (W, y)], fill=(int(40 + 200 * t), int(30 + 90 * t), int(120 - 60 * t)))
draw.ellipse([180, 70, 260, 150], fill=(255, 214, 120))
draw.polygon([(0, 300), (90, 230), (170, 290), (240, 220), (300, 270), (300, 425), (0, 425)], fill=(30, 60, 70))
draw.rectangle([0, 360, W, 410], fill=(250, 250, 245))
draw.text((20, 372), "THE LAST LIGHTHOUSE", fill=(20, 20, 30))
out = pathlib.Path(__file__).resolve().parent.parent / "data" / "examples" / "key_visual.jpg"
out.parent.mkdir(parents=True, exist_ok=True)
image.save(out, quality=90)
print(out)
