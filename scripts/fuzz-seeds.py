#!/usr/bin/env python3
"""Makes the seed corpora of Fuzz/Corpus/ (run from the repository root).

Seeds are small files the project makes or may ship: PngSuite images (licensed for any use), the
JPEG test fixtures (made by cjpeg from a crop of the project's own figure), Netpbm files, deflate
and zlib streams of every block type made by zlib, zip archives made by Python's zipfile, a PyTorch
legacy weight file made by torch.save, safetensors files, and the live preview's HTTP requests. Small seeds keep the fuzzer fast.
"""
import io, json, os, shutil, struct, sys, zipfile, zlib

root = "Fuzz/Corpus"

def put(target, name, data):
    os.makedirs(os.path.join(root, target), exist_ok=True)
    with open(os.path.join(root, target, name), "wb") as f:
        f.write(data)

# PNG: one PngSuite file of each kind (colour types, depths, interlacing, palettes, tRNS, filters,
# chunk orderings, zlib levels), at most a few hundred bytes each.
suite = "Tests/Formats/ImageFiles/PngSuite"
png_names = ["basn0g01", "basn0g02", "basn0g04", "basn0g08", "basn0g16", "basn2c08", "basn2c16", "basn3p01",
             "basn3p02", "basn3p04", "basn3p08", "basn4a08", "basn4a16", "basn6a08", "basn6a16", "basi0g01",
             "basi2c16", "basi3p02", "basi4a16", "basi6a08", "tbbn0g04", "tbrn2c08", "tbbn3p08", "tm3n3p02",
             "f00n2c08", "f01n2c08", "f02n2c08", "f03n2c08", "f04n2c08", "f99n0g04", "z00n2c08", "z09n2c08",
             "oi4n2c16", "s01i3p01", "s07n3p02", "s39i3p04", "ctzn0g04", "ccwn3p08", "pp0n6a08", "xcsn0g01"]
for name in png_names:
    with open(os.path.join(suite, name + ".png"), "rb") as f:
        put("png", name + ".png", f.read())

# Netpbm: binary and text, gray and colour, 8 and 16 bits, PAM with each tuple type, comments.
put("netpbm", "p5-8bit.pgm", b"P5\n4 3\n255\n" + bytes(range(0, 240, 20)))
put("netpbm", "p5-16bit.pgm", b"P5 2 2 65535\n" + bytes([0, 1, 255, 255, 18, 52, 128, 0]))
put("netpbm", "p6-8bit.ppm", b"P6\n# a comment\n3 2\n255\n" + bytes(range(18)))
put("netpbm", "p6-maxval-1000.ppm", b"P6\n2 1\n1000\n" + bytes([0, 10, 3, 232, 1, 0, 2, 0, 3, 0, 0, 0]))
put("netpbm", "p2-text.pgm", b"P2\n3 2\n15\n0 5 10\n15 3 7\n")
put("netpbm", "p3-text.ppm", b"P3\n2 2\n255\n255 0 0  0 255 0\n0 0 255  255 255 255\n")
put("netpbm", "p7-rgba.pam", b"P7\nWIDTH 2\nHEIGHT 1\nDEPTH 4\nMAXVAL 255\nTUPLTYPE RGB_ALPHA\nENDHDR\n" + bytes(range(8)))
put("netpbm", "p7-gray-alpha-16.pam", b"P7\nWIDTH 1\nHEIGHT 2\nDEPTH 2\nMAXVAL 65535\nTUPLTYPE GRAYSCALE_ALPHA\nENDHDR\n" + bytes(range(8)))
put("netpbm", "p7-gray.pam", b"P7\nWIDTH 3\nHEIGHT 1\nDEPTH 1\nMAXVAL 7\nTUPLTYPE GRAYSCALE\nENDHDR\n" + bytes([0, 3, 7]))

# JPEG: the decoder's own fixtures under 3 KB (baseline in every sampling, progressive, restarts,
# gray, RGB, Exif orientation), and the refused arithmetic-coded one.
jpegs = "Tests/Formats/ImageFiles/JPEG"
for name in sorted(os.listdir(jpegs)):
    path = os.path.join(jpegs, name)
    if name.endswith(".jpg") and os.path.getsize(path) <= 3000 and not name.startswith("exif-orientation-") or name == "exif-orientation-6.jpg":
        with open(path, "rb") as f:
            put("jpeg", name, f.read())

# Inflate: the first byte picks raw (even) or zlib (odd) and the output limit (bits 1-4; 15 = none).
texts = [b"", b"a", b"hello hello hello hello, deflate", bytes(range(256)) * 3, b"abcabcabcabcabcabcabc" * 40,
         bytes((i * 7919) % 251 for i in range(2000))]
for i, text in enumerate(texts):
    for level, strategy, label in [(0, zlib.Z_DEFAULT_STRATEGY, "stored"), (1, zlib.Z_FIXED, "fixed"), (9, zlib.Z_DEFAULT_STRATEGY, "dynamic")]:
        raw = zlib.compressobj(level, zlib.DEFLATED, -15, 9, strategy)
        stream = raw.compress(text) + raw.flush()
        put("inflate", f"raw-{label}-{i}", bytes([0x1E]) + stream)
        wrapped = zlib.compressobj(level, zlib.DEFLATED, 15, 9, strategy)
        put("inflate", f"zlib-{label}-{i}", bytes([0x1F]) + wrapped.compress(text) + wrapped.flush())
put("inflate", "raw-limit-16", bytes([0x08]) + zlib.compress(texts[4])[2:-4])

# Deflate round trip: the first byte picks the level (mod 3) and zlib (top bit); then any bytes.
for i, text in enumerate(texts[1:]):
    put("deflate", f"text-{i}", bytes([i % 3 | (0x80 if i % 2 else 0)]) + text)

# Zip: stored and deflated members, a directory entry, a comment, an empty archive.
def make_zip(members, comment=b""):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data, method in members:
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 28, 0, 0, 0))
            info.compress_type = method
            z.writestr(info, data)
        z.comment = comment
    return buffer.getvalue()
put("zip", "stored-and-deflated.zip", make_zip([("a.txt", texts[2], zipfile.ZIP_STORED), ("pkg/b.bin", texts[4], zipfile.ZIP_DEFLATED)]))
put("zip", "directory-and-comment.zip", make_zip([("pkg/", b"", zipfile.ZIP_STORED), ("pkg/c", texts[5][:300], zipfile.ZIP_DEFLATED)], b"a comment"))
put("zip", "empty.zip", make_zip([]))

# Pickle: PyTorch's legacy format (what the VGG19 .bin uses), a float and a uint8 tensor, one
# of them a non-contiguous view; and a bare protocol-2 pickle.
try:
    import torch
    from collections import OrderedDict
    buffer = io.BytesIO()
    weights = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    state = OrderedDict([("conv.weight", weights), ("conv.bias", torch.tensor([0.5, -1.0])),
                         ("q", torch.tensor([1, 2, 255], dtype=torch.uint8)), ("view", weights.t())])
    torch.save(state, buffer, _use_new_zipfile_serialization=False)
    put("pickle", "legacy-state-dict.bin", buffer.getvalue())
except ImportError:
    print("torch not installed: the pickle seeds keep what Fuzz/Corpus/pickle has", file=sys.stderr)
import pickle
put("pickle", "plain-protocol-2", pickle.dumps({"a": [1, 2.5, "text", None, True], "b": (1 << 70, -3)}, protocol=2))

# Safetensors: F32, F16 and BF16 tensors, metadata, an empty tensor.
def safetensors(tensors, metadata=None):
    header, data = {}, b""
    for name, dtype, shape, payload in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(payload)]}
        data += payload
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header).encode()
    return struct.pack("<Q", len(text)) + text + data
put("safetensors", "three-dtypes.safetensors", safetensors([
    ("w", "F32", [2, 2], struct.pack("<4f", 1, -2, 0.5, 3)),
    ("h", "F16", [3], struct.pack("<3e", 1, -0.25, 65504)),
    ("b", "BF16", [2], bytes([0x80, 0x3F, 0x00, 0xC0]))], {"format": "pt"}))
put("safetensors", "empty-tensor.safetensors", safetensors([("e", "F32", [0, 3], b"")]))

# HTTP: what the live preview's page sends (a picture, the stop button, the event stream).
put("http", "picture.txt", b"GET /picture.png?token=0123456789abcdef0123456789abcdef&n=4 HTTP/1.1\r\n"
    b"Host: 127.0.0.1:8080\r\nUser-Agent: Mozilla/5.0\r\nAccept: image/avif,image/webp,*/*\r\n\r\n")
put("http", "stop.txt", b"POST /stop?token=ab%20cd HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Length: 0\r\n"
    b"Origin: http://127.0.0.1:8080\r\n\r\n")
put("http", "events.txt", b"GET /events?token=x HTTP/1.0\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n"
    b"X-Repeat: a\r\nX-Repeat: b\r\n\r\n")
print("seeds written to", root)
