#!/usr/bin/env bash
# Builds the whole suite with AddressSanitizer and UndefinedBehaviorSanitizer into ./build-asan
# and runs it: any leak, bad access or undefined behaviour fails the test that hit it.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install_deps.sh
jobs="${NEARDUP_JOBS:-$(nproc)}"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNEARDUP_SANITIZE=address,undefined >/dev/null
cmake --build build-asan -j"$jobs"
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1
ctest --test-dir build-asan --output-on-failure -j"$jobs"
