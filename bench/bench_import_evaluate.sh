#!/usr/bin/env bash
# Benchmark for the foundation: time to import ../shared/baselines/resnet18_cifar10.onnx, and `nacre evaluate`
# throughput (images/s) and peak memory on the 10,000 CIFAR-10 test images. Appends a row to bench/RESULTS.md.
# usage: bench/bench_import_evaluate.sh [THREADS]      (run from anywhere; builds nothing: run scripts/demo.sh first)
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-2}
model=../shared/baselines/resnet18_cifar10.onnx
nacre=build/nacre
[ -x "$nacre" ] || { echo "build/nacre missing: run scripts/demo.sh (or scripts/test.sh) first" >&2; exit 1; }
bash scripts/unpack_cifar10.sh ../shared/data/cifar10-jpg.tar.gz build/data
out=$(mktemp -d)

# Import alone: `inspect` loads (import, fold, infer shapes, verify) and prints; median of 5 runs.
import_times=()
for _ in 1 2 3 4 5; do
  start=$(date +%s.%N)
  "$nacre" inspect "$model" >/dev/null
  import_times+=("$(echo "$(date +%s.%N) - $start" | bc)")
done
import_median=$(printf '%s\n' "${import_times[@]}" | sort -n | sed -n 3p)

/usr/bin/time -v "$nacre" evaluate "$model" --data build/data/cifar10 --split test --threads "$threads" \
  --json "$out/evaluate.json" 2>"$out/time.txt" >/dev/null
peak_kb=$(grep "Maximum resident set size" "$out/time.txt" | awk '{print $NF}')
wall=$(grep "Elapsed (wall clock)" "$out/time.txt" | awk '{print $NF}')
read -r ips acc examples < <(/usr/bin/python3 -c "import json,sys; j=json.load(open('$out/evaluate.json')); print(round(j['images_per_second'],1), j['accuracy'], j['examples'])")

row="| $(date -u +%Y-%m-%d) | $(git rev-parse --short HEAD) | $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) | import (inspect) median of 5: ${import_median}s | evaluate test: $examples images, top-1 $acc, $ips images/s (inference + JPEG decode + preprocessing, $threads threads, batch 64), wall $wall, peak RSS $((peak_kb / 1024)) MiB |"
echo "$row"
if [ "${NACRE_BENCH_RECORD:-1}" = 1 ]; then
  echo "$row" >> bench/RESULTS.md
fi
rm -rf "$out"
