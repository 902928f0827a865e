#!/usr/bin/env bash
# The main job on the fixtures: set up, build, then cluster the seed corpus by story and list
# its related pairs.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/build.sh
echo "== neardup pairs fixtures/seeds"
build/neardup pairs fixtures/seeds
echo "== neardup cluster fixtures/seeds"
build/neardup cluster fixtures/seeds
