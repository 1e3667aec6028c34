#!/usr/bin/env python3
"""Ground truth from outside: the style-transfer loss, its gradient and the first L-BFGS steps by PyTorch.

Writes Tests/FastEngine/StyleTransferRun/Fixtures/pytorch-loss.json, which PyTorchFixtureTests
read (in .ci/run's release pass) to check both the engine and the chapters' plain code, as
llm.c's test_gpt2.c checks its C against PyTorch's numbers.

The problem, all of it in the fixture so the tests need nothing else: the sample astronaut photo
and samples/mosaic.png, each brought to 32x32 by block means of the 512x512 originals; a start
image, the photo with a fixed pattern added (so the content term is not zero there); VGG19 with
the quantised ImageNet weights the project fetches, max pooling; the loss of docs/DESIGN.md
(content relu4_2, style relu1_1..relu5_1, weights 5, 100 and 1e-3). Recorded: the loss's parts and
the gradient's L2 norm at the start, 24 of the gradient's entries, and the losses after 0 to 4 steps
of L-BFGS (history 25, the pixels free as with `--free-descent`), each after i steps. The L-BFGS is
written here from the rules chapter 6b's LBFGS.swift documents, on PyTorch's loss and gradient:
torch.optim.LBFGS differs from it only in its first step (t = min(1, 1/|g|_1), where the project's
first step moves the value that moves most by 1 and doubles until the curvature is positive), so
it cannot be compared step for step. The rules used: the two-loop recursion with H0 = (s.y / y.y) I;
a pair kept when s.y > 1e-10 |s| |y|; before any pair, a step moving the largest value by the probe
size (1, doubled after each step whose pair is not kept); then full steps t = 1; every new point
must pass Armijo's test (c = 1e-4), and the script stops if one does not (a refusal's
shortening is not transcribed, and the fixture's steps take none).

    swift build -c release && .build/release/fetch-samples
    pip install torch numpy
    python3 scripts/pytorch-loss-fixture.py

PyTorch computes in float32 on the CPU, as this project does; the gradient is taken in float64
from the same float32 weights, so the fixture's own rounding is negligible.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from importlib import import_module

lbfgs = import_module("pytorch-lbfgs")   # the reading of weights and pictures, the network, the Gram matrix

SIZE = 32
STEPS = 5
OUTPUT = "Tests/FastEngine/StyleTransferRun/Fixtures/pytorch-loss.json"
WEIGHTS = ".cache/vgg19_weights_tf_dim_ordering_tf_kernels_notop_q.bin"


def block_mean(pixels, size):
    """Each output pixel the mean of a block of the input, rounded: (H, W, 3) -> (size, size, 3)."""
    h, w, _ = pixels.shape
    k = h // size
    assert h == w == k * size, "a square picture a multiple of the size"
    return np.rint(pixels.astype(np.float64).reshape(size, k, size, k, 3).mean(axis=(1, 3))).astype(np.uint8)


def start_image(content):
    """The photo with a fixed pattern of -30...30 added, clamped to 0...255."""
    h, w, _ = content.shape
    index = np.arange(h * w * 3).reshape(h, w, 3)
    return np.clip(content.astype(np.int64) + (index * 37) % 61 - 30, 0, 255).astype(np.uint8)


def lbfgs_losses(x, evaluate, steps, shape, history=25, probe=1.0, c=1e-4):
    """The losses after 0 to steps - 1 steps of chapter 6b's L-BFGS without a box (see above).
    `evaluate` takes the image (float32, (1, 3, H, W)) and gives its loss and flat gradient."""
    h, w, _ = shape

    def at(v):
        return v.float().reshape(1, 3, h, w)

    memory, losses = [], []
    previous = None   # (x0, g0, f0, q, t)
    for _ in range(steps):
        f, g = evaluate(at(x))
        losses.append(f)
        if previous is not None:
            x0, g0, f0, q0, t0 = previous
            if not f <= f0 + c * t0 * -(g0 @ q0).item():
                raise SystemExit("a step failed Armijo's test: the refusal's shortening is not transcribed here")
            s, y = x - x0, g - g0
            sy, ss, yy = (s @ y).item(), (s @ s).item(), (y @ y).item()
            if sy > 1e-10 * (ss * yy) ** 0.5:
                memory = (memory + [(s, y, sy)])[-history:]
            elif not memory:
                probe *= 2
        q = g.clone()
        alphas = []
        for s, y, sy in reversed(memory):
            a = (s @ q).item() / sy
            alphas.append(a)
            q -= a * y
        if memory:
            s, y, sy = memory[-1]
            q *= sy / (y @ y).item()
        for (s, y, sy), a in zip(memory, reversed(alphas)):
            b = (y @ q).item() / sy
            q += (a - b) * s
        t = 1.0 if memory else probe / g.abs().max().item()
        previous = (x, g, f, q, t)
        x = (x - t * q).float().double()   # the image is float32, as a run holds it
    return losses


def main():
    folder = tempfile.mkdtemp(prefix="fixture-")
    pictures = {}
    for name, source in [("content", ".cache/astronaut.png"), ("style", "samples/mosaic.png")]:
        path = os.path.join(folder, name + ".ppm")
        subprocess.run([".build/release/image-convert", source, path], check=True)
        pictures[name] = block_mean(lbfgs.read_ppm(path), SIZE)
    start = start_image(pictures["content"])

    layers = lbfgs.network(WEIGHTS)
    weights = {"content": 5.0, "style": 100.0, "tv": 1e-3}

    def parts_of(x, content_targets, style_targets, layer_list):
        maps = lbfgs.features(layer_list, x, lbfgs.CONTENT_LAYERS + lbfgs.STYLE_LAYERS)
        content = sum(weights["content"] * ((maps[k] - content_targets[k]) ** 2).mean() for k in lbfgs.CONTENT_LAYERS)
        style = sum(weights["style"] * ((lbfgs.gram(maps[k]) - style_targets[k]) ** 2).mean() for k in lbfgs.STYLE_LAYERS)
        tv = weights["tv"] * 0.5 * (((x[:, :, 1:, :] - x[:, :, :-1, :]) ** 2).sum() + ((x[:, :, :, 1:] - x[:, :, :, :-1]) ** 2).sum())
        return content, style, tv

    def targets(layer_list, dtype):
        with torch.no_grad():
            c = lbfgs.features(layer_list, lbfgs.preprocess(pictures["content"]).to(dtype), lbfgs.CONTENT_LAYERS)
            s = {k: lbfgs.gram(v) for k, v in
                 lbfgs.features(layer_list, lbfgs.preprocess(pictures["style"]).to(dtype), lbfgs.STYLE_LAYERS).items()}
        return c, s

    # The loss and its gradient at the start, in float64.
    layers64 = [(name, w.double(), b.double()) for name, w, b in layers]
    c64, s64 = targets(layers64, torch.float64)
    x = lbfgs.preprocess(start).double().requires_grad_(True)
    content, style, tv = parts_of(x, c64, s64, layers64)
    (content + style + tv).backward()
    gradient = x.grad[0]   # (3, H, W), channels in the network's order (BGR), as the project's tensors
    flat = gradient.reshape(-1)
    picked = [(i * 1543) % flat.numel() for i in range(24)]

    # The first L-BFGS steps, in float32 as a run computes.
    c32, s32 = targets(layers, torch.float32)

    def evaluate(point):
        point = point.clone().requires_grad_(True)
        loss = sum(parts_of(point, c32, s32, layers))
        loss.backward()
        return loss.item(), point.grad.detach().reshape(-1).double()

    losses = lbfgs_losses(lbfgs.preprocess(start).reshape(-1).double(), evaluate, STEPS, start.shape)

    fixture = {
        "made_by": "scripts/pytorch-loss-fixture.py with torch " + torch.__version__,
        "size": SIZE,
        "weights": weights,
        "content_pixels": pictures["content"].reshape(-1).tolist(),
        "style_pixels": pictures["style"].reshape(-1).tolist(),
        "start_pixels": start.reshape(-1).tolist(),
        "pixel_order": "rows of pixels, each R G B (0...255)",
        "content": content.item(), "style": style.item(), "tv": tv.item(),
        "gradient_norm": flat.norm().item(),
        "gradient_entries": [[i, flat[i].item()] for i in picked],
        "gradient_order": "(3, H, W) of the preprocessed image, channels B G R",
        "lbfgs_losses": losses,
    }
    with open(OUTPUT, "w") as f:   # one key per line, each list on its line
        f.write("{\n" + ",\n".join(f" {json.dumps(key)}: {json.dumps(value)}" for key, value in fixture.items()) + "\n}\n")
    print(f"wrote {OUTPUT}: loss {content.item() + style.item() + tv.item():.7g} (content {content.item():.7g}, "
          f"style {style.item():.7g}, tv {tv.item():.7g}), |gradient| {flat.norm().item():.7g}, "
          f"L-BFGS {', '.join(f'{v:.7g}' for v in losses)}")


if __name__ == "__main__":
    sys.exit(main())
