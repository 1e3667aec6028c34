#!/usr/bin/env python3
"""Makes the JPEG test files in Tests/Formats/ImageFiles/JPEG and libjpeg's decoding of each.

The encoder and the reference decoder are libjpeg-turbo's cjpeg and djpeg (Debian package
libjpeg-turbo-progs); the source picture is a crop of the project's own figure
Notebooks/images/09-multiscale-1024.png. Each NAME.jpg gets NAME.ppm (or .pgm for gray):
what djpeg makes of it with its defaults (accurate integer IDCT, "fancy" upsampling), which
the tests compare with our decoder. The script also checks that Pillow's libjpeg decodes every
file to the same pixels as djpeg, when Pillow is installed.

    python3 scripts/jpeg-fixtures.py
"""
import os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(ROOT, "Tests", "Formats", "ImageFiles", "JPEG")
SOURCE = os.path.join(ROOT, "Notebooks", "images", "09-multiscale-1024.png")

# name: (crop width, crop height, cjpeg options)
FILES = {
    "baseline-444": (61, 43, ["-sample", "1x1", "-quality", "90"]),
    "baseline-422": (61, 43, ["-sample", "2x1"]),
    "baseline-420": (61, 43, ["-sample", "2x2"]),
    "baseline-440": (61, 43, ["-sample", "1x2"]),
    "baseline-411": (61, 43, ["-sample", "4x1"]),
    "baseline-311": (61, 43, ["-sample", "3x1,1x1,1x1"]),
    "baseline-chroma-larger": (61, 43, ["-sample", "1x1,2x2,1x1"]),
    "baseline-mixed": (61, 43, ["-sample", "2x2,2x1,1x2"]),
    "baseline-420-tiny": (3, 5, ["-sample", "2x2"]),
    "baseline-one-pixel": (1, 1, []),
    "baseline-gray": (61, 43, ["-grayscale"]),
    "baseline-optimized": (61, 43, ["-optimize", "-quality", "60"]),
    "baseline-restart": (61, 43, ["-sample", "2x2", "-restart", "3B"]),
    "baseline-420-large": (160, 128, ["-sample", "2x2", "-quality", "85"]),
    "progressive-420": (61, 43, ["-progressive", "-sample", "2x2"]),
    "progressive-444": (61, 43, ["-progressive", "-sample", "1x1", "-quality", "95"]),
    "progressive-gray": (61, 43, ["-progressive", "-grayscale"]),
    "progressive-restart": (61, 43, ["-progressive", "-sample", "2x1", "-restart", "2B"]),
    "progressive-420-large": (160, 128, ["-progressive", "-sample", "2x2", "-quality", "75"]),
    "baseline-rgb": (61, 43, ["-rgb"]),
    "arithmetic": (16, 16, ["-arithmetic"]),
}

# Exif orientation: a 13x7 picture stored as the camera saw it, with tag 0x0112 set to each
# value; the reference is Pillow's ImageOps.exif_transpose of it, the picture shown upright.
ORIENTATIONS = range(2, 9)


def run(args, **kw):
    return subprocess.run(args, check=True, **kw)


def main():
    from PIL import Image  # only for cropping the source and the cross-check
    os.makedirs(OUT, exist_ok=True)
    source = Image.open(SOURCE).convert("RGB")
    with tempfile.TemporaryDirectory() as tmp:
        for name, (w, h, options) in FILES.items():
            crop = source.crop((380, 180, 380 + w, 180 + h))
            ppm = os.path.join(tmp, name + ".ppm")
            crop.save(ppm)
            jpg = os.path.join(OUT, name + ".jpg")
            with open(jpg, "wb") as f:
                run(["cjpeg"] + options + [ppm], stdout=f)
            if name == "arithmetic":
                continue  # refused by our decoder; no reference needed
            gray = "-grayscale" in options
            reference = os.path.join(OUT, name + (".pgm" if gray else ".ppm"))
            with open(reference, "wb") as f:
                run(["djpeg", "-pnm", jpg], stdout=f)
            ours = Image.open(reference)
            theirs = Image.open(jpg)
            theirs.load()
            same = theirs.tobytes() == ours.tobytes()
            print(f"{name}: {w}x{h} {' '.join(options)}; Pillow {'agrees' if same else 'DIFFERS'}")
            if not same:
                sys.exit(1)
        from PIL import ImageOps
        small = source.crop((400, 200, 413, 207))
        for orientation in ORIENTATIONS:
            exif = Image.Exif()
            exif[0x0112] = orientation
            jpg = os.path.join(OUT, f"exif-orientation-{orientation}.jpg")
            small.save(jpg, quality=95, subsampling=0, exif=exif)
            upright = ImageOps.exif_transpose(Image.open(jpg))
            upright.save(os.path.join(OUT, f"exif-orientation-{orientation}.ppm"))
            print(f"exif-orientation-{orientation}: 13x7 shown as {upright.size[0]}x{upright.size[1]}")


if __name__ == "__main__":
    main()
