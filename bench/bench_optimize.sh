#!/usr/bin/env bash
# Benchmark of `nacre optimize` (issue 5): one shared baseline, its data, --target torchscript --batch 1
# --threads 1 --tolerance 0 and a time budget. Records the run's own measurements (validation and test
# accuracy of baseline and result, the speed-up measured interleaved on torchscript, wall time), then the
# result against the baseline on the other targets (ort at batch 1 / 1 thread, and batch 32 / 2 threads on
# torchscript and ort), each an interleaved A/B ratio. NACRE_BENCH_TARGET=ort optimizes for ort instead (give
# OUT then: the plot keeps torchscript runs only); the two runs' tables make the hardware-awareness square. Appends a markdown section to bench/RESULTS.md
# (NACRE_BENCH_RECORD=0 to only print). The run folder is kept: rerunning resumes an unfinished run; a
# finished one is shown again when its OUT is given.
# usage: bench/bench_optimize.sh MODEL_NAME [BUDGET=60m] [OUT=bench/runs/MODEL_NAME-LABEL]
#   LABEL: BUDGET, BUDGET-v2, ...: an unfinished run's, or the first used by no run here nor in bench/plot_points.json
#   e.g. bench/bench_optimize.sh resnet18_cifar10 60m
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
name=${1:?usage: bench/bench_optimize.sh MODEL_NAME [BUDGET=60m] [OUT]}
budget=${2:-60m}
out=${3:-bench/runs/$name-$(/usr/bin/python3 bench/bench_points.py --free-label "$name" "$budget")}
nacre=${NACRE_BINARY:-build/nacre}
model=../shared/baselines/$name.onnx
[ -x "$nacre" ] || { echo "$nacre missing: build it first (ninja -C build nacre)" >&2; exit 1; }
[ -f "$model" ] || { echo "no baseline $model" >&2; exit 1; }
data=$(bench_data "$name")
machine=$(bench_machine)
target=${NACRE_BENCH_TARGET:-torchscript}
command="$nacre optimize $model --data $data --target $target --batch 1 --threads 1 --tolerance 0 --time-budget $budget --out $out"
commit=$(bench_commit "$nacre")
start=$(date +%s)
$command
wall=$(( $(date +%s) - start ))
summary=$out/summary.json

report=$(mktemp)
trap 'rm -f "$report"' EXIT
{
  echo "### nacre optimize: $name, budget $budget, target $target ($(date -u +%Y-%m-%d), commit $commit)"
  echo
  echo "Command: \`$([ "$target" = torchscript ] || echo "NACRE_BENCH_TARGET=$target ")bench/bench_optimize.sh $name $budget$([ "$target" = torchscript ] || echo " $out")\`, i.e. \`$command\`; machine: $machine."
  echo "Wall time of this invocation: ${wall} s (0 s when the run folder already held a finished run)."
  echo
  echo "| | validation top-1 | test top-1 | $target b1/t1 median ms |"
  echo "|---|---|---|---|"
  jq -r '"| baseline | \(.baseline.val_accuracy * 10000 | round / 100)% | \(.baseline.test_accuracy * 10000 | round / 100)% | \(.baseline.latency_ms * 1000 | round / 1000) |"' "$summary"
  jq -r '"| result \(.result.architecture)\(if .result.is_baseline then " (the baseline)" elif .result.fine_tuned then "" else " (exact rewrites only)" end) | \(.result.val_accuracy * 10000 | round / 100)% | \(.result.test_accuracy * 10000 | round / 100)% | \(.result.latency_ms * 1000 | round / 1000) |"' "$summary"
  echo
  jq -r '"Speed-up measured in the run ('"$target"', batch 1, 1 thread, interleaved, in \(.latency_measured_in // "this process")): \(.speedup * 100 | round / 100)x (95% interval \(.speedup_ci95[0] * 100 | round / 100)-\(.speedup_ci95[1] * 100 | round / 100)); constraint met: \(.constraint_met); run wall time \(.wall_seconds | round) s."' "$summary"
  jq -r '"Stage seconds: " + (.stage_seconds | to_entries | map("\(.key) \(.value | round)") | join(", "))' "$summary"
  echo
  echo "Fine-tuned and verified (validation accuracy, measured latency vs the baseline in the same measurement):"
  echo
  echo "| architecture | fine-tuned | val top-1 | ms | baseline ms | predicted ms | meets constraint |"
  echo "|---|---|---|---|---|---|---|"
  jq -r '.candidates_verified[] | "| \(.architecture) | \(.fine_tuned) | \(.val_accuracy * 10000 | round / 100)% | \(.latency_ms * 1000 | round / 1000) | \(.baseline_latency_ms_same_session * 1000 | round / 1000) | \(.predicted_latency_ms * 1000 | round / 1000) | \(.meets_constraint) |"' "$summary"
  echo
  echo "The result against the baseline on other settings (\`nacre latency result --vs baseline\`, interleaved):"
  echo
  echo "| target | batch | threads | speed-up (95% interval); result vs baseline median |"
  echo "|---|---|---|---|"
  for config in "torchscript 1 1" "ort 1 1" "torchscript 32 2" "ort 32 2"; do
    read -r on batch threads <<<"$config"
    echo "| $on | $batch | $threads | $(bench_ratio "$nacre" "$out/model.onnx" "$model" "$on" "$batch" "$threads") |"
  done
} > "$report"
cat "$report"
if [ "${NACRE_BENCH_RECORD:-1}" = 1 ]; then
  { echo; cat "$report"; } >> bench/RESULTS.md
  bench_plot
fi
