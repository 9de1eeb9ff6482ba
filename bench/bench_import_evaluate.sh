#!/usr/bin/env bash
# Benchmark for the foundation: time to import ../shared/baselines/resnet18_cifar10.onnx, and `nacre evaluate`
# throughput (images/s) and peak memory on the 10,000 CIFAR-10 test images. Appends a row to bench/RESULTS.md.
# usage: bench/bench_import_evaluate.sh [THREADS]      (run from anywhere; builds nothing: run scripts/demo.sh first)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
threads=${1:-2}
model=../shared/baselines/resnet18_cifar10.onnx
nacre=build/nacre
[ -x "$nacre" ] || { echo "build/nacre missing: run scripts/demo.sh (or scripts/test.sh) first" >&2; exit 1; }
bash scripts/unpack_cifar10.sh ../shared/data/cifar10-jpg.tar.gz build/data
out=$(mktemp -d)
load_at_start=$(cut -d" " -f1-3 /proc/loadavg)

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

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)
block=$(cat <<EOF_BLOCK

### Import and evaluate: resnet18_cifar10, CIFAR-10 test ($(date -u +%Y-%m-%d))

Command: \`bench/bench_import_evaluate.sh $threads\` at commit $(bench_commit "$nacre"); machine: $(nproc) cores ($cpu), load average at start: $load_at_start.

| measure | value |
|---|---|
| import (\`nacre inspect\`: parse, fold, infer shapes, verify), median of 5 | $(printf '%.3f' "$import_median") s |
| \`nacre evaluate --split test\` examples | $examples |
| top-1 (recorded in the baseline's JSON: $(/usr/bin/python3 -c "import json; print(json.load(open('${model%.onnx}.json'))['test_top1'])")) | $acc |
| throughput (JPEG decode + preprocessing + inference, batch 64, $threads threads) | $ips images/s |
| wall time of evaluate | $wall |
| peak resident memory of evaluate | $((peak_kb / 1024)) MiB |
EOF_BLOCK
)
echo "$block"
if [ "${NACRE_BENCH_RECORD:-1}" = 1 ]; then
  echo "$block" >> bench/RESULTS.md
fi
rm -rf "$out"
