#!/usr/bin/env bash
# The main job on the fixtures: set up, build, then list the related pairs of the seed corpus,
# cluster it by story, and write the report an analyst opens (build/seeds.html).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/build.sh
echo "== neardup pairs fixtures/seeds"
build/neardup pairs fixtures/seeds
echo "== neardup cluster fixtures/seeds --report build/seeds.html"
build/neardup cluster fixtures/seeds --report build/seeds.html
echo "== the report: build/seeds.html (open it in a browser)"
