#!/usr/bin/env python3
"""Turns the output of `Fuzz/run` runs into the table of Fuzz/README.md.

  fuzz-table.py COMMIT OUTPUT...   one row per OUTPUT (what Fuzz/run printed, saved to a file)

Reads libFuzzer's final statistics (-print_final_stats=1) and the summary line Fuzz/run ends with.
"""
import re, sys

commit, paths = sys.argv[1], sys.argv[2:]
print("| target | commit | seconds | executions | exec/s | coverage (cov / ft) | corpus | peak RSS | crashes, hangs, OOM |")
print("|---|---|---|---|---|---|---|---|---|")
for path in paths:
    text = open(path, errors="replace").read()
    summary = re.findall(r"^(\w+): (\d+) executions, (\d+) crashes$", text, re.M)[-1]
    target, executions, crashes = summary[0], int(summary[1]), int(summary[2])
    done = re.findall(r"Done (\d+) runs in (\d+) second", text)
    seconds = done[-1][1] if done else "?"
    rate = re.findall(r"stat::average_exec_per_sec:\s+(\d+)", text)
    rss = re.findall(r"stat::peak_rss_mb:\s+(\d+)", text)
    cov = re.findall(r"cov: (\d+) ft: (\d+) corp: (\d+)", text)
    c = cov[-1] if cov else ("?", "?", "?")
    row_commit = re.findall(r"^commit (\w+)$", text, re.M)
    print(f"| `{target}` | {row_commit[-1] if row_commit else commit} | {seconds} | {executions:,} | {rate[-1] if rate else '?'} "
          f"| {c[0]} / {c[1]} | {c[2]} | {rss[-1] + ' MB' if rss else '?'} | {crashes} |")
