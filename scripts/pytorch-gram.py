#!/usr/bin/env python3
"""PyTorch's own matrix products on the Gram matrices' shapes at 512 pixels, to compare with
`benchmark --layers` (which prints ours) back to back: the Gram matrix F F^T and its
gradient's product S F for each style layer, fastest of 5, 2 threads unless told otherwise.
The forward counts 2 C C H W operations (PyTorch computes the whole matrix; ours only the
blocks on and above the diagonal, which is why its effective rate can be higher)."""
import argparse
import time

import torch

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--size", type=int, default=512, help="image size in pixels (default 512)")
parser.add_argument("--threads", type=int, default=2, help="threads (default 2)")
args = parser.parse_args()
torch.set_num_threads(args.threads)
print(f"PyTorch {torch.__version__}, {args.threads} threads")
print("  Gram at    forward ms  GFLOP/s   backward ms  GFLOP/s")
for name, channels, shift in [("relu1_1", 64, 0), ("relu2_1", 128, 1), ("relu3_1", 256, 2), ("relu4_1", 512, 3), ("relu5_1", 512, 4)]:
    side = args.size >> shift
    features = torch.rand(channels, side * side)
    factor = torch.rand(channels, channels)
    for _ in range(2):
        features @ features.t()
        factor @ features
    forward = backward = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        features @ features.t()
        forward = min(forward, time.perf_counter() - start)
        start = time.perf_counter()
        factor @ features
        backward = min(backward, time.perf_counter() - start)
    flop = 2 * channels * channels * side * side
    print(f"  {name:9s} {forward * 1e3:9.1f} {flop / forward / 1e9:8.0f} {backward * 1e3:12.1f} {flop / backward / 1e9:8.0f}")
