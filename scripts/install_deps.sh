#!/usr/bin/env bash
# Installs the Debian 12 packages nacre needs to build, test and run its demo. Safe to repeat: when every package
# is present it changes nothing. Runs as root, or through sudo otherwise.
set -euo pipefail

packages=(
  # Build tools
  build-essential g++ cmake ninja-build git ca-certificates
  # LibTorch, with OpenBLAS's OpenMP build named so apt does not settle for the reference BLAS
  libtorch-dev libopenblas0-openmp
  # ONNX import and export, through ONNX's protobuf classes
  libonnx-dev libprotobuf-dev protobuf-compiler
  # Image decoding and compressed IDX files
  libopencv-dev zlib1g-dev
  # JSON output, command-line parsing, tests
  nlohmann-json3-dev libcli11-dev libgtest-dev libgmock-dev
  # Debian's /usr/bin/python3 with PyTorch: test fixtures and the user's side (training baselines)
  python3-torch python3-torchvision python3-onnx python3-numpy
  # Real data: Fashion-MNIST in /usr/share/datasets/fashion-mnist
  dataset-fashion-mnist
  # The ONNX Runtime target runs through onnxruntime-node
  nodejs npm
  # Code style (.clang-format at the root)
  clang-format
  # Benchmark scripts: JSON on the command line, timing and peak memory, the accuracy/speed-up plot
  jq time bc python3-matplotlib
)

# Prints the listed packages that are neither installed nor provided by an installed package (NodeSource's nodejs
# provides npm, and installing Debian's npm beside it would conflict).
missing_packages() {
  local present
  present=$(dpkg-query -W -f='${db:Status-Abbrev}|${Package}|${Provides}\n' 2>/dev/null |
    awk -F'|' '$1 ~ /^ii/ {
      print $2
      count = split($3, provided, /, */)
      for (i = 1; i <= count; i++) { sub(/[ :].*/, "", provided[i]); print provided[i] }
    }')
  local package
  for package in "${packages[@]}"; do
    grep -qxF "$package" <<<"$present" || echo "$package"
  done
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    echo "install_deps: run as root, or install sudo: these packages are missing: ${missing[*]}" >&2
    exit 1
  fi
}

# The npm packages (onnxruntime-node for the ort target) from the committed package-lock, once per lock change.
install_node_packages() {
  local stamp=node_modules/.package-lock.installed
  if [ -f "$stamp" ] && cmp -s package-lock.json "$stamp"; then
    return
  fi
  echo "install_deps: npm ci --ignore-scripts (onnxruntime-node; its CPU library ships in the package)"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
}
cd "$(dirname "$0")/.."

mapfile -t missing < <(missing_packages)
if [ "${#missing[@]}" -eq 0 ]; then
  echo "install_deps: all ${#packages[@]} packages are already installed"
  install_node_packages
  exit 0
fi

echo "install_deps: installing ${missing[*]}"
as_root apt-get -o DPkg::Lock::Timeout=600 update
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
  -o DPkg::Lock::Timeout=600 "${missing[@]}"

mapfile -t still_missing < <(missing_packages)
if [ "${#still_missing[@]}" -ne 0 ]; then
  echo "install_deps: apt-get finished but these are still missing: ${still_missing[*]}" >&2
  exit 1
fi
if ! /usr/bin/python3 -c "import torch, torchvision, onnx, numpy" 2>/dev/null; then
  echo "install_deps: /usr/bin/python3 cannot import torch, torchvision, onnx and numpy after installing;" \
    "check 'apt-get install python3-torch python3-torchvision python3-onnx'" >&2
  exit 1
fi
install_node_packages
echo "install_deps: done"
