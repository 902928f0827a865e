#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-14, ASan + UBSan) into ./build-fuzz and runs each for a
# short bounded time over its seed corpus (ctest -L fuzz), so that CI keeps them building and
# finding nothing. Longer runs by hand: docs/bad_input.md.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install_deps.sh clang-14 libclang-rt-14-dev
jobs="${NEARDUP_JOBS:-$(nproc)}"
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
      -DNEARDUP_BUILD_FUZZ=ON -DNEARDUP_SANITIZE=address,undefined >/dev/null
cmake --build build-fuzz -j"$jobs" --target fuzz_jsonl_reader fuzz_text_pipeline fuzz_index_file fuzz_kept_line fuzz_report_data
ctest --test-dir build-fuzz --output-on-failure -L fuzz
