#!/usr/bin/env bash
# Groups of copies at scale: N copies of one text, and N near-copies (one text with a number of
# its own each), through pairs, cluster and dedup; wall seconds, peak resident memory and lines
# written, each in a fresh process. Copies used to be quadratic: 100,000 of one text died in
# `pairs` at 12.6 GB.
#   bench/copies.sh [N] [BUILD_DIR]      (default: 100000 build)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
build=${2:-build}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

/usr/bin/python3 - "$n" "$out" <<'PY'
import json, sys
n, out = int(sys.argv[1]), sys.argv[2]
text = ("The council voted on Tuesday to close the old bridge for repairs. Work starts in the spring "
        "and is to end before the autumn. The mayor said the ferry will run every twenty minutes.")
with open(out + "/copies.jsonl", "w") as copies, open(out + "/near.jsonl", "w") as near:
    for d in range(n):
        copies.write(json.dumps({"id": "c%d" % d, "text": text}) + "\n")
        near.write(json.dumps({"id": "n%d" % d, "text": text + " Notice %d." % d}) + "\n")
PY

printf '%-8s %-8s %9s %10s %10s\n' input command seconds "peak MiB" lines
for input in copies near; do
  for command in pairs cluster dedup; do
    /usr/bin/time -f '%e %M' -o "$out/time" "$build/neardup" "$command" -q "$out/$input.jsonl" -o "$out/result.jsonl"
    read -r seconds kib < "$out/time"
    printf '%-8s %-8s %9s %10d %10d\n' "$input" "$command" "$seconds" $((kib / 1024)) "$(wc -l < "$out/result.jsonl")"
  done
done
