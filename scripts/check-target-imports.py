#!/usr/bin/env python3
"""Every module a target imports must be among the target's dependencies in Package.swift. An
incremental build may find such a module anyway (it was built for another target), so a
missing dependency shows only in a clean checkout; this script finds it without one.

    python3 scripts/check-target-imports.py      (from the package's folder; exit 1 if any is missing)
"""
import glob
import json
import re
import subprocess
import sys

package = json.loads(subprocess.run(["swift", "package", "dump-package"], capture_output=True, text=True, check=True).stdout)
names = {target["name"] for target in package["targets"]}
missing_any = False
for target in package["targets"]:
    dependencies = set()
    for dependency in target["dependencies"]:
        for value in dependency.values():
            dependencies.add(value[0] if isinstance(value, list) else value)
    imported = set()
    for path in glob.glob(target["path"] + "/**/*.swift", recursive=True):
        for line in open(path, encoding="utf-8"):
            match = re.match(r"\s*(?:@testable\s+|@_exported\s+)?import\s+(\w+)", line)
            if match and match.group(1) in names:
                imported.add(match.group(1))
    missing = imported - dependencies - {target["name"]}
    if missing:
        missing_any = True
        print(f"{target['name']} imports {', '.join(sorted(missing))} without depending on it")
sys.exit(1 if missing_any else 0)
