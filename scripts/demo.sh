#!/usr/bin/env bash
# The README's first command: sets up a fresh Debian 12 machine, builds nacre, then does what a user would:
# trains a quick baseline (torchvision resnet18 on Fashion-MNIST for NACRE_DEMO_EPOCHS epochs, default 1, with
# Debian's python3-torch: bench/train_baseline.py, exported with torch.onnx.export) and runs nacre's main job on
# it: `nacre optimize` for the torchscript target with a short time budget (NACRE_DEMO_BUDGET, default 8m),
# which prints baseline against result (accuracy, latency, speed-up) and where the report is.
# A second run trains nothing and shows the finished result instead of computing it again.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install_deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
ninja -C build -j "$(nproc)" nacre

data=/usr/share/datasets/fashion-mnist
epochs=${NACRE_DEMO_EPOCHS:-1}
budget=${NACRE_DEMO_BUDGET:-8m}
model=runs/baselines/resnet18_fmnist_${epochs}epochs.onnx
echo
echo "== train a baseline as a user would: torchvision resnet18, Fashion-MNIST, $epochs epoch(s) -> $model"
/usr/bin/python3 bench/train_baseline.py --data "$data" --epochs "$epochs" --out "$model"
echo
echo "== nacre inspect $model"
build/nacre inspect "$model"
echo
echo "== nacre optimize $model (Fashion-MNIST, target torchscript, batch 1, 1 thread, budget $budget)"
build/nacre optimize "$model" --data "$data" --target torchscript --time-budget "$budget" \
  --out "runs/demo-${epochs}epochs-$budget"
