#!/usr/bin/env python3
"""libjpeg's side of the JPEG speed comparison: decodes FILE.jpg with Pillow (which bundles
libjpeg-turbo) RUNS times and prints the median megapixels per second, one core.

    python3 scripts/jpeg-speed.py FILE.jpg [RUNS]
    .build/release/compression-benchmark --runs RUNS jpeg FILE.jpg    # ours, back to back
"""
import statistics, sys, time
from PIL import Image, features

path = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
times = []
for _ in range(runs):
    start = time.perf_counter()
    with Image.open(path) as im:
        im.load()
    times.append(time.perf_counter() - start)
    size = im.size
m = statistics.median(times)
mp = size[0] * size[1] / 1e6
print(f"Pillow {Image.__version__}, libjpeg-turbo {features.version('libjpeg_turbo')}: {size[0]}x{size[1]}, "
      f"median {m * 1000:.1f} ms, {mp / m:.1f} megapixels/s ({runs} runs)")
