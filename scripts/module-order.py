#!/usr/bin/env python3
"""module-order.py TARGET: the modules TARGET is built from, as Package.swift declares them.

Prints one line per module, "NAME PATH", every module after the modules it depends on and
TARGET last, read from `swift package dump-package` (so a module added to Package.swift is
picked up without editing any list). Fuzz/run compiles the fuzz targets from this.
Exit status 2 when TARGET is not a target of the package.
"""
import json
import subprocess
import sys


def main():
    if len(sys.argv) != 2 or sys.argv[1].startswith("-"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    package = json.loads(subprocess.run(["swift", "package", "dump-package"], check=True,
                                         capture_output=True, text=True).stdout)
    targets = {t["name"]: t for t in package["targets"]}
    if sys.argv[1] not in targets:
        print(f"module-order.py: no target named {sys.argv[1]} in Package.swift", file=sys.stderr)
        return 2

    def dependencies(target):
        # Each dependency is {"byName": [name, condition]} (or "target"/"product" with the name first).
        return [next(iter(d.values()))[0] for d in target["dependencies"]]

    order, seen = [], set()

    def visit(name):
        if name in seen:
            return
        seen.add(name)
        for dependency in dependencies(targets[name]):
            visit(dependency)
        order.append(name)

    visit(sys.argv[1])
    for name in order:
        print(name, targets[name].get("path") or f"Sources/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
