#!/usr/bin/env python3
"""The flicker of a styled clip whose frames pan by whole pixels, as chapter 11 measures it.

For frames made by scripts/pan-frames.py (each one STEP pixels further right), the mean squared
difference, over the overlapping pixels and the three colours (0-255), between each frame and the
one before moved by the true motion. A clip that only moves scores 0.

    python3 scripts/clip-flicker.py FOLDER [FOLDER ...] [--step 4]

Each FOLDER holds frame-0.* to frame-N.* (PNG, PPM or any format image-convert reads).
"""
import argparse
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from ppm import read_ppm_bytes  # noqa: E402


def frames(folder, scratch):
    names = sorted((n for n in os.listdir(folder) if n.startswith("frame-")), key=lambda n: int(n.split("-")[1].split(".")[0]))
    for name in names:
        converted = os.path.join(scratch, "frame.ppm")
        subprocess.run([".build/release/image-convert", os.path.join(folder, name), converted], check=True, stdout=subprocess.DEVNULL)
        yield read_ppm_bytes(converted)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="+")
    parser.add_argument("--step", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        for folder in args.folders:
            values, before = [], None
            for width, height, pixels in frames(folder, scratch):
                if before is not None:
                    total = count = 0
                    for y in range(height):
                        row = y * width
                        for x in range(width - args.step):
                            for c in range(3):
                                d = pixels[(row + x) * 3 + c] - before[(row + x + args.step) * 3 + c]
                                total += d * d
                                count += 1
                    values.append(total / count)
                before = pixels
            mean = sum(values) / len(values) if values else float("nan")
            print(f"{folder}: mean flicker {mean:.1f} (frame by frame: {', '.join(f'{v:.1f}' for v in values)})")


if __name__ == "__main__":
    main()
