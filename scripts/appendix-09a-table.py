#!/usr/bin/env python3
"""Writes the table of Notebooks/09a-runs-and-costs.md from the logs scripts/appendix-09a.sh made:
one row per run, the losses the appendix quotes, between its runs-table markers. The appendix's
prose quotes only numbers this table shows (NotebookTests checks it).

    python3 scripts/appendix-09a-table.py output/appendix-09a Notebooks/09a-runs-and-costs.md
"""
import csv
import os
import re
import sys

RUNS = [  # (the log's name, what the run is, its options)
    ("photo-40-60", "the default: from the photo, 40 at 256 px + 60 at 512", "(none)"),
    ("photo-100-50", "from the photo, 100 + 50", "--iterations 100,50"),
    ("photo-50-50", "from the photo, 50 + 50", "--iterations 50,50"),
    ("photo-one-scale-70", "from the photo, 70 at 512 only", "--scales 1 --iterations 70"),
    ("photo-40-60-history-100", "the default with 100 L-BFGS pairs", "--lbfgs-history 100"),
    ("noise-200-100", "from white noise, 200 + 100", "--init noise --iterations 200"),
    ("noise-one-scale-100", "from white noise, 100 at 512 only", "--init noise --scales 1 --iterations 100"),
]


def e(value):
    """A loss as the appendix writes it: 4.717e6."""
    mantissa, exponent = f"{value:.3e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def rows(path):
    with open(path) as f:
        return [{k: float(v) for k, v in row.items()} for row in csv.DictReader(f)]


def enlargement(log):
    """The first row whose loss jumps (the picture enlarged to the next scale), or None."""
    for i in range(1, len(log)):
        if log[i]["total"] > 5 * log[i - 1]["total"]:
            return i
    return None


def table(folder):
    lines = ["| run | options | row 0 | row 40 | last row at 256 px | first at 512 px | final loss | content | style | total variation | fall per iteration, last 5 |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, what, options in RUNS:
        log = rows(os.path.join(folder, name + ".csv"))
        last = log[-1]
        jump = enlargement(log)
        before, after = (e(log[jump - 1]["total"]), e(log[jump]["total"])) if jump else ("", "")
        fall = 100 * (1 - (log[-1]["total"] / log[-6]["total"]) ** (1 / 5))
        lines.append(f"| {what} | `{options}` | {e(log[0]['total'])} | {e(log[40]['total'])} | {before} | {after} | "
                     f"{e(last['total'])} | {e(last['content'])} | {e(last['style'])} | {e(last['tv'])} | {fall:.2f}% |")
    # The first rows from white noise: L-BFGS's probes, and the seconds each row took.
    noise = rows(os.path.join(folder, "noise-200-100.csv"))
    lines += ["", "The first rows of the run from white noise (L-BFGS's probes; a row whose seconds jump took two evaluations):",
              "", "| iteration | " + " | ".join(str(int(r["iteration"])) for r in noise[:11]) + " |",
              "|---|" + "---|" * 11,
              "| loss | " + " | ".join(e(r["total"]) for r in noise[:11]) + " |",
              "| seconds | " + " | ".join(f"{r['seconds']:.2f}" for r in noise[:11]) + " |"]
    pytorch = os.path.join(folder, "pytorch-lbfgs.txt")
    if os.path.exists(pytorch):
        text = open(pytorch).read()
        found = re.findall(r"^\s*(\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s*$", text, re.M)
        by_iteration = {int(row[0]): row for row in found}
        first, fifth, final = by_iteration[0], by_iteration[5], found[-1]
        lines += ["", "Against PyTorch's L-BFGS (`scripts/pytorch-lbfgs.py`, 256 pixels, free descents, 25 pairs):",
                  "", "| iteration | this project | torch.optim.LBFGS | ratio |", "|---|---|---|---|"]
        for row in (first, fifth, final):
            lines.append(f"| {row[0]} | {e(float(row[1]))} | {e(float(row[2]))} | {float(row[3]):.3f} |")
    return "\n".join(lines)


def main():
    folder, notebook = sys.argv[1], sys.argv[2]
    text = open(notebook).read()
    begin, end = "<!-- runs-table: written by scripts/appendix-09a-table.py -->", "<!-- end runs-table -->"
    if begin not in text or end not in text:
        sys.exit(f"{notebook} has no runs-table markers")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    with open(notebook, "w") as f:
        f.write(head + begin + "\n" + table(folder) + "\n" + end + tail)
    print(f"wrote the runs table of {notebook}")


if __name__ == "__main__":
    main()
