#!/usr/bin/env python3
"""Draws Notebooks/images/09-pipeline.png, the map of chapter 9: the photo, the painting and the
picture being made, each through VGG19; the layers the content and style losses read; and the
gradient flowing back to the pixels, the only thing that changes.

The diagram is SVG written here, with the three pictures embedded; headless Chromium (the Debian
package `chromium`) renders it to PNG. The picture being made is a run of the project's own
style-transfer from white noise, stopped halfway (made first if missing):

    swift build -c release
    python3 scripts/pipeline-figure.py [--output Notebooks/images/09-pipeline.png]
"""
import argparse
import base64
import os
import shutil
import subprocess
import sys
import tempfile

PHOTO = ".cache/astronaut.png"
PAINTING = "samples/mosaic.png"
STYLE_LAYERS = ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1"]
WIDTH, HEIGHT = 1350, 900


def data_uri(path):
    with open(path, "rb") as f:
        return "data:image/png;base64," + base64.b64encode(f.read()).decode("ascii")


def picture_being_made(folder):
    """Iteration 50 of 100 from white noise at 256 pixels (content weighted 50 so the subject shows)."""
    subprocess.run([".build/release/style-transfer", "--content", PHOTO, "--style", PAINTING, "--init", "noise",
                    "--content-weight", "50", "--size", "256", "--iterations", "100", "--save-every", "50",
                    "--output", os.path.join(folder, "making.png")], check=True, stdout=subprocess.DEVNULL)
    return os.path.join(folder, "making-50.png")


def vgg(x, y, heading, read):
    """VGG19 as its five blocks of convolutions, shrinking as the poolings halve the maps. `read`
    maps a layer name to (colour, "top" or "bottom"): a dot marks where a loss reads that layer.
    Returns the drawing, each read layer's dot and the right end."""
    parts = [f'<text x="{x}" y="{y - 44}" class="small">{heading}</text>']
    blocks = [(2, 64), (2, 128), (4, 256), (4, 512), (4, 512)]
    left = x
    dots = {}
    for i, (convolutions, channels) in enumerate(blocks):
        height = 78 - 8 * i
        width = 56 + 12 * convolutions
        layers = "relu4_1, 4_2" if i == 3 else f"relu{i + 1}_1"
        parts.append(f'<rect x="{left}" y="{y - height / 2}" width="{width}" height="{height}" rx="6" class="block"/>')
        for line, (text, kind) in enumerate([(f"block {i + 1}", "tiny"), (f"{channels} maps", "tiny"), (layers, "layer")]):
            parts.append(f'<text x="{left + width / 2}" y="{y - 8 + 13 * line}" class="{kind}" text-anchor="middle">{text}</text>')
        for layer, offset in [(f"relu{i + 1}_1", 14), ("relu4_2" if i == 3 else None, 34)]:
            if layer in read:
                colour, side = read[layer]
                dot = (left + offset, y - height / 2 if side == "top" else y + height / 2)
                parts.append(f'<circle cx="{dot[0]}" cy="{dot[1]}" r="6" fill="{colour}" stroke="white" stroke-width="1.5"/>')
                dots[layer] = dot
        left += width + 16
    return "\n".join(parts), dots, left


def box(x, y, width, colour, title, line):
    """A rounded box centred on height y, its title in the colour of its arrows."""
    return (f'<rect x="{x}" y="{y - 32}" width="{width}" height="64" rx="8" class="box" stroke="{colour}"/>'
            f'<text x="{x + 12}" y="{y - 8}" class="label" fill="{colour}">{title}</text>'
            f'<text x="{x + 12}" y="{y + 16}" class="small">{line}</text>')


def arrow(d, colour, marker, width=2):
    return f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{width}" marker-end="url(#{marker})"/>'


def svg(photo, painting, making):
    content, style, gradient = "#1f6fb4", "#c2571a", "#c0392b"
    rows = {"photo": 150, "picture": 430, "painting": 770}
    x0, image, vx = 40, 170, 300
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}">',
           """<style>
             text { font-family: 'DejaVu Sans', Verdana, sans-serif; fill: #222; }
             .title { font-size: 22px; font-weight: bold; }
             .label { font-size: 16px; font-weight: bold; }
             .small { font-size: 14px; }
             .tiny { font-size: 11px; fill: #444; }
             .layer { font-size: 11px; fill: #000; font-weight: bold; }
             .block { fill: #eef1f5; stroke: #8a94a3; stroke-width: 1.2; }
             .box { fill: white; stroke-width: 2; }
           </style>""",
           f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
           '<defs>' + "".join(
               f'<marker id="{name}" markerWidth="10" markerHeight="10" refX="8" refY="5" orient="auto">'
               f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
               for name, colour in [("blue", content), ("orange", style), ("red", gradient), ("grey", "#666")]) + '</defs>',
           f'<text x="{x0}" y="36" class="title">Styling an image: three pictures through one fixed network, and only one of them changes</text>']

    # The three pictures, each into VGG19.
    for key, uri, caption, note in [("photo", photo, "the photo", "the content"),
                                    ("picture", making, "the picture being made", "starts as white noise"),
                                    ("painting", painting, "the painting", "the style")]:
        y = rows[key] - image / 2
        frame = f' stroke="{gradient}" stroke-width="4"' if key == "picture" else ' stroke="#999" stroke-width="1"'
        out.append(f'<image x="{x0}" y="{y}" width="{image}" height="{image}" href="{uri}" preserveAspectRatio="xMidYMid slice"/>')
        out.append(f'<rect x="{x0}" y="{y}" width="{image}" height="{image}" fill="none"{frame}/>')
        out.append(f'<text x="{x0}" y="{y + image + 20}" class="label">{caption}</text>')
        out.append(f'<text x="{x0}" y="{y + image + 38}" class="small">{note}</text>')
        out.append(arrow(f"M{x0 + image + 8},{rows[key]} L{vx - 10},{rows[key]}", "#666", "grey"))

    every_style_layer = lambda side: {layer: (style, side) for layer in STYLE_LAYERS}
    drawing, photo_dots, end = vgg(vx, rows["photo"], "VGG19, its weights fixed: once, before the run",
                                   {"relu4_2": (content, "top")})
    out.append(drawing)
    drawing, picture_dots, _ = vgg(vx, rows["picture"], "the same VGG19: forward, then backward, at every iteration",
                                   {**every_style_layer("bottom"), "relu4_2": (content, "top")})
    out.append(drawing)
    drawing, painting_dots, _ = vgg(vx, rows["painting"], "the same VGG19: once, before the run", every_style_layer("bottom"))
    out.append(drawing)

    # The targets, computed once, and the losses of the picture being made.
    bx, bw = end + 40, 232
    content_y, style_y = rows["picture"] - 140, rows["picture"] + 130
    out.append(box(bx, rows["photo"], bw, content, "P: the photo's maps", "at relu4_2, the content layer"))
    out.append(box(bx, content_y, bw, content, "content loss", "mean (F - P)^2, relu4_2"))
    out.append(box(bx, style_y, bw, style, "style loss", "mean (G - A)^2, five layers"))
    out.append(box(bx, rows["painting"], bw, style, "A: the painting's Gram", "matrices, relu1_1 ... relu5_1"))
    px, py = photo_dots["relu4_2"]
    out.append(arrow(f"M{px},{py - 6} C{px},{py - 50} {bx - 70},{rows['photo'] - 40} {bx - 4},{rows['photo'] - 12}", content, "blue", 2.5))
    out.append(arrow(f"M{bx + bw / 2},{rows['photo'] + 34} L{bx + bw / 2},{content_y - 36}", content, "blue"))
    fx, fy = picture_dots["relu4_2"]
    out.append(arrow(f"M{fx},{fy - 6} C{fx},{fy - 90} {bx - 90},{content_y} {bx - 4},{content_y}", content, "blue", 2.5))
    out.append(f'<text x="{fx + 40}" y="{fy - 40}" class="tiny" fill="{content}">F: the picture\'s maps at relu4_2</text>')
    for layer in STYLE_LAYERS:
        sx, sy = picture_dots[layer]
        out.append(arrow(f"M{sx},{sy + 6} C{sx},{sy + 60} {bx - 120},{style_y} {bx - 4},{style_y}", style, "orange", 1.6))
        tx_, ty_ = painting_dots[layer]
        out.append(arrow(f"M{tx_},{ty_ + 6} C{tx_},{ty_ + 50} {bx - 100},{rows['painting'] + 30} {bx - 4},{rows['painting'] + 12}", style, "orange", 1.6))
    out.append(f'<text x="{vx + 230}" y="{rows["picture"] + 170}" class="tiny" fill="{style}">G: the Gram matrices of the picture\'s maps at the five style layers</text>')
    out.append(arrow(f"M{bx + bw / 2},{rows['painting'] - 34} L{bx + bw / 2},{style_y + 36}", style, "orange"))

    # The total, and its gradient back through the network to the pixels.
    tx, tw = bx + bw + 36, WIDTH - (bx + bw + 36) - 16
    out.append(f'<rect x="{tx}" y="{rows["picture"] - 70}" width="{tw}" height="140" rx="10" class="box" stroke="#222"/>')
    for i, line in enumerate(["total loss", "5 x content", "+ 100 x style", "+ 0.001 x total", "   variation (of the", "   pixels themselves)"]):
        out.append(f'<text x="{tx + 12}" y="{rows["picture"] - 44 + 21 * i}" class="{"label" if i == 0 else "small"}">{line}</text>')
    out.append(arrow(f"M{bx + bw + 4},{content_y} L{tx - 6},{rows['picture'] - 40}", content, "blue"))
    out.append(arrow(f"M{bx + bw + 4},{style_y} L{tx - 6},{rows['picture'] + 40}", style, "orange"))
    gy = rows["picture"] + 200
    out.append(f'<path d="M{tx + tw / 2},{rows["picture"] + 74} L{tx + tw / 2},{gy} '
               f'L{x0 + image + 34},{gy} L{x0 + image + 34},{rows["picture"] + 50} L{x0 + image + 12},{rows["picture"] + 50}" fill="none" stroke="{gradient}" stroke-width="4" '
               f'stroke-dasharray="10,6" marker-end="url(#red)"/>')
    out.append(f'<text x="{x0 + image + 50}" y="{gy + 26}" class="label" fill="{gradient}">the gradient of the total with respect to every pixel, backward through VGG19 (chapter 7);</text>')
    out.append(f'<text x="{x0 + image + 50}" y="{gy + 46}" class="label" fill="{gradient}">L-BFGS moves the pixels, and round again. The network and the two targets never change.</text>')
    out.append('</svg>')
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default="Notebooks/images/09-pipeline.png")
    args = parser.parse_args()
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        sys.exit("pipeline-figure.py: needs headless Chromium (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory() as folder:
        making = picture_being_made(folder)
        page = os.path.join(folder, "pipeline.html")
        with open(page, "w") as f:
            f.write('<!doctype html><html><body style="margin:0">' +
                    svg(data_uri(PHOTO), data_uri(PAINTING), data_uri(making)) + "</body></html>")
        shot = os.path.join(folder, "shot.png")
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--window-size={WIDTH},{HEIGHT}", f"--screenshot={shot}", "file://" + page],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Through the project's own reader and writer, so the figure is a plain PNG it can read.
        subprocess.run([".build/release/image-convert", shot, args.output], check=True, stdout=subprocess.DEVNULL)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
