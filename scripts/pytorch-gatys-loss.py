#!/usr/bin/env python3
"""The Gatys loss of written pictures, by an implementation independent of this project's (PyTorch).

For chapter 12's measure of a one-pass network: the loss of docs/DESIGN.md (content relu4_2 with
weight 5, style relu1_1..relu5_1 with weight 100 and neural-style's normalisation, total
variation 1e-3; VGG19 with the quantised weights the project fetches, max pooling) of each
RESULT picture against the PHOTO (at the result's size) and the PAINTING (its longer side
scaled to --style-size, 512 by default). Pictures are made smaller by area averaging (PyTorch's
"area" mode), as the project does: the style loss's shallow layers are sensitive to the fine
texture a blurrier filter would take out, so a resampling other than the one the results were made
against would measure them against another target. Also the
photo's own loss, the yardstick a one-pass result is compared with. With --distances, also chapter
8b's measure of how far a result's feature distributions are from the painting's: per style
layer, the mean over channels of the one-dimensional Wasserstein-1 distance (from 256
quantiles) divided by the painting channel's standard deviation plus one, averaged over the
layers. Pictures are read with the
project's image-convert (to PPM), so the script reads any format the project does.

    swift build -c release
    python3 scripts/pytorch-gatys-loss.py [--distances] --photo PHOTO --painting PAINTING RESULT [RESULT ...]
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from importlib import import_module

lbfgs = import_module("pytorch-lbfgs")   # reading weights and pictures, the network, the Gram matrix


def read(path, folder):
    target = os.path.join(folder, os.path.basename(path) + ".ppm")
    subprocess.run([".build/release/image-convert", path, target], check=True, stdout=subprocess.DEVNULL)
    return lbfgs.read_ppm(target)


def resized(pixels, height, width):
    x = torch.tensor(pixels, dtype=torch.float32).permute(2, 0, 1).unsqueeze(0)
    smaller = height <= x.shape[2] and width <= x.shape[3]
    x = F.interpolate(x, size=(height, width), mode="area") if smaller else F.interpolate(x, size=(height, width), mode="bilinear", align_corners=False)
    return x[0].permute(1, 2, 0).clamp(0, 255).numpy()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photo", required=True)
    parser.add_argument("--painting", required=True)
    parser.add_argument("--style-size", type=int, default=512)
    parser.add_argument("--weights", default=".cache/vgg19_weights_tf_dim_ordering_tf_kernels_notop_q.bin")
    parser.add_argument("--distances", action="store_true",
                        help="also each result's distance from the painting's feature distributions (chapter 8b's measure)")
    parser.add_argument("results", nargs="+")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="gatys-")
    layers = lbfgs.network(args.weights)
    painting = read(args.painting, folder)
    scale = args.style_size / max(painting.shape[:2])
    painting = resized(painting, round(painting.shape[0] * scale), round(painting.shape[1] * scale))
    with torch.no_grad():
        painting_maps = lbfgs.features(layers, lbfgs.preprocess(painting), lbfgs.STYLE_LAYERS)
        style_targets = {k: lbfgs.gram(v) for k, v in painting_maps.items()}
    levels = (torch.arange(256, dtype=torch.float64) + 0.5) / 256

    def quantiles(maps):
        """Each channel's 256 quantiles: maps (1, C, H, W) -> (C, 256), in float64."""
        values = maps[0].reshape(maps.shape[1], -1).double()
        return torch.quantile(values, levels, dim=1).T

    painting_quantiles = {k: quantiles(v) for k, v in painting_maps.items()}
    painting_spread = {k: v[0].reshape(v.shape[1], -1).double().std(dim=1) for k, v in painting_maps.items()}

    def distance(maps):
        """Per style layer, the mean over channels of the one-dimensional Wasserstein-1 distance
        between the picture's activations and the painting's (from 256 quantiles: the mean
        absolute difference of paired quantiles), each divided by the painting channel's
        standard deviation plus one; averaged over the style layers."""
        per_layer = [((quantiles(maps[k]) - painting_quantiles[k]).abs().mean(dim=1) / (painting_spread[k] + 1)).mean().item()
                     for k in lbfgs.STYLE_LAYERS]
        return sum(per_layer) / len(per_layer)
    photo = read(args.photo, folder)

    def loss(picture):
        height, width = picture.shape[:2]
        content_picture = resized(photo, height, width) if photo.shape[:2] != picture.shape[:2] else photo
        with torch.no_grad():
            target = lbfgs.features(layers, lbfgs.preprocess(content_picture), lbfgs.CONTENT_LAYERS)
            x = lbfgs.preprocess(picture)
            maps = lbfgs.features(layers, x, lbfgs.CONTENT_LAYERS + lbfgs.STYLE_LAYERS)
            content = sum(5 * ((maps[k] - target[k]) ** 2).mean() for k in lbfgs.CONTENT_LAYERS).item()
            style = sum(100 * ((lbfgs.gram(maps[k]) - style_targets[k]) ** 2).mean() for k in lbfgs.STYLE_LAYERS).item()
            tv = (1e-3 * 0.5 * (((x[:, :, 1:, :] - x[:, :, :-1, :]) ** 2).sum() + ((x[:, :, :, 1:] - x[:, :, :, :-1]) ** 2).sum())).item()
            w = distance(maps) if args.distances else None
        return content, style, tv, w

    print(f"{'picture':40s} {'content':>12s} {'style':>12s} {'tv':>12s} {'total':>12s}" + (f" {'W1/(std+1)':>12s}" if args.distances else ""))
    first = read(args.results[0], folder)
    for name, picture in [("the photo itself", resized(photo, *first.shape[:2]))] + [(r, read(r, folder)) for r in args.results]:
        content, style, tv, w = loss(np.asarray(picture, dtype=np.float64))
        print(f"{os.path.basename(name)[:40]:40s} {content:12.4e} {style:12.4e} {tv:12.4e} {content + style + tv:12.4e}"
              + (f" {w:12.4f}" if w is not None else ""))


if __name__ == "__main__":
    sys.exit(main())
