#!/usr/bin/env python3
"""The benchmark's workload (docs/DESIGN.md, section 4) in PyTorch, to compare back to back.

One loss+gradient evaluation: a 3 x S x S image through VGG19 from conv1_1 to relu5_1 (max
pooling), content loss on relu4_2, style loss (Gram matrices, neural-style's normalisation) on
relu1_1 ... relu5_1, total variation, and the gradient with respect to the image only. Random
weights of VGG19's shapes. Both of PyTorch's CPU layouts are timed (NCHW and channels_last);
the faster is "PyTorch's best layout". Prints one line per size and layout:

    pytorch size 512 nchw: 4323 ms per loss+gradient (runs ...)

    python3 scripts/pytorch-benchmark.py [--sizes 256,512] [--runs 5] [--threads 2]
"""
import argparse
import statistics
import time

import torch
import torch.nn.functional as F

# (input channels, output channels) of VGG19's convolutions up to conv5_1, "M" for a pooling.
LAYERS = [(3, 64), (64, 64), "M", (64, 128), (128, 128), "M", (128, 256), (256, 256), (256, 256), (256, 256), "M",
          (256, 512), (512, 512), (512, 512), (512, 512), "M", (512, 512)]
STYLE = {0, 2, 4, 8, 12}  # relu1_1, relu2_1, relu3_1, relu4_1, relu5_1 by convolution index
CONTENT = 9              # relu4_2


def make_weights(seed):
    g = torch.Generator().manual_seed(seed)
    weights = []
    for layer in LAYERS:
        if layer == "M":
            continue
        c, k = layer
        weights.append((torch.randn(k, c, 3, 3, generator=g) * (2 / (9 * c)) ** 0.5, torch.zeros(k)))
    return weights


def features(x, weights):
    out, n = {}, 0
    for layer in LAYERS:
        if layer == "M":
            x = F.max_pool2d(x, 2)
            continue
        w, b = weights[n]
        x = F.relu(F.conv2d(x, w, b, padding=1))
        if n in STYLE or n == CONTENT:
            out[n] = x
        n += 1
    return out


def gram(f):
    _, c, h, w = f.shape
    m = f.reshape(c, h * w)
    return m @ m.t() / (c * h * w)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="256,512")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    weights = make_weights(7)
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads, MKLDNN {torch.backends.mkldnn.is_available()}")
    for size in [int(s) for s in args.sizes.split(",")]:
        for layout in ("nchw", "channels_last"):
            fmt = torch.channels_last if layout == "channels_last" else torch.contiguous_format
            ws = [(w.contiguous(memory_format=fmt), b) for w, b in weights]
            content = (torch.rand(1, 3, size, size) * 200 - 100).contiguous(memory_format=fmt)
            style = (torch.rand(1, 3, size, size) * 200 - 100).contiguous(memory_format=fmt)
            with torch.no_grad():
                target_content = features(content, ws)[CONTENT]
                target_grams = {n: gram(f) for n, f in features(style, ws).items() if n in STYLE}
            image = (torch.rand(1, 3, size, size) * 200 - 100).contiguous(memory_format=fmt).requires_grad_(True)

            def evaluate():
                image.grad = None
                f = features(image, ws)
                loss = 5 * ((f[CONTENT] - target_content) ** 2).mean()
                for n in STYLE:
                    loss = loss + 100 * ((gram(f[n]) - target_grams[n]) ** 2).mean()
                dy = image[:, :, 1:, :] - image[:, :, :-1, :]
                dx = image[:, :, :, 1:] - image[:, :, :, :-1]
                loss = loss + 1e-3 * 0.5 * ((dy ** 2).sum() + (dx ** 2).sum())
                loss.backward()

            evaluate()  # warm-up
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                evaluate()
                times.append(time.perf_counter() - start)
            runs = " ".join(str(round(t * 1000)) for t in times)
            print(f"pytorch size {size} {layout}: {round(statistics.median(times) * 1000)} ms per loss+gradient (runs {runs})")


if __name__ == "__main__":
    main()
