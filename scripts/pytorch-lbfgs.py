#!/usr/bin/env python3
"""This project's L-BFGS against PyTorch's torch.optim.LBFGS on the same style-transfer problem.

The problem: the sample astronaut photo and samples/mosaic.png, both 256x256 (each pixel the
mean of a 2x2 block of the 512x512 originals, so both programs read identical pictures), the
loss of DESIGN.md section 3 (content relu4_2, style relu1_1..relu5_1, weights 5, 100 and 1e-3,
max pooling), VGG19 with the quantised ImageNet weights the project fetches, starting from the
photo. Both optimisers keep the same number of step pairs and take full steps with no line
search (neural-style's setting), and both let the pixels leave 0...255 (this project's
`--free-descent`: torch.optim.LBFGS knows no bounds). The script runs this project's release
`style-transfer` for one iteration more than PyTorch's (its last row is the picture written, rounded
to 8 bits, which PyTorch has no counterpart of), reads its --log, and prints both curves, row i being
the loss after i steps, and their ratio.

    swift build -c release && .build/release/fetch-samples
    pip install torch numpy
    python3 scripts/pytorch-lbfgs.py [--iterations 50] [--history 25] [--threads 2]

PyTorch computes in float32 on the CPU, as this project does.
"""
import argparse
import csv
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
import ppm  # noqa: E402

BLOCKS = [2, 2, 4, 4, 4]
CONTENT_LAYERS = ["relu4_2"]
STYLE_LAYERS = ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1"]
MEAN_BGR = torch.tensor([103.939, 116.779, 123.68]).view(3, 1, 1)


def read_ppm(path):
    """A binary PPM (P6, 8 bits) as an array (H, W, 3) of uint8."""
    width, height, pixels = ppm.read_ppm_bytes(path)
    return np.frombuffer(pixels, dtype=np.uint8).reshape(height, width, 3)


def write_ppm(path, pixels):
    height, width, _ = pixels.shape
    with open(path, "wb") as f:
        f.write(b"P6\n%d %d\n255\n" % (width, height))
        f.write(pixels.astype(np.uint8).tobytes())


def halved(pixels):
    """Each pixel the mean of a 2x2 block, rounded: 512x512 -> 256x256."""
    h, w, _ = pixels.shape
    blocks = pixels[: h // 2 * 2, : w // 2 * 2].astype(np.float64).reshape(h // 2, 2, w // 2, 2, 3)
    return np.rint(blocks.mean(axis=(1, 3)))


def network(path):
    state = torch.load(path, weights_only=False)
    layers = []
    for b, count in enumerate(BLOCKS, start=1):
        for i in range(1, count + 1):
            name = f"block{b}_conv{i}"
            weight = state[name + "_W_table"].float()[state[name + "_W_q"].long()]
            layers.append((f"relu{b}_{i}", weight, state[name + "_b"].float()))
    return layers


def features(layers, x, wanted):
    """The ReLU outputs named in `wanted`, through the network as far as the deepest of them."""
    out, last = {}, max(i for i, (name, _, _) in enumerate(layers) if name in wanted)
    for index, (name, weight, bias) in enumerate(layers[: last + 1]):
        if index > 0 and name.endswith("_1"):
            x = F.max_pool2d(x, 2)
        x = F.relu(F.conv2d(x, weight, bias, padding=1))
        if name in wanted:
            out[name] = x
    return out


def gram(f):
    _, c, h, w = f.shape
    m = f.reshape(c, h * w)
    return m @ m.t() / (c * h * w)


def preprocess(pixels):
    rgb = torch.tensor(pixels, dtype=torch.float32).permute(2, 0, 1)
    return (rgb.flip(0) - MEAN_BGR).unsqueeze(0).contiguous()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--history", type=int, default=25)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--weights", default=".cache/vgg19_weights_tf_dim_ordering_tf_kernels_notop_q.bin")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    folder = tempfile.mkdtemp(prefix="lbfgs-")
    pictures = {}
    for name, source in [("content", ".cache/astronaut.png"), ("style", "samples/mosaic.png")]:
        full = os.path.join(folder, name + "-512.ppm")
        subprocess.run([".build/release/image-convert", source, full], check=True)
        pictures[name] = halved(read_ppm(full))
        write_ppm(os.path.join(folder, name + ".ppm"), pictures[name])

    # This project's run, from the same files.
    log = os.path.join(folder, "ours.csv")
    subprocess.run([".build/release/style-transfer", "--content", os.path.join(folder, "content.ppm"),
                    "--style", os.path.join(folder, "style.ppm"), "--size", "256", "--scales", "1",
                    "--init", "content", "--iterations", str(args.iterations + 1), "--lbfgs-history", str(args.history),
                    "--free-descent", "--output", os.path.join(folder, "ours.png"), "--log", log],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(log) as f:
        ours = [float(row["total"]) for row in csv.DictReader(f)][:args.iterations + 1]   # after 0 to N steps

    # PyTorch's run.
    layers = network(args.weights)
    with torch.no_grad():
        content_targets = features(layers, preprocess(pictures["content"]), CONTENT_LAYERS)
        style_targets = {k: gram(v) for k, v in features(layers, preprocess(pictures["style"]), STYLE_LAYERS).items()}

    def loss_of(x):
        maps = features(layers, x, CONTENT_LAYERS + STYLE_LAYERS)
        content = sum(5 * ((maps[k] - content_targets[k]) ** 2).mean() for k in CONTENT_LAYERS)
        style = sum(100 * ((gram(maps[k]) - style_targets[k]) ** 2).mean() for k in STYLE_LAYERS)
        tv = 1e-3 * 0.5 * (((x[:, :, 1:, :] - x[:, :, :-1, :]) ** 2).sum() + ((x[:, :, :, 1:] - x[:, :, :, :-1]) ** 2).sum())
        return content + style + tv

    x = preprocess(pictures["content"]).clone().requires_grad_(True)
    optimiser = torch.optim.LBFGS([x], lr=1, max_iter=args.iterations, max_eval=args.iterations * 2,
                                  history_size=args.history, tolerance_grad=-1, tolerance_change=-1)
    theirs = []

    def closure():
        optimiser.zero_grad()
        loss = loss_of(x)
        loss.backward()
        theirs.append(loss.item())
        return loss

    optimiser.step(closure)
    with torch.no_grad():
        theirs.append(loss_of(x).item())   # the loss where the last iteration ended

    print(f"iteration  this project   torch.optim.LBFGS   ratio   (history {args.history}, 256x256, from the photo)")
    for i in sorted(set(list(range(0, args.iterations + 1, 5)) + [args.iterations])):
        if i < len(ours) and i < len(theirs):
            print(f"{i:9d}  {ours[i]:12.5g}   {theirs[i]:17.5g}   {ours[i] / theirs[i]:5.3f}")
    print(f"after {args.iterations} iterations: this project {ours[-1]:.5g}, PyTorch {theirs[-1]:.5g}, "
          f"ratio {ours[-1] / theirs[-1]:.3f} (PyTorch evaluated the loss {len(theirs) - 1} times)")


if __name__ == "__main__":
    sys.exit(main())
