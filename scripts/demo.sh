#!/usr/bin/env bash
# The README's first command: sets up a fresh Debian 12 machine, builds nacre, and runs its main job on the
# built-in default example: `nacre optimize` of resnet18 trained on Fashion-MNIST (../shared/baselines) for the
# torchscript target, with a short time budget (NACRE_DEMO_BUDGET, default 8m). A second run shows the finished
# result instead of computing it again.
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
budget=${NACRE_DEMO_BUDGET:-8m}
echo
echo "== nacre inspect $model"
build/nacre inspect "$model"
echo
echo "== nacre optimize $model (Fashion-MNIST, target torchscript, batch 1, 1 thread, budget $budget)"
build/nacre optimize "$model" --data /usr/share/datasets/fashion-mnist --target torchscript \
  --time-budget "$budget" --out "runs/demo-$budget"
