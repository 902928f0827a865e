#!/usr/bin/env bash
# Every labelled dev corpus in ../shared/data and the seeds, scored in one table: run it before
# committing a change to scoring or clustering (a gain on one corpus that costs another is not a
# gain).
#   tools/evaluate_all.sh [BUILD_DIR]     (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shared=../shared/data
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# P/R/F1 of one line of `neardup evaluate`: "name  P 0.9 R 0.8 F1 0.85 (...)".
scores() { grep "^$1" "$2" | sed -E 's/.* P ([0-9.]+) +R ([0-9.]+) +F1 ([0-9.]+).*/\1\/\2\/\3/'; }

printf '%-16s %6s  %-20s  %-20s  %-20s  %-20s  %-20s  %s\n' corpus docs "duplicates P/R/F1" "same-story P/R/F1" \
  "translations P/R/F1" "related P/R/F1" "clusters P/R/F1" seconds
for corpus in ntrex-dev ntrex-world-dev counter-dev wmt24-dev; do
  docs=$shared/$corpus/docs.jsonl
  truth=$shared/$corpus/truth.tsv
  if [ ! -f "$docs" ]; then
    printf '%-16s (absent: %s)\n' "$corpus" "$docs"
    continue
  fi
  start=$(date +%s.%N)
  "$build/neardup" pairs -q "$docs" -o "$out/pairs.jsonl"
  "$build/neardup" cluster -q "$docs" -o "$out/clusters.jsonl"
  seconds=$(awk "BEGIN { print $(date +%s.%N) - $start }")
  "$build/neardup" evaluate --truth "$truth" --pairs "$out/pairs.jsonl" --clusters "$out/clusters.jsonl" > "$out/scores.txt"
  printf '%-16s %6s  %-20s  %-20s  %-20s  %-20s  %-20s  %.1f\n' "$corpus" "$(wc -l < "$docs")" \
    "$(scores duplicate "$out/scores.txt")" "$(scores same-story "$out/scores.txt")" "$(scores translation "$out/scores.txt")" \
    "$(scores related "$out/scores.txt")" "$(scores clusters "$out/scores.txt")" "$seconds"
done

# The seeds: exactly the translation pair 001-004, and four clusters.
"$build/neardup" pairs -q fixtures/seeds -o "$out/seed_pairs.jsonl"
"$build/neardup" cluster -q fixtures/seeds -o "$out/seed_clusters.jsonl"
printf 'seeds: %s pairs (%s), %s clusters\n' "$(wc -l < "$out/seed_pairs.jsonl")" \
  "$(sed -E 's/.*"a":"([^"]*)","b":"([^"]*)","relation":"([^"]*)".*/\1~\2 \3/' "$out/seed_pairs.jsonl" | tr '\n' ' ' | sed 's/ $//')" \
  "$(wc -l < "$out/seed_clusters.jsonl")"

# The reported aligned sentences of true translation pairs against NTREX's line alignment.
if [ -f "$shared/ntrex-dev/docs.jsonl" ]; then
  "$build/neardup" pairs -q "$shared/ntrex-dev/docs.jsonl" -o "$out/pairs.jsonl"
  printf 'ntrex-dev %s\n' "$(/usr/bin/python3 tools/evaluate_alignment.py "$shared/ntrex-dev/docs.jsonl" "$shared/ntrex-dev/truth.tsv" "$out/pairs.jsonl")"
fi

# The persistent index: every ntrex-dev document queried against an index of all of them.
if [ -f "$shared/ntrex-dev/docs.jsonl" ]; then
  "$build/neardup" index create "$out/index" -q
  "$build/neardup" index add "$out/index" "$shared/ntrex-dev/docs.jsonl" -q
  "$build/neardup" index query "$out/index" "$shared/ntrex-dev/docs.jsonl" -o "$out/matches.jsonl" -q
  printf 'ntrex-dev %s\n' "$(/usr/bin/python3 tools/evaluate_index.py "$shared/ntrex-dev/truth.tsv" "$out/matches.jsonl")"
fi
