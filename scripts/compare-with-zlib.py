#!/usr/bin/env python3
"""The independent side of our compression and PNG checks: Python's zlib and a few lines of
PNG unfiltering, no code of ours.

  compare-with-zlib.py inflate FILE.zz [RUNS]   median time and MB/s of zlib.decompress
  compare-with-zlib.py png OURS.png SOURCE.pam  decode OURS.png with zlib + unfiltering, check it
                                                equals SOURCE.pam's samples, and compare our IDAT
                                                size with zlib level 6 on the same filtered data
"""
import sys, time, zlib, statistics

def inflate(path, runs=7):
    data = open(path, 'rb').read()
    out = zlib.decompress(data)
    times = []
    for _ in range(runs):
        t = time.perf_counter(); zlib.decompress(data); times.append(time.perf_counter() - t)
    m = statistics.median(times)
    print(f"zlib {zlib.ZLIB_RUNTIME_VERSION}: {len(data)} -> {len(out)} bytes, median {m*1000:.1f} ms, {len(out)/1e6/m:.0f} MB/s of output")

def read_pam(path):
    data = open(path, 'rb').read()
    end = data.index(b'ENDHDR\n') + 7
    fields = dict(line.split(' ', 1) for line in data[:end].decode().split('\n')[1:] if ' ' in line)
    w, h, d, maxval = (int(fields[k]) for k in ('WIDTH', 'HEIGHT', 'DEPTH', 'MAXVAL'))
    return w, h, d, maxval, data[end:]

def paeth(a, b, c):
    p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)

def png(ours, source):
    data = open(ours, 'rb').read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n'
    pos, idat, ihdr = 8, b'', None
    while pos < len(data):
        n = int.from_bytes(data[pos:pos+4], 'big'); kind = data[pos+4:pos+8]; body = data[pos+8:pos+8+n]
        assert zlib.crc32(kind + body) == int.from_bytes(data[pos+8+n:pos+12+n], 'big'), kind
        if kind == b'IHDR': ihdr = body
        if kind == b'IDAT': idat += body
        pos += 12 + n
    w, h = int.from_bytes(ihdr[0:4], 'big'), int.from_bytes(ihdr[4:8], 'big')
    depth, ctype = ihdr[8], ihdr[9]
    channels = {0: 1, 4: 2, 2: 3, 6: 4}[ctype]
    bpp = channels * depth // 8
    stride = w * bpp
    filtered = zlib.decompress(idat)
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f, row = filtered[y*(stride+1)], bytearray(filtered[y*(stride+1)+1:(y+1)*(stride+1)])
        for i in range(stride):
            a = row[i-bpp] if i >= bpp else 0; b = prev[i]; c = prev[i-bpp] if i >= bpp else 0
            row[i] = (row[i] + [0, a, b, (a + b) // 2, paeth(a, b, c)][f]) & 255
        rows.append(bytes(row)); prev = row
    pixels = b''.join(rows)
    sw, sh, sd, smax, samples = read_pam(source)
    same = (sw, sh, sd) == (w, h, channels) and samples == pixels
    z6 = len(zlib.compress(filtered, 6))
    print(f"{ours}: {w}x{h}x{channels} {depth}-bit, independent decode {'IDENTICAL to' if same else 'DIFFERS from'} {source}; "
          f"our zlib stream {len(idat)} bytes, zlib level 6 {z6} bytes, ratio {len(idat)/z6:.3f}")
    return same

if __name__ == '__main__':
    if sys.argv[1] == 'inflate':
        inflate(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 7)
    elif sys.argv[1] == 'png':
        sys.exit(0 if png(sys.argv[2], sys.argv[3]) else 1)
