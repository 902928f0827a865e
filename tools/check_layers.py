#!/usr/bin/env python3
"""Fails when a folder of src/ includes a folder that does not sit below it.

The folders are layers: the ground, then the stages in pipeline order, then the drivers that run
them. A stage that reached up into a driver (or two stages that included each other) would let a
change to one driver ripple through every other, which is how the persistent index came to hold a
second copy of the translation scorer. The public headers (include/neardup) may be included from
anywhere and must include none of src/.

The order is the README's table of folders ("How it works"); this script checks that the table
and LAYERS agree, so that the documented architecture is the enforced one.

Usage: check_layers.py PROJECT_ROOT
"""
import pathlib
import re
import sys

LAYERS = ["base", "ingest", "text", "sketch", "shingle", "index", "score", "cluster", "report",
          "batch", "stream", "store", "evaluate", "cli"]

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^/"]+)/')


def main(root: pathlib.Path) -> int:
    problems = []
    src = root / "src"
    folders = sorted(p.name for p in src.iterdir() if p.is_dir())
    if sorted(LAYERS) != folders:
        problems.append(f"src/ holds {folders}, LAYERS in {__file__} names {sorted(LAYERS)}: "
                        "add the new folder to LAYERS and to the README's table, in its place")
    rank = {name: i for i, name in enumerate(LAYERS)}

    for path in sorted(src.rglob("*")):
        if path.suffix not in (".cpp", ".hpp", ".h"):
            continue
        folder = path.relative_to(src).parts[0]
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = INCLUDE.match(line)
            if not match or match.group(1) in ("neardup", folder) or match.group(1) not in rank:
                continue
            target = match.group(1)
            if folder in rank and rank[target] > rank[folder]:
                problems.append(f"{path.relative_to(root)}:{number}: {folder}/ includes {target}/, "
                                f"which sits above it; move the shared part down (to {folder}/ or below)")

    for path in sorted((root / "include").rglob("*.hpp")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = INCLUDE.match(line)
            if match and match.group(1) in rank:
                problems.append(f"{path.relative_to(root)}:{number}: a public header includes src/{match.group(1)}/")

    readme = (root / "README.md").read_text(encoding="utf-8")
    documented = re.findall(r"^\| `src/([a-z_]+)` \|", readme, flags=re.MULTILINE)
    if documented != LAYERS:
        problems.append(f"README.md's folder table lists {documented}, the layers are {LAYERS}: "
                        "keep the table in layer order")

    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"{len(LAYERS)} layers, each including only those below it: " + " < ".join(LAYERS))
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(pathlib.Path(sys.argv[1])))
