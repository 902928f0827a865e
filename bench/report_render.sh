#!/bin/sh
# Speed target of the HTML report (issue 18): the ntrex-dev report's first render in headless
# Chromium under 2000 ms. Run on a quiet machine after tools/build.sh; the test suite checks the
# same page for content only, because a timed test on a loaded machine fails at random.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
exec /usr/bin/python3 "$here/tests/browser/check_report.py" "$build/neardup" "$here/fixtures" "$build" dev-render-target
