#!/usr/bin/env python3
"""Chapter 12's transformation network in PyTorch, to time against this project's on the same machine.

The network of Johnson et al. as chapter 12 builds it (TransformationNetwork.swift): reflection-
padded convolutions, instance normalisation with a learned scale and shift, five residual blocks,
upsampling then convolving, a scaled tanh; `--width` maps at full size (32: Johnson et al.'s).
Timed: painting a 512x512 picture (no gradients), and one training step on a 256x256 crop, batch
1: the network forward, VGG19 to relu5_1 (random weights of its shapes, max pooling) on the
painted picture and on the crop, chapter 9's loss (content relu4_2, style relu1_1..relu5_1, tv),
the backward pass to the network's weights and an Adam step. Prints the median of --runs after a
warm-up, in the form

    pytorch width 16: apply 512 123 ms, train step 256 456 ms

    python3 scripts/pytorch-transformation-network.py [--width 16] [--runs 5] [--threads 2]
"""
import argparse
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

VGG_LAYERS = [(3, 64), (64, 64), "M", (64, 128), (128, 128), "M", (128, 256), (256, 256), (256, 256), (256, 256), "M",
              (256, 512), (512, 512), (512, 512), (512, 512), "M", (512, 512)]
STYLE = {0, 2, 4, 8, 12}
CONTENT = 9


class Convolution(nn.Module):
    def __init__(self, cin, cout, kernel, stride=1):
        super().__init__()
        self.pad = nn.ReflectionPad2d(kernel // 2)
        self.conv = nn.Conv2d(cin, cout, kernel, stride)

    def forward(self, x):
        return self.conv(self.pad(x))


class Residual(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.body = nn.Sequential(Convolution(c, c, 3), nn.InstanceNorm2d(c, affine=True), nn.ReLU(),
                                  Convolution(c, c, 3), nn.InstanceNorm2d(c, affine=True))

    def forward(self, x):
        return x + self.body(x)


def network(w):
    return nn.Sequential(
        Convolution(3, w, 9), nn.InstanceNorm2d(w, affine=True), nn.ReLU(),
        Convolution(w, 2 * w, 3, 2), nn.InstanceNorm2d(2 * w, affine=True), nn.ReLU(),
        Convolution(2 * w, 4 * w, 3, 2), nn.InstanceNorm2d(4 * w, affine=True), nn.ReLU(),
        *[Residual(4 * w) for _ in range(5)],
        nn.Upsample(scale_factor=2, mode="nearest"), Convolution(4 * w, 2 * w, 3), nn.InstanceNorm2d(2 * w, affine=True), nn.ReLU(),
        nn.Upsample(scale_factor=2, mode="nearest"), Convolution(2 * w, w, 3), nn.InstanceNorm2d(w, affine=True), nn.ReLU(),
        Convolution(w, 3, 9))


def vgg_weights():
    g = torch.Generator().manual_seed(1)
    return [(torch.randn(cout, cin, 3, 3, generator=g) * (2 / (9 * cin)) ** 0.5, torch.zeros(cout)) if layer != "M" else None
            for layer in VGG_LAYERS for (cin, cout) in ([layer] if layer != "M" else [(0, 0)])]


def features(weights, x):
    out, index = {}, 0
    for layer, w in zip(VGG_LAYERS, weights):
        if layer == "M":
            x = F.max_pool2d(x, 2)
            continue
        x = F.relu(F.conv2d(x, w[0], w[1], padding=1))
        if index in STYLE or index == CONTENT:
            out[index] = x
        index += 1
    return out


def gram(f):
    _, c, h, w = f.shape
    m = f.reshape(c, h * w)
    return m @ m.t() / (c * h * w)


def median_ms(body, runs):
    body()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        body()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--width", type=int, default=16)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    net = network(args.width)
    photo = torch.rand(1, 3, 512, 512) * 255

    def apply():
        with torch.no_grad():
            127.5 * (torch.tanh(net(photo / 255)) + 1)

    weights = vgg_weights()
    style_targets = {k: gram(v) for k, v in features(weights, torch.rand(1, 3, 256, 256) * 255 - 120).items() if k in STYLE}
    optimiser = torch.optim.Adam(net.parameters(), lr=1e-3)
    crop = torch.rand(1, 3, 256, 256) * 255

    def train_step():
        optimiser.zero_grad()
        picture = 127.5 * (torch.tanh(net(crop / 255)) + 1)
        with torch.no_grad():
            content_target = features(weights, crop - 120)[CONTENT]
        maps = features(weights, picture - 120)
        loss = 5 * ((maps[CONTENT] - content_target) ** 2).mean()
        loss = loss + sum(100 * ((gram(maps[k]) - style_targets[k]) ** 2).mean() for k in STYLE)
        loss = loss + 1e-3 * 0.5 * (((picture[:, :, 1:] - picture[:, :, :-1]) ** 2).sum() + ((picture[:, :, :, 1:] - picture[:, :, :, :-1]) ** 2).sum())
        loss.backward()
        optimiser.step()

    print(f"PyTorch {torch.__version__}, {args.threads} threads")
    print(f"pytorch width {args.width}: apply 512 {median_ms(apply, args.runs):.0f} ms, train step 256 {median_ms(train_step, args.runs):.0f} ms")


if __name__ == "__main__":
    main()
