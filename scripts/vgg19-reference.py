#!/usr/bin/env python3
"""Reference figures for the VGG19 tests, computed by PyTorch (not by this project's code).

Reads the same quantised VGG19 file the project fetches (weight = table[index]), runs a small
synthetic picture through torch.nn.functional.conv2d / relu / max_pool2d, and prints, for
every ReLU layer, its mean and standard deviation (population), plus conv1_1's output at a few
positions. The picture's pixels are integers given by a formula, so the Swift test builds the
very same picture. Tests/Chapters/06-VGG/Fixtures/pytorch-reference.txt is this script's output:

    pip install torch numpy
    python3 scripts/vgg19-reference.py .cache/vgg19_weights_tf_dim_ordering_tf_kernels_notop_q.bin \
        > Tests/Chapters/06-VGG/Fixtures/pytorch-reference.txt
"""
import sys
import torch
import torch.nn.functional as F

WIDTH, HEIGHT = 64, 48
BLOCKS = [2, 2, 4, 4, 4]


def picture():
    """RGB 0...255, shape (3, H, W): the formula the Swift test uses too."""
    rgb = torch.zeros(3, HEIGHT, WIDTH)
    for y in range(HEIGHT):
        for x in range(WIDTH):
            rgb[0, y, x] = (x * 7 + y * 3) % 256
            rgb[1, y, x] = (x * x + 5 * y) % 256
            rgb[2, y, x] = ((x ^ y) * 9) % 256
    return rgb


def main(path):
    state = torch.load(path, weights_only=False)
    mean_bgr = torch.tensor([103.939, 116.779, 123.68]).view(3, 1, 1)
    x = (picture().flip(0) - mean_bgr).unsqueeze(0).double()   # RGB -> BGR, minus the mean
    for b, count in enumerate(BLOCKS, start=1):
        for i in range(1, count + 1):
            name = f"block{b}_conv{i}"
            table = state[name + "_W_table"].double()
            weight = table[state[name + "_W_q"].long()]
            x = F.conv2d(x, weight, state[name + "_b"].double(), padding=1)
            if (b, i) == (1, 1):
                for (k, yy, xx) in [(0, 0, 0), (5, 10, 20), (63, 47, 63), (17, 24, 31)]:
                    print(f"conv1_1 {k} {yy} {xx} {x[0, k, yy, xx].item():.9g}")
            x = F.relu(x)
            print(f"relu{b}_{i} mean {x.mean().item():.9g} std {x.std(unbiased=False).item():.9g}")
        x = F.max_pool2d(x, 2)


if __name__ == "__main__":
    main(sys.argv[1])
