#!/usr/bin/env python3
"""Regenerates the images of the `potret-icao` specimen: a card with realistic sizes.

  portrait.jp2   420x525 synthetic face drawing (ICAO 9303-10 / ISO/IEC 19794-5 token-like
                 framing: head centred, ~70 % of the height), JPEG 2000 (JP2 file) made with
                 `opj_compress` (Debian: libopenjp2-tools) at a fixed compression ratio; the
                 result is 15-20 KB, the size ICAO 9303-10 expects of a stored face image.
  signature.jpg  480x144 synthetic scribble, JPEG via `cjpeg` (libjpeg-turbo-progs), a few KB.

The two ISO/IEC 19794-2 minutiae records (right-index.fmr, left-index.fmr) are the synthetic
records of the `pria` specimen as they were when this specimen was made (copied, not
regenerated here), so DG3 holds two templates.

Everything is synthetic and deterministic (a fixed seed, integer arithmetic, no real person's
face or signature). Run from this directory:  python3 generate.py
"""
import math
import random
import subprocess

W, H = 420, 525
SEED = "ektp-specimen-potret-icao"


def inside(x, y, cx, cy, rx, ry):
    return ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1.0


def portrait(rng: random.Random) -> bytes:
    # Smooth shading plus a little deterministic grain, as a photographed face has: a flat
    # cartoon would compress to almost nothing and not exercise realistic file sizes.
    grain = [rng.randrange(-9, 10) for _ in range(W * H)]
    px = bytearray()
    cx, cy = W / 2, H * 0.46
    for y in range(H):
        for x in range(W):
            # Background: light grey-blue, a gentle vertical gradient (ICAO: plain, light).
            r, g, b = 196 - y // 20, 205 - y // 24, 222 - y // 30
            if y > H * 0.80 and inside(x, y, cx, H * 1.12, W * 0.55, H * 0.34):
                # Shoulders / shirt, with folds.
                f = 20 * math.sin(x / 17.0) * math.cos(y / 23.0)
                r, g, b = 60 + f, 70 + f, 105 + f
            if inside(x, y, cx, H * 0.77, W * 0.09, H * 0.10):
                r, g, b = 186, 140, 110  # neck
            if inside(x, y, cx, cy, W * 0.25, H * 0.27):
                # Face: skin lit from the upper left.
                light = 1.0 - 0.35 * ((x - cx + 40) / (W * 0.3)) ** 2 - 0.2 * ((y - cy + 60) / (H * 0.3)) ** 2
                light = max(0.55, min(1.05, light))
                r, g, b = 212 * light, 160 * light, 128 * light
                if y < cy - H * 0.14 and not inside(x, y, cx, cy + 10, W * 0.22, H * 0.25):
                    r, g, b = 35, 28, 25  # hairline
            if y < cy - H * 0.12 and inside(x, y, cx, cy - H * 0.08, W * 0.27, H * 0.24):
                h = 12 * math.sin(x / 5.0 + y / 9.0)
                r, g, b = 38 + h, 30 + h, 26 + h  # hair with strands
            for ex in (cx - W * 0.1, cx + W * 0.1):
                if inside(x, y, ex, cy - H * 0.03, W * 0.045, H * 0.018):
                    r, g, b = 240, 240, 236  # eye white
                if inside(x, y, ex, cy - H * 0.03, W * 0.018, H * 0.018):
                    r, g, b = 60, 40, 30  # iris
                if inside(x, y, ex, cy - H * 0.075, W * 0.06, H * 0.008):
                    r, g, b = 50, 38, 32  # eyebrow
            if inside(x, y, cx, cy + H * 0.05, W * 0.025, H * 0.05):
                r, g, b = r * 0.93, g * 0.9, b * 0.9  # nose shading
            if inside(x, y, cx, cy + H * 0.14, W * 0.08, H * 0.015):
                r, g, b = 160, 80, 80  # mouth
            n = grain[y * W + x]
            px += bytes(max(0, min(255, int(v + n))) for v in (r, g, b))
    return bytes(px)


def signature(rng: random.Random) -> bytes:
    w, h = 480, 144
    px = bytearray([255] * (w * h))
    pts = [(20 + i * 22, rng.randrange(30, 114)) for i in range(20)]
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        steps = max(abs(x1 - x0), abs(y1 - y0)) * 3
        for s in range(steps + 1):
            t = s / steps
            x = x0 + (x1 - x0) * t
            y = y0 + (y1 - y0) * t + 6 * math.sin(t * math.pi * 2)
            for dx in range(3):
                for dy in range(3):
                    xi, yi = int(x) + dx, int(y) + dy
                    if 0 <= xi < w and 0 <= yi < h:
                        px[yi * w + xi] = 25
    for i in range(w * h):  # paper texture
        px[i] = max(0, px[i] - rng.randrange(0, 12))
    return bytes(px)


def main():
    rng = random.Random(SEED)
    with open("portrait.ppm", "wb") as f:
        f.write(b"P6\n%d %d\n255\n" % (W, H) + portrait(rng))
    subprocess.run(
        ["opj_compress", "-i", "portrait.ppm", "-o", "portrait.jp2", "-r", "38"],
        check=True, stdout=subprocess.DEVNULL,
    )
    sig = b"P5\n480 144\n255\n" + signature(rng)
    with open("signature.jpg", "wb") as f:
        subprocess.run(["cjpeg", "-quality", "40", "-optimize", "-baseline", "-grayscale"],
                       input=sig, stdout=f, check=True)
    import os
    os.remove("portrait.ppm")


if __name__ == "__main__":
    main()
