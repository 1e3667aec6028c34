#!/usr/bin/env python3
"""Writes docs/RESULTS.md: what the project's own commands cost on the machine it runs on, each figure
with the machine's kind, its cores, the date and the commit. The one page that carries
measured figures; the README, the notebooks and DESIGN link to it.

    swift build -c release                     (the script times the release binaries)
    python3 scripts/results-page.py [--runs 4] [--sizes 256,512] [--demos] [--formats] [--print PHOTO-16x9]
                                    [--output docs/RESULTS.md]

It runs, alternating where two things are compared:
  - `benchmark --sizes SIZES --runs RUNS` (one VGG19 loss+gradient evaluation, docs/DESIGN.md
    section 6) and, where PyTorch is installed, `scripts/pytorch-benchmark.py` on the same
    workload, three times each, reporting every run's median and their ratio;
  - the default run, `style-transfer` with no options, under `/usr/bin/time -v`, then the same with
    `--free-descent`, alternating (--box-rounds, default 1): the seconds per iteration from each
    log, and the loss of each picture measured again from its file (`--init FILE --iterations 0
    --scales 1`), with the share of its values at 0 or 255;
  - each convolution alone at the largest size (the benchmark's table, and its chart copied to
    docs/results/);
  - with --demos, the demos of chapters 7, 8 and 10 with no options, under `/usr/bin/time -v`;
  - with --formats, inflating a zlib stream against Python's zlib, and decoding a JPEG sample
    against libjpeg-turbo through Pillow where Pillow is installed;
  - with --print, the 3840x2160 recipe's last scale (tiles in 4 GB, Adam and L-BFGS, 3 iterations
    each) from the 16:9 photo given, or the rocket sample cropped to 16:9.
"""
import argparse
import datetime
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RELEASE = os.path.join(ROOT, ".build", "release")


def run(arguments, **options):
    return subprocess.run(arguments, cwd=ROOT, capture_output=True, text=True, **options)


def machine():
    """The processor's name, its widest vectors, its cores, the system."""
    name, flags = platform.processor() or platform.machine(), set()
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name") and name in ("", platform.machine(), "x86_64"):
                name = line.split(":", 1)[1].strip()
            if line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
    except OSError:
        pass
    if platform.machine() in ("arm64", "aarch64"):
        vectors = "NEON"
    elif "avx512f" in flags:
        vectors = "AVX-512 (with AVX2 and FMA)"
    elif "avx2" in flags:
        vectors = "AVX2 with FMA, no AVX-512"
    else:
        vectors = "no AVX2"
    return f"{name}, {vectors}, {os.cpu_count()} cores, {platform.system()} {platform.machine()}"


def commit():
    head = run(["git", "rev-parse", "--short", "HEAD"]).stdout.strip() or "unknown"
    dirty = run(["git", "status", "--porcelain", "--untracked-files=no"]).stdout.strip()
    return head + (" with uncommitted changes" if dirty else "")


def benchmark(sizes, runs, charts):
    """Our median ms per evaluation, by size, and the per-layer table printed for each size; the
    per-layer charts go to the folder `charts`."""
    out = run([os.path.join(RELEASE, "benchmark"), "--sizes", sizes, "--runs", str(runs), "--output", charts]).stdout
    medians = {int(m.group(1)): float(m.group(2)) for m in re.finditer(r"^size (\d+): (\d+) ms", out, re.M)}
    tables, size = {}, None
    for line in out.splitlines():
        found = re.match(r"^size (\d+):", line)
        if found:
            size = int(found.group(1))
        elif size and re.match(r"^  (layer |conv\d_\d)", line):
            tables.setdefault(size, []).append(line.strip())
    return medians, tables


def pytorch(sizes, runs):
    """PyTorch's best layout's median ms, by size, or None without PyTorch."""
    if run([sys.executable, "-c", "import torch"]).returncode != 0:
        return None
    out = run([sys.executable, "scripts/pytorch-benchmark.py", "--sizes", sizes, "--runs", str(runs)]).stdout
    best = {}
    for m in re.finditer(r"^pytorch size (\d+) (\S+): (\d+) ms", out, re.M):
        size, ms = int(m.group(1)), float(m.group(3))
        best[size] = min(best.get(size, ms), ms)
    version = re.search(r"^PyTorch ([^\s,]+)", out, re.M)
    return best, (version.group(1) if version else "?")


def timed(arguments):
    """Wall seconds, peak resident MB and the last lines of a program run under /usr/bin/time -v."""
    result = run(["/usr/bin/time", "-v"] + arguments)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", result.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    seconds = 0.0
    if wall:
        for part in wall.group(1).split(":"):
            seconds = seconds * 60 + float(part)
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    return seconds, (int(rss.group(1)) / 1024 if rss else 0), lines, result.returncode


def seconds_per_iteration(log):
    """From a --log CSV: the seconds from the first row to the last, per iteration."""
    with open(log) as f:
        rows = [line.split(",") for line in f.read().splitlines()[1:] if line]
    return (float(rows[-1][5]) - float(rows[0][5])) / max(1, int(rows[-1][0]))


def written_loss(picture, folder):
    """The loss of a picture file measured from the file alone, as the last line's words say it."""
    result = run([os.path.join(RELEASE, "style-transfer"), "--init", picture, "--iterations", "0", "--scales", "1",
                  "--output", os.path.join(folder, "measured.png")])
    found = re.search(r"final loss (\S+) \(content (\S+), style (\S+), tv (\S+)\)", result.stdout)
    return found.group(1) if found else "?", found.group(3) if found else "?"


def extremes(picture, folder):
    """The share of a picture's values at 0 and at 255 (read through image-convert's PAM)."""
    pam = os.path.join(folder, "extremes.pam")
    run([os.path.join(RELEASE, "image-convert"), picture, pam])
    with open(pam, "rb") as f:
        data = f.read()
    values = data[data.index(b"ENDHDR\n") + 7:]
    return values.count(0) / len(values), values.count(255) / len(values)


def box_comparison(folder, rounds):
    """The default run in the box and freely, alternating: rows (how, wall, s/iteration, evaluations, written loss, style, at 0, at 255)."""
    rows = []
    for round_ in range(rounds):
        for how, extra in (("in the box (default)", []), ("--free-descent", ["--free-descent"])):
            name = "box" if not extra else "free"
            picture, log = os.path.join(folder, f"{name}-{round_}.png"), os.path.join(folder, f"{name}-{round_}.csv")
            seconds, _, lines, status = timed([os.path.join(RELEASE, "style-transfer"), "--output", picture, "--log", log] + extra)
            evaluations = re.search(r"\((\d+) loss evaluations\)", " ".join(lines))
            loss, style = written_loss(picture, folder)
            at0, at255 = extremes(picture, folder)
            rows.append((how, minutes(seconds), f"{seconds_per_iteration(log):.3f}", evaluations.group(1) if evaluations else "?",
                         loss, style, f"{100 * at0:.1f}%", f"{100 * at255:.1f}%"))
    return rows


def formats(folder):
    """Inflate against zlib, and JPEG decoding against Pillow's libjpeg-turbo where installed, two
    alternating rounds: table rows (what, round 1, round 2)."""
    import zlib
    rows = {}
    def add(what, value):
        rows.setdefault(what, []).append(value)
    weights = os.path.join(ROOT, ".cache", "vgg19_weights_tf_dim_ordering_tf_kernels_notop_q.bin")
    jpeg = os.path.join(ROOT, ".cache", "hubble_deep_field.jpg")
    pillow = run([sys.executable, "-c", "import PIL"]).returncode == 0
    stream = os.path.join(folder, "weights.zz")
    if os.path.exists(weights):
        with open(weights, "rb") as source, open(stream, "wb") as out:
            out.write(zlib.compress(source.read(), 6))
    for _ in range(2):
        if os.path.exists(weights):
            ours = run([os.path.join(RELEASE, "compression-benchmark"), "--runs", "9", "inflate", stream]).stdout
            for kind in ("fast", "simple"):
                found = re.search(kind + r" inflate: +median \S+ ms, (\d+) MB/s", ours)
                add(f"inflate, ours ({kind}), MB/s of output", found.group(1) if found else "?")
            theirs = run([sys.executable, "scripts/compare-with-zlib.py", "inflate", stream, "9"]).stdout
            found = re.search(r"^zlib (\S+):.*, (\d+) MB/s", theirs, re.M)
            add(f"inflate, zlib {found.group(1) if found else ''} through Python, MB/s", found.group(2) if found else "?")
        if os.path.exists(jpeg):
            ours = run([os.path.join(RELEASE, "compression-benchmark"), "--runs", "9", "jpeg", jpeg]).stdout
            for kind in ("every core", "one core"):
                found = re.search(kind + r": median \S+ ms, ([\d.]+) megapixels/s", ours)
                add(f"JPEG, ours ({kind}), megapixels/s", found.group(1) if found else "?")
            if pillow:
                theirs = run([sys.executable, "scripts/jpeg-speed.py", jpeg, "9"]).stdout
                found = re.search(r"libjpeg-turbo (\S+):.* ([\d.]+) megapixels/s", theirs)
                add(f"JPEG, libjpeg-turbo {found.group(1) if found else ''} through Pillow (one core), megapixels/s",
                    found.group(2) if found else "?")
    return rows


def rocket_16x9(folder):
    """The rocket sample (640x427) cropped to 640x360, its middle rows, as a PNG: the print's photo."""
    source = os.path.join(ROOT, ".cache", "rocket.jpg")
    ppm = os.path.join(folder, "rocket.ppm")
    run([os.path.join(RELEASE, "image-convert"), source, ppm], check=True)
    data = open(ppm, "rb").read()
    fields, position = [], 0
    while len(fields) < 4:
        while data[position:position + 1].isspace():
            position += 1
        end = position
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[position:end])
        position = end
    width, height = int(fields[1]), int(fields[2])
    pixels = data[position + 1:]
    top = (height - 360) // 2
    cropped = os.path.join(folder, "rocket-16x9.ppm")
    with open(cropped, "wb") as out:
        out.write(b"P6\n%d 360\n255\n" % width + pixels[top * width * 3:(top + 360) * width * 3])
    png = os.path.join(folder, "rocket-16x9.png")
    run([os.path.join(RELEASE, "image-convert"), cropped, png], check=True)
    return png


def minutes(seconds):
    return f"{int(seconds // 60)} min {seconds % 60:04.1f} s" if seconds >= 60 else f"{seconds:.1f} s"


def main():
    parser = argparse.ArgumentParser(description="Writes docs/RESULTS.md from the project's own commands.")
    parser.add_argument("--runs", type=int, default=4, help="benchmark runs per size (default 4)")
    parser.add_argument("--sizes", default="256,512", help="benchmark sizes (default 256,512)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of ours and PyTorch's (default 3)")
    parser.add_argument("--demos", action="store_true", help="also time the demos of chapters 7, 8 and 10")
    parser.add_argument("--formats", action="store_true", help="also time inflate against zlib and JPEG decoding against Pillow")
    parser.add_argument("--print", dest="print_photo", nargs="?", const="rocket",
                        help="also time the 3840x2160 recipe's last scale, from a 16:9 photo (default: the rocket sample cropped to 16:9)")
    parser.add_argument("--box-rounds", type=int, default=1, help="alternating rounds of the default run in the box and freely (default 1)")
    parser.add_argument("--output", default=os.path.join(ROOT, "docs", "RESULTS.md"))
    args = parser.parse_args()
    for program in ("benchmark", "style-transfer"):
        if not os.path.exists(os.path.join(RELEASE, program)):
            sys.exit(f"results-page: no {program} in .build/release: run `swift build -c release` first")

    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    where = f"{machine()}; commit {commit()}; {stamp}"
    print(f"measuring on {where}", file=sys.stderr)

    ours, theirs, torch_version, layer_tables = {}, {}, None, {}
    charts = os.path.join(os.path.dirname(args.output), "results")
    os.makedirs(charts, exist_ok=True)
    for _ in range(args.rounds):
        medians, layer_tables = benchmark(args.sizes, args.runs, charts)
        for size, ms in medians.items():
            ours.setdefault(size, []).append(ms)
        measured = pytorch(args.sizes, args.runs)
        if measured:
            best, torch_version = measured
            for size, ms in best.items():
                theirs.setdefault(size, []).append(ms)

    with tempfile.TemporaryDirectory() as folder:
        seconds, rss, lines, status = timed([os.path.join(RELEASE, "style-transfer"), "--output", os.path.join(folder, "default.png")])
        kept = [l.replace(folder + os.sep, "") for l in lines if l.startswith("wrote") or l.startswith("peak")]
        default = (seconds, rss, kept, status)
        box = box_comparison(folder, args.box_rounds)
        demos = []
        if args.demos:
            for demo in ("content-demo", "style-demo", "perceptual-control-demo"):
                seconds, rss, _, status = timed([os.path.join(RELEASE, demo), "--output", os.path.join(folder, demo)])
                demos.append((demo, seconds, rss, status))
        format_lines = formats(folder) if args.formats else {}
        prints = []
        if args.print_photo:
            photo = rocket_16x9(folder) if args.print_photo == "rocket" else args.print_photo
            for optimiser in ("adam", "lbfgs"):
                command = [os.path.join(RELEASE, "style-transfer"), "--content", photo, "--size", "3840", "--scales", "1",
                           "--init", "content", "--iterations", "3", "--optimizer", optimiser, "--style-scale", "0.5",
                           "--max-memory", "4G", "--output", os.path.join(folder, f"print-{optimiser}.png")]
                seconds, rss, lines, status = timed(command)
                plan = [l for l in lines if "scale 1:" in l]
                prints.append((optimiser, seconds, rss, plan[0].strip() if plan else "", status))

    text = [
        "# Results",
        "",
        "What this project's own commands cost, measured by `scripts/results-page.py`, which wrote",
        "this page; run it again to measure your machine (`swift build -c release` first). Nothing",
        "here is edited by hand. Timings on a shared machine move from run to run: each comparison",
        "alternates the two sides, and every run is listed.",
        "",
        f"Measured on: {where}.",
        "",
        "## One loss+gradient evaluation",
        "",
        f"`benchmark --sizes {args.sizes} --runs {args.runs}` (VGG19 up to relu5_1 on random weights of its shapes, the",
        "style-transfer loss, the gradient with respect to the pixels: docs/DESIGN.md, section 6), median of",
        f"each call, {args.rounds} calls" + (f", alternating with `scripts/pytorch-benchmark.py` (PyTorch {torch_version}, its faster layout)." if torch_version else "; PyTorch is not installed here."),
        "",
        "| size | ours, ms | PyTorch, ms | ours / PyTorch |" if torch_version else "| size | ours, ms |",
        "|---|---|---|---|" if torch_version else "|---|---|",
    ]
    for size in sorted(ours):
        mine = ours[size]
        row = f"| {size} | {', '.join(f'{x:.0f}' for x in mine)} (median {statistics.median(mine):.0f})"
        if torch_version and size in theirs:
            other = theirs[size]
            row += f" | {', '.join(f'{x:.0f}' for x in other)} (median {statistics.median(other):.0f}) | {statistics.median(mine) / statistics.median(other):.2f} |"
        else:
            row += " |"
        text.append(row)
    seconds, rss, lines, status = default
    text += [
        "",
        "## The default run",
        "",
        "`/usr/bin/time -v .build/release/style-transfer` with no options: the astronaut photo in the style of",
        "`samples/mosaic.png`, 512 pixels, 40 L-BFGS iterations at 256 then 60 at 512, from the photo.",
        "",
        f"- wall time {minutes(seconds)}, peak resident memory {rss:.0f} MB" + ("" if status == 0 else f", exit status {status}"),
    ] + [f"- `{line}`" for line in lines] + [
        "",
        "## In the box or free",
        "",
        "The default run again, descending with the pixels kept in 0...255 (the default, chapter 6b) and with",
        "`--free-descent` (the writer clipping), alternating. Seconds per iteration from each run's `--log`",
        "(first row to last, over 100 iterations); the written loss measured from the file alone",
        "(`style-transfer --init FILE --iterations 0 --scales 1`); the share of the file's values at 0 and 255.",
        "",
        "| descent | wall time | s / iteration | loss evaluations | written loss | its style part | at 0 | at 255 |",
        "|---|---|---|---|---|---|---|---|",
    ] + [f"| {' | '.join(row)} |" for row in box]
    if layer_tables:
        size = max(layer_tables)
        for name in os.listdir(charts):
            if name != f"layers-{size}.svg":
                os.remove(os.path.join(charts, name))
        text += [
            "",
            f"## Each convolution alone at {size}x{size}",
            "",
            "From the last `benchmark` call above: each convolution forward (with its ReLU) and its input",
            "gradient, fastest of 3. GFLOP/s counts a direct convolution's 2 x 9 x C x K x H x W operations, so",
            "with Winograd it is an *effective* rate (Notebooks/C-kernels.md explains the kernels).",
            "",
            "```",
        ] + layer_tables[size] + [
            "```",
            "",
            f"![Effective GFLOP/s per layer at {size}x{size}](results/layers-{size}.svg)",
        ]
    if demos:
        text += [
            "",
            "## The demos",
            "",
            "Each with no options, under `/usr/bin/time -v` (they fetch nothing: the weights and samples are cached).",
            "",
            "| demo | wall time | peak resident memory |",
            "|---|---|---|",
        ] + [f"| `{demo}` | {minutes(seconds)} | {rss:.0f} MB{'' if status == 0 else f' (exit {status})'} |" for demo, seconds, rss, status in demos]
    if format_lines:
        text += [
            "",
            "## Reading files",
            "",
            "`compression-benchmark --runs 9 inflate` on the VGG19 weight file compressed by Python's zlib at level 6,",
            "against `scripts/compare-with-zlib.py inflate` on the same stream; `compression-benchmark --runs 9 jpeg`",
            "on the 1000x872 baseline sample `hubble_deep_field.jpg`, against `scripts/jpeg-speed.py`" + ("" if any("libjpeg" in k for k in format_lines) else " (Pillow is not installed here, so libjpeg-turbo was not timed)") + ". Two alternating rounds.",
            "",
            "| | round 1 | round 2 |",
            "|---|---|---|",
        ] + [f"| {what} | {' | '.join(values)} |" for what, values in format_lines.items()]
    if prints:
        text += [
            "",
            "## A 3840x2160 print in 4 GB",
            "",
            f"The recipe's last scale alone: `style-transfer --content {'rocket-16x9.png' if args.print_photo == 'rocket' else os.path.basename(args.print_photo)} --size 3840 --scales 1 --init content",
            "--iterations 3 --optimizer OPT --style-scale 0.5 --max-memory 4G` under `/usr/bin/time -v`.",
            "",
            "| optimiser | plan | wall time | peak resident memory |",
            "|---|---|---|---|",
        ]
        for optimiser, seconds, rss, plan, status in prints:
            text.append(f"| {optimiser} | {plan} | {minutes(seconds)} | {rss:.0f} MB{'' if status == 0 else f' (exit {status})'} |")
    temporary = args.output + ".tmp"
    with open(temporary, "w") as out:
        out.write("\n".join(text) + "\n")
    os.replace(temporary, args.output)
    print(f"wrote {os.path.relpath(args.output, ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
