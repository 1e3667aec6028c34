#!/usr/bin/env python3
"""The package's dependency graph against its imports, and the two layers kept apart.

1. Every module a target imports must be among its dependencies in Package.swift. An
   incremental build may find such a module anyway (it was built for another target), so a
   missing dependency shows only in a clean checkout; this finds it without one.
2. Every dependency a target declares must be imported by one of its files: a dependency no
   file uses only makes the target build more than it needs.
3. No target under Sources/Chapters, and no demo of chapters 1-5, reaches the engine (the
   targets under Sources/FastEngine) or the thread pool (Parallel) through any chain of
   dependencies: the chapters are the tutorial, in plain Swift.
4. No program for still pictures (style-transfer, and every demo of chapters 1-10) reaches a
   module of video: chapter 11's, the optical flow's or the video run's.

    python3 scripts/check-target-imports.py      (from the package's folder; exit 1 on any finding)
"""
import glob
import json
import re
import subprocess
import sys

package = json.loads(subprocess.run(["swift", "package", "dump-package"], capture_output=True, text=True, check=True).stdout)
targets = {target["name"]: target for target in package["targets"]}


def declared(target):
    names = set()
    for dependency in target["dependencies"]:
        for value in dependency.values():
            names.add(value[0] if isinstance(value, list) else value)
    return names


def imported(target):
    names = set()
    for path in glob.glob(target["path"] + "/**/*.swift", recursive=True):
        for line in open(path, encoding="utf-8"):
            match = re.match(r"\s*(?:@testable\s+|@_exported\s+)?import\s+(\w+)", line)
            if match and match.group(1) in targets and match.group(1) != target["name"]:
                names.add(match.group(1))
    return names


def reach(name, seen=None):
    """Every target `name` depends on, directly or through others."""
    seen = set() if seen is None else seen
    for dependency in declared(targets[name]):
        if dependency in targets and dependency not in seen:
            seen.add(dependency)
            reach(dependency, seen)
    return seen


findings = []
for name, target in targets.items():
    uses, needs = imported(target), declared(target)
    for module in sorted(uses - needs):
        findings.append(f"{name} imports {module} without depending on it")
    for module in sorted(needs - uses):
        findings.append(f"{name} depends on {module} but no file of it imports {module}")

engine = {name for name, target in targets.items() if target["path"].startswith("Sources/FastEngine/")} | {"Parallel"}
early_demos = ["perceptron-demo", "deep-network-demo", "convolutional-network-demo", "receptive-field-demo",
               "shared-weights-demo", "pooling-demo"]
tutorial = [name for name, target in targets.items() if target["path"].startswith("Sources/Chapters/")] + early_demos
for name in tutorial:
    if name not in targets:
        findings.append(f"{name} is not a target (scripts/check-target-imports.py lists the demos of chapters 1-5)")
        continue
    for module in sorted(reach(name) & engine):
        findings.append(f"{name} reaches the engine's {module}")

video = {"VideoStyleTransfer", "FastOpticalFlow", "VideoRun", "StyleVideoCommand"}
still = ["style-transfer", "benchmark", "vgg-demo", "content-demo", "style-demo", "style-distribution-demo", "perceptual-control-demo"] + early_demos
for name in still:
    for module in sorted(reach(name) & video):
        findings.append(f"{name}, a program for still pictures, reaches {module}")

for finding in findings:
    print(finding)
if not findings:
    print(f"{len(targets)} targets: every import declared, every dependency imported; "
          f"{len(tutorial)} chapter and early-demo targets reach none of {', '.join(sorted(engine))}; "
          f"{len(still)} programs for still pictures reach none of {', '.join(sorted(video))}")
sys.exit(1 if findings else 0)
