#!/usr/bin/env bash
# Installs the Debian packages neardup builds with, and any named as arguments (tools/test_fuzz.sh
# adds clang), when one is missing. Idempotent.
set -euo pipefail
packages=(g++ cmake make pkg-config libicu-dev libxxhash-dev zlib1g-dev libzstd-dev libeigen3-dev libboost-program-options-dev
          nlohmann-json3-dev libcld2-dev libgtest-dev libbenchmark-dev python3 chromium fonts-noto-core
          pybind11-dev python3-dev python3-dask python3-distributed python3-numpy
          python3-scrapy python3-setuptools python3-wheel python3-pip python3-venv)
packages+=("$@")
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
