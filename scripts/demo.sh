#!/usr/bin/env bash
# The README's first command: sets up a fresh Debian 12 machine, builds nacre, and runs its main job on the
# built-in default example. Until `nacre optimize` exists, the main job is evaluating a trained baseline:
# resnet18 trained on Fashion-MNIST (../shared/baselines) on the validation split carved from the training data.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install_deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
ninja -C build -j "$(nproc)" nacre

model=../shared/baselines/resnet18_fmnist.onnx
if [ ! -f "$model" ]; then
  echo "demo: $model not found: the shared folder must sit beside the project (../shared)" >&2
  exit 1
fi
mkdir -p runs/demo
echo
echo "== nacre inspect $model"
build/nacre inspect "$model"
echo
echo "== nacre evaluate $model (Fashion-MNIST, validation split)"
build/nacre evaluate "$model" --data /usr/share/datasets/fashion-mnist --split val --json runs/demo/evaluate.json
echo "machine-readable result: runs/demo/evaluate.json"
