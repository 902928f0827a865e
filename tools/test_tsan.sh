#!/usr/bin/env bash
# Builds the test suite with ThreadSanitizer into ./build-tsan and runs the tests that share an
# index between threads (PersistentIndexConcurrency.*: writers and readers together): any data
# race they reach fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install_deps.sh
jobs="${NEARDUP_JOBS:-$(nproc)}"
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNEARDUP_SANITIZE=thread >/dev/null
cmake --build build-tsan -j"$jobs" --target neardup_tests
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
ctest --test-dir build-tsan --output-on-failure -R 'Concurrency'
