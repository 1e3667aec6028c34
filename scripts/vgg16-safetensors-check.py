#!/usr/bin/env python3
"""A cross-check of the VGG16 + safetensors path against PyTorch, for when no real VGG16 file
is at hand (torchvision's weights come from download.pytorch.org, not PyPI).

Writes a VGG16 in torchvision's layout (`features.N.weight`, `features.N.bias`) with random
He-scaled weights in F16 to a .safetensors file, written by hand (8-byte header length, JSON
header, raw little-endian data), then runs a photo through it with torchvision's preprocessing
(RGB 0...1, ImageNet mean and std) and max pooling, and prints `reluB_I mean M std S` for every
ReLU, the format of `vgg-demo --stats`. Compare:

    pip install torch numpy
    python3 scripts/vgg16-safetensors-check.py PHOTO.ppm /tmp/vgg16.safetensors > /tmp/torch.txt
    .build/release/vgg-demo --network vgg16 --weights /tmp/vgg16.safetensors --image PHOTO.ppm --stats

The photo must be a binary PPM (P6, maxval 255), so this script needs no image library.
"""
import json
import os
import struct
import sys
import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
import ppm  # noqa: E402

BLOCKS = [(2, 64), (2, 128), (3, 256), (3, 512), (3, 512)]


def read_ppm(path):
    width, height, pixels = ppm.read_ppm_bytes(path)
    pixels = np.frombuffer(pixels, dtype=np.uint8)
    return torch.tensor(pixels.reshape(height, width, 3).astype(np.float32)).permute(2, 0, 1)


def main(photo_path, out_path):
    generator = torch.Generator().manual_seed(16)
    tensors, n, channels = {}, 0, 3
    for convolutions, width in BLOCKS:
        for _ in range(convolutions):
            scale = (2 / (channels * 9)) ** 0.5
            tensors[f"features.{n}.weight"] = (torch.randn(width, channels, 3, 3, generator=generator) * scale).half()
            tensors[f"features.{n}.bias"] = (torch.rand(width, generator=generator) * 0.2 - 0.1).half()
            channels, n = width, n + 2
        n += 1   # the pooling layer
    header, blobs, offset = {}, [], 0
    for name, tensor in tensors.items():
        blob = tensor.numpy().astype("<f2").tobytes()
        header[name] = {"dtype": "F16", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header).encode()
    with open(out_path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))

    mean = torch.tensor([0.485, 0.456, 0.406]).view(3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225]).view(3, 1, 1)
    x = ((read_ppm(photo_path) / 255 - mean) / std).unsqueeze(0).double()
    n = 0
    for b, (convolutions, _) in enumerate(BLOCKS, start=1):
        for i in range(1, convolutions + 1):
            x = F.relu(F.conv2d(x, tensors[f"features.{n}.weight"].double(), tensors[f"features.{n}.bias"].double(), padding=1))
            print(f"relu{b}_{i} mean {x.mean().item():.6g} std {x.std(unbiased=False).item():.6g}")
            n += 2
        x = F.max_pool2d(x, 2)
        n += 1


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
