#!/usr/bin/env python3
"""png-bomb-check.py IMAGE-CONVERT: a decompression bomb converts in memory near its size.

Writes a 522 KB PNG that declares 32768x2048 pixels of 16-bit RGBA (537 MB of samples, deflate
at its 1032-to-1 limit), converts it to PAM with the given image-convert binary, and checks
that the process's peak resident memory stayed within 1.5 times the decoded samples
(docs/DESIGN.md, section 8: the PNG decoder unfilters rows as they arrive and the PAM writer
works in pieces). Exit status 0 when it did, 1 when it did not or the conversion failed.
.ci/run runs it against the release build.
"""
import os
import resource
import struct
import subprocess
import sys
import tempfile
import zlib

WIDTH, HEIGHT, BYTES_PER_PIXEL = 32768, 2048, 8   # RGBA, 16 bits per sample
LIMIT = 1.5


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def bomb():
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 16, 6, 0, 0, 0)
    row = b"\x00" + bytes(WIDTH * BYTES_PER_PIXEL)   # filter type None, then zeros
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(HEIGHT)) + compressor.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def main():
    if len(sys.argv) != 2 or sys.argv[1].startswith("-"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    samples = WIDTH * HEIGHT * BYTES_PER_PIXEL
    with tempfile.TemporaryDirectory() as folder:
        source, target = os.path.join(folder, "bomb.png"), os.path.join(folder, "bomb.pam")
        with open(source, "wb") as file:
            file.write(bomb())
        result = subprocess.run([sys.argv[1], source, target], capture_output=True, text=True)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        peak *= 1 if sys.platform == "darwin" else 1024   # bytes on macOS, KiB on Linux
        print(f"png-bomb-check: {os.path.getsize(source)} bytes of PNG, {samples / 1e6:.0f} MB of samples; "
              f"image-convert to PAM: status {result.returncode}, peak {peak / 1e6:.0f} MB "
              f"({peak / samples:.2f} times the samples, at most {LIMIT} allowed)")
        if result.returncode != 0:
            print(result.stderr, file=sys.stderr)
            return 1
        return 0 if peak <= LIMIT * samples else 1


if __name__ == "__main__":
    sys.exit(main())
