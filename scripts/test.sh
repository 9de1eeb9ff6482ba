#!/usr/bin/env bash
# The README's test command and what CI runs (.ci/run): installs missing packages, builds everything in build/
# (Release, Ninja), then runs the whole suite. ctest's setup tests make the fixtures and unpack the data first.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d ../shared ]; then
  echo "test: ../shared not found: the shared folder (baselines, data) must sit beside the project" >&2
  exit 1
fi

bash scripts/install_deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
ninja -C build -j "$(nproc)"
ctest --test-dir build --output-on-failure --parallel 2
