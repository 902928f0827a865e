#!/usr/bin/env bash
# The HTML report at scale (issue 18): N documents of the generated corpus
# (../shared/tools/scale_corpus.py) through `neardup cluster --report`; prints the input's and the
# page's size, the seconds to write it, and headless Chromium's load: wall seconds from start to
# the DOM dump and the page's own first-render time (data-render-ms). Targets: a page at most the
# input's size; 20,000 documents within 10 s, 100,000 within 3 s. Then the same through
# `neardup serve`: the seconds until it serves, the served page's size and Chromium's load.
#   bench/report_scale.sh [N] [BUILD_DIR]      (default: 20000 build)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20000}
build=${2:-build}
tools/install_deps.sh python3-icu chromium curl >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
/usr/bin/python3 ../shared/tools/scale_corpus.py ../shared/data/ntrex-dev "$n" "$out/corpus" >/dev/null
/usr/bin/time -f '%e' -o "$out/write_seconds" "$build/neardup" cluster -q "$out/corpus/docs.jsonl" \
    -o "$out/clusters.jsonl" --report "$out/report.html"
started=$(date +%s.%N)
/usr/bin/chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$out/profile" \
    --dump-dom "file://$out/report.html" 2>/dev/null | grep -o '<body[^>]*>' > "$out/body"
ended=$(date +%s.%N)
input=$(stat -c %s "$out/corpus/docs.jsonl")
page=$(stat -c %s "$out/report.html")
printf 'documents %d: input %.1f MB, page %.1f MB (%.2f of the input), written in %s s\n' "$n" \
    "$(echo "$input / 1000000" | bc -l)" "$(echo "$page / 1000000" | bc -l)" "$(echo "$page / $input" | bc -l)" "$(cat "$out/write_seconds")"
printf 'chromium: %.1f s from start to the DOM dump; %s\n' "$(echo "$ended - $started" | bc -l)" "$(cat "$out/body")"

# The same saved outputs through `neardup serve`: the page holds only what its first render needs
# and fetches the rest from the server on the loopback address.
"$build/neardup" pairs -q "$out/corpus/docs.jsonl" -o "$out/pairs.jsonl"
"$build/neardup" serve -q --port 0 --documents "$out/corpus/docs.jsonl" \
    --pairs "$out/pairs.jsonl" --clusters "$out/clusters.jsonl" > "$out/address" 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$out"' EXIT
ready=$(date +%s.%N)
until [ -s "$out/address" ]; do sleep 0.2; done
address=$(head -1 "$out/address")
serving=$(date +%s.%N)
page_bytes=$(curl -s "$address" | wc -c)
started=$(date +%s.%N)
/usr/bin/chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$out/profile-served" \
    --dump-dom "$address" 2>/dev/null | grep -o '<body[^>]*>' > "$out/served_body"
ended=$(date +%s.%N)
printf 'served: ready to serve in %.1f s; page %.1f MB; chromium %.1f s from start to the DOM dump; %s\n' \
    "$(echo "$serving - $ready" | bc -l)" "$(echo "$page_bytes / 1000000" | bc -l)" "$(echo "$ended - $started" | bc -l)" "$(cat "$out/served_body")"
