#!/usr/bin/env bash
# Runs pairs and cluster on a labelled corpus and scores them: overall, on a set of languages,
# and per language pair.
#   tools/evaluate_dev.sh BUILD_DIR DOCS.jsonl TRUTH.tsv [LANGS]
set -euo pipefail
build=${1:?build folder}; docs=${2:?docs.jsonl}; truth=${3:?truth.tsv}; langs=${4:-}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$build/neardup" pairs -q "$docs" -o "$out/pairs.jsonl"
"$build/neardup" cluster -q "$docs" -o "$out/clusters.jsonl"
echo "== all languages"
"$build/neardup" evaluate --truth "$truth" --pairs "$out/pairs.jsonl" --clusters "$out/clusters.jsonl" --by-langs
if [ -n "$langs" ]; then
  echo "== $langs"
  "$build/neardup" evaluate --truth "$truth" --pairs "$out/pairs.jsonl" --clusters "$out/clusters.jsonl" --langs "$langs"
fi
