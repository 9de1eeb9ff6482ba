#!/usr/bin/env bash
# Training throughput of `nacre finetune` in each memory layout of its image batches (src/train/memory_layout.h):
# contiguous (NCHW), channels-last (NHWC) and measured (the default: the faster of the two on the first
# steps). Students: the two CIFAR-10 baselines themselves and resnet18_cifar10 at uniform width 0.5 (`nacre
# space --uniform-width 0.5`), each trained from the baseline for the same time on the same subset, one
# layout after the other in one run. Appends a table to bench/RESULTS.md (NACRE_BENCH_RECORD=0 to only print).
# usage: bench/bench_training_layout.sh [SECONDS=45]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
seconds=${1:-45}
nacre=${NACRE_BINARY:-build/nacre}
[ -x "$nacre" ] || { echo "$nacre missing: build it first (ninja -C build nacre)" >&2; exit 1; }
commit=$(bench_commit "$nacre")
data=$(bench_data resnet18_cifar10)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
baselines=../shared/baselines
"$nacre" space "$baselines/resnet18_cifar10.onnx" --uniform-width 0.5 --export "$dir/uniform0.5" \
  --json "$dir/uniform0.5/space.json" > /dev/null
students=("mobilenet_v2_cifar10:$baselines/mobilenet_v2_cifar10.onnx:$baselines/mobilenet_v2_cifar10.onnx"
  "resnet18_cifar10:$baselines/resnet18_cifar10.onnx:$baselines/resnet18_cifar10.onnx"
  "resnet18_cifar10 at width 0.5:$(jq -r '.samples[0].file' "$dir/uniform0.5/space.json"):$baselines/resnet18_cifar10.onnx")
rows=""
for entry in "${students[@]}"; do
  IFS=: read -r label student teacher <<< "$entry"
  row="| $label |"
  contiguous_rate=""
  for layout in contiguous channels_last measured; do
    out=$dir/$layout
    rm -f "$out.onnx" "$out.json"
    "$nacre" finetune "$student" --teacher "$teacher" --data "$data" --time-budget "${seconds}s" \
      --train-limit 8000 --val-limit 500 --memory-layout "$layout" --out "$out.onnx" --json "$out.json" > /dev/null 2>&1
    rate=$(jq -r '.steps / .seconds' "$out.json")
    [ -n "$contiguous_rate" ] || contiguous_rate=$rate
    row+=" $(jq -rn --argjson r "$rate" --argjson c "$contiguous_rate" '"\($r * 100 | round / 100) (\($r / $c * 100 | round / 100)x)"')"
    [ "$layout" = measured ] && row+=", kept $(jq -r '.memory_layout' "$out.json")"
    row+=" |"
  done
  rows+="$row"$'\n'
  echo "$row"
done
report=$(mktemp)
trap 'rm -rf "$dir" "$report"' EXIT
{
  echo "### Training throughput by memory layout ($(date -u +%Y-%m-%d), commit $commit)"
  echo
  echo "Command: \`bench/bench_training_layout.sh $seconds\` (\`nacre finetune STUDENT --teacher BASELINE --time-budget ${seconds}s --train-limit 8000 --val-limit 500 --memory-layout L\`, batch 64, all cores); machine: $(bench_machine)."
  echo
  echo "| student | contiguous steps/s | channels-last steps/s (vs contiguous) | measured steps/s (vs contiguous), layout kept |"
  echo "|---|---|---|---|"
  printf '%s' "$rows"
} > "$report"
cat "$report"
if [ "${NACRE_BENCH_RECORD:-1}" = 1 ]; then
  { echo; cat "$report"; } >> bench/RESULTS.md
fi
