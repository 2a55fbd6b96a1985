#!/usr/bin/env python3
"""Regenerates the synthetic biometric files of every specimen application.

For each specimen directory (each holds an application.json) it writes:
  portrait.jpg     48x60 synthetic face drawing, JPEG via cjpeg (libjpeg-turbo-progs), < 8 KB
  signature.jpg    160x48 synthetic scribble, JPEG, < 8 KB

Everything is synthetic and deterministic (seeded by the specimen name): no real person's
face or signature is involved. Run from this directory:  python3 generate.py

The index fingers (right-index.png / left-index.png, synthetic 500 ppi images, and the
ISO/IEC 19794-2 records MINDTCT extracts from them, right-index.fmr / left-index.fmr) come
from the synthetic fingerprint generator of crates/ektp-bio; from the repository root:
  cargo run --release -p ektp-bio --features synth --example specimen_fingers -- cards/specimens
"""
import os
import random
import subprocess

SPECIMENS = ["pria", "wanita", "wna", "menikah-16", "belum-kawin-16", "nama-panjang"]


def cjpeg(kind: bytes, w: int, h: int, pixels: bytes, out: str):
    """Encodes a PPM (P6) or PGM (P5) raster with cjpeg (Debian: libjpeg-turbo-progs)."""
    header = b"%s\n%d %d\n255\n" % (kind, w, h)
    with open(out, "wb") as f:
        subprocess.run(
            ["cjpeg", "-quality", "70", "-optimize", "-baseline"],
            input=header + pixels, stdout=f, check=True,
        )


def portrait(rng: random.Random) -> bytes:
    w, h = 48, 60
    bg = (rng.randrange(150, 230), rng.randrange(150, 230), rng.randrange(150, 230))
    skin = (rng.randrange(150, 230), rng.randrange(100, 170), rng.randrange(70, 130))
    hair = (rng.randrange(10, 60),) * 3
    px = bytearray()
    for y in range(h):
        for x in range(w):
            c = bg
            if ((x - 24) / 15) ** 2 + ((y - 22) / 18) ** 2 <= 1 and y < 14:
                c = hair
            if ((x - 24) / 13) ** 2 + ((y - 26) / 17) ** 2 <= 1 and y >= 14:
                c = skin
            if ((x - 19) / 2.2) ** 2 + ((y - 23) / 1.6) ** 2 <= 1:
                c = (30, 30, 40)
            if ((x - 29) / 2.2) ** 2 + ((y - 23) / 1.6) ** 2 <= 1:
                c = (30, 30, 40)
            if 20 <= x <= 28 and y == 34:
                c = (120, 40, 40)
            if y >= 47 and ((x - 24) / 22) ** 2 + ((y - 62) / 15) ** 2 <= 1:
                c = (50, 60, 90)
            px += bytes(c)
    return bytes(px)


def signature(rng: random.Random) -> bytes:
    w, h = 160, 48
    px = bytearray([255] * (w * h))
    pts = [(10 + i * 14, rng.randrange(12, 38)) for i in range(11)]
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        steps = max(abs(x1 - x0), abs(y1 - y0)) * 2
        for s in range(steps + 1):
            x = x0 + (x1 - x0) * s / steps
            y = y0 + (y1 - y0) * s / steps
            for dx in (0, 1):
                for dy in (0, 1):
                    xi, yi = int(x) + dx, int(y) + dy
                    if 0 <= xi < w and 0 <= yi < h:
                        px[yi * w + xi] = 20
    return bytes(px)


def main():
    for name in SPECIMENS:
        rng = random.Random("ektp-specimen-" + name)
        os.makedirs(name, exist_ok=True)
        cjpeg(b"P6", 48, 60, portrait(rng), os.path.join(name, "portrait.jpg"))
        cjpeg(b"P5", 160, 48, signature(rng), os.path.join(name, "signature.jpg"))


if __name__ == "__main__":
    main()
