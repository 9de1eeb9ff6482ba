#!/usr/bin/env bash
# Hardware awareness (issue 6, part 4): the models nacre found for different targets, each measured on every
# target against the baseline (`nacre latency --vs`, interleaved, batch 1, 1 thread). Rows: the target a run
# optimized for; columns: the target the model runs on. The diagonal is each run's own target; a model is
# hardware-aware when it is the fastest in its own column at the accuracy constraint. Appends the table to
# bench/RESULTS.md (NACRE_BENCH_RECORD=0 to only print).
# usage: bench/bench_hardware_awareness.sh MODEL_NAME RUN_DIR RUN_DIR...   (finished `nacre optimize` folders)
#   e.g. bench/bench_hardware_awareness.sh resnet18_cifar10 bench/runs/resnet18_cifar10-60m-v9 \
#          bench/runs/resnet18_cifar10-ort-60m
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
name=${1:?usage: bench/bench_hardware_awareness.sh MODEL_NAME RUN_DIR RUN_DIR...}
shift
[ $# -ge 2 ] || { echo "give at least two run folders, optimized for different targets" >&2; exit 1; }
nacre=${NACRE_BINARY:-build/nacre}
model=../shared/baselines/$name.onnx
[ -x "$nacre" ] || { echo "$nacre missing: build it first (ninja -C build nacre)" >&2; exit 1; }
targets="torchscript ort opencv"
for run in "$@"; do
  [ -f "$run/summary.json" ] || { echo "$run: no summary.json (not a finished nacre optimize run)" >&2; exit 1; }
done

report=$(mktemp)
trap 'rm -f "$report"' EXIT
{
  echo "### Hardware awareness: $name, each run's result on every target ($(date -u +%Y-%m-%d), commit $(bench_commit "$nacre"))"
  echo
  echo "Command: \`bench/bench_hardware_awareness.sh $name $*\`; machine: $(bench_machine)."
  echo "Each cell: the result's speed-up over the baseline on that target, batch 1, 1 thread, measured interleaved."
  echo
  header="| optimized for (run) | result | val / test top-1 (baseline $(jq -r '"\(.baseline.val_accuracy * 10000 | round / 100)% / \(.baseline.test_accuracy * 10000 | round / 100)%"' "$1/summary.json"))"
  rule="|---|---|---"
  for target in $targets; do
    header+=" | on $target"
    rule+="|---"
  done
  echo "$header |"
  echo "$rule|"
  for run in "$@"; do
    summary=$run/summary.json
    row="| $(jq -r .target "$summary") ($(basename "$run"), $(jq -r .plan.total_seconds "$summary" | cut -d. -f1) s budget) | $(jq -r .result.architecture "$summary") | $(jq -r '"\(.result.val_accuracy * 10000 | round / 100)% / \(.result.test_accuracy * 10000 | round / 100)%"' "$summary")"
    for target in $targets; do
      row+=" | $(bench_ratio "$nacre" "$run/model.onnx" "$model" "$target" 1 1 | cut -d';' -f1)"
    done
    echo "$row |"
  done
} > "$report"
cat "$report"
if [ "${NACRE_BENCH_RECORD:-1}" = 1 ]; then
  { echo; cat "$report"; } >> bench/RESULTS.md
fi
