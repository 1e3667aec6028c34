#!/usr/bin/env python3
"""Writes a clip of frames panning over a photo, for chapter 12's video figure.

The photo (any format the project reads, through its image-convert) is averaged down by a whole
factor until its longer side is at most 512 pixels; each frame is a WIDTH x HEIGHT window of it,
STEP pixels further right than the one before, centred vertically, written as frame-K.ppm.

    python3 scripts/pan-frames.py PHOTO FOLDER [--frames 8] [--width 384] [--height 288] [--step 4]
"""
import argparse
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from ppm import read_ppm_bytes  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("photo")
    parser.add_argument("folder")
    parser.add_argument("--frames", type=int, default=8)
    parser.add_argument("--width", type=int, default=384)
    parser.add_argument("--height", type=int, default=288)
    parser.add_argument("--step", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        converted = os.path.join(folder, "photo.ppm")
        subprocess.run([".build/release/image-convert", args.photo, converted], check=True, stdout=subprocess.DEVNULL)
        width, height, pixels = read_ppm_bytes(converted)
    factor = 1
    while max(width, height) / factor > 512:
        factor += 1
    small_width, small_height = width // factor, height // factor
    small = bytearray(small_width * small_height * 3)
    for y in range(small_height):
        for x in range(small_width):
            for c in range(3):
                total = sum(pixels[((y * factor + i) * width + x * factor + j) * 3 + c] for i in range(factor) for j in range(factor))
                small[(y * small_width + x) * 3 + c] = (total + factor * factor // 2) // (factor * factor)
    span = args.width + args.step * (args.frames - 1)
    if span > small_width or args.height > small_height:
        sys.exit(f"pan-frames: {args.frames} frames of {args.width}x{args.height} moving {args.step} px need {span}x{args.height}; "
                 f"the photo is {small_width}x{small_height}")
    os.makedirs(args.folder, exist_ok=True)
    top = (small_height - args.height) // 2
    for k in range(args.frames):
        left = k * args.step
        rows = b"".join(bytes(small[((top + y) * small_width + left) * 3:((top + y) * small_width + left + args.width) * 3])
                        for y in range(args.height))
        with open(os.path.join(args.folder, f"frame-{k}.ppm"), "wb") as out:
            out.write(b"P6\n%d %d\n255\n" % (args.width, args.height) + rows)
    print(f"wrote {args.frames} frames of {args.width}x{args.height} to {args.folder}")


if __name__ == "__main__":
    main()
