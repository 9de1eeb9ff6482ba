#!/usr/bin/env bash
# The alternatives a user would try instead of nacre (issue 6), on one shared baseline, each trained by
# distillation from it with nacre's fine-tuning recipe (`nacre finetune`) for the same time:
#   uniformW            uniform width pruning: every block's inner channels x W, filters by L1 norm
#                       (`nacre space --uniform-width W`), starting from the baseline's own weights;
#   channelsW           uniform channel pruning of every layer: each channel group x W, the residual streams
#                       and the classifier's inputs included, filters by (summed) L1 norm
#                       (`nacre space --uniform-channels W`), from the baseline's own weights;
#   mobilenet_v3_small  torchvision's, untrained (bench/make_student.py, BatchNorm statistics set), learning
#                       rate 0.01 like the others (0.05 diverged within 5 steps once the statistics normalise);
#   shufflenet_v2_x0_5  the same;
#   int8                post-training int8 quantization of the baseline (`nacre quantize`: QDQ, calibrated
#                       on training examples; 7-bit weights on x86 CPUs without VNNI, where ORT's 8-bit kernels
#                       saturate), nothing trained; ONNX Runtime runs it with int8 kernels, nacre's
#                       TorchScript writer has no int8 ops, so it has no torchscript figure;
#   int8:LABEL          the same for nacre's result of bench/runs/MODEL_NAME-LABEL (bench_optimize.sh's run
#                       folder): the two compose (e.g. int8:60m-v22);
#   nacre:LABEL         nacre's result of that run, measured again here beside the alternatives (its accuracy
#                       from the run's summary.json), so the table compares measurements of one session.
# Each is measured like nacre's result: validation and test top-1 (`nacre evaluate`; int8's as ORT computes it), and latency against
# the baseline interleaved (`nacre latency --vs`) on torchscript and ort at batch 1 / 1 thread. Appends a
# markdown table to bench/RESULTS.md (NACRE_BENCH_RECORD=0 to only print) and keeps each measurement's JSON
# beside the alternative (vs-baseline-TARGET-b1t1.json, read by bench/plot_results.py). Finished training is
# not redone.
# usage: bench/bench_alternatives.sh MODEL_NAME [TRAIN_TIME=20m] [ALTERNATIVES="uniform0.5 channels0.5 channels0.25 mobilenet_v3_small int8"]
#   e.g. bench/bench_alternatives.sh resnet18_cifar10 20m uniform0.5
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
name=${1:?usage: bench/bench_alternatives.sh MODEL_NAME [TRAIN_TIME=20m] [ALTERNATIVES]}
time=${2:-20m}
alternatives=${3:-uniform0.5 channels0.5 channels0.25 mobilenet_v3_small int8}
nacre=${NACRE_BINARY:-build/nacre}
model=../shared/baselines/$name.onnx
dir=bench/runs/alternatives-$name
[ -x "$nacre" ] || { echo "$nacre missing: build it first (ninja -C build nacre)" >&2; exit 1; }
[ -f "$model" ] || { echo "no baseline $model" >&2; exit 1; }
data=$(bench_data "$name")
commit=$(bench_commit "$nacre")
mkdir -p "$dir"

student_of() {  # prints the untrained student's file for an alternative
  case "$1" in
    uniform*)
      local width=${1#uniform}
      [ -f "$dir/$1/space.json" ] ||
        "$nacre" space "$model" --uniform-width "$width" --export "$dir/$1" --json "$dir/$1/space.json" >&2
      jq -r '.samples[0].file' "$dir/$1/space.json" ;;
    channels*)
      local width=${1#channels}
      [ -f "$dir/$1/space.json" ] ||
        "$nacre" space "$model" --uniform-channels "$width" --export "$dir/$1" --json "$dir/$1/space.json" >&2
      jq -r '.samples[0].file' "$dir/$1/space.json" ;;
    mobilenet_v3_small | shufflenet_v2_x0_5)
      /usr/bin/python3 bench/make_student.py "$1" "${model%.onnx}.json" "$dir/$1/untrained.onnx" >&2
      echo "$dir/$1/untrained.onnx" ;;
    *) echo "unknown alternative $1" >&2; return 1 ;;
  esac
}

normalisation=(--mean "$(jq -r '.input.mean | join(",")' "${model%.onnx}.json")"
  --std "$(jq -r '.input.std | join(",")' "${model%.onnx}.json")")

int8_row() {  # int8_row int8|int8:LABEL: quantizes the baseline or a run's result (once), prints its table row
  local source=$model out=$dir/int8 what="int8 post-training (QDQ)" trained="none"
  if [ "$1" != int8 ]; then
    source=bench/runs/$name-${1#int8:}/model.onnx out=$dir/int8-${1#int8:} what="nacre run ${1#int8:}, then int8"
    trained="nacre's run"
    [ -f "$source" ] || { echo "no finished run at $source" >&2; return 1; }
  fi
  mkdir -p "$out"
  [ -f "$out/model.onnx" ] || "$nacre" quantize "$source" --data "$data" --out "$out/model.onnx" \
    "${normalisation[@]}" --json "$out/quantize.json" >&2
  for split in val test; do
    "$nacre" evaluate "$out/model.onnx" --data "$data" --split "$split" "${normalisation[@]}" --target ort \
      --json "$out/$split.json" >/dev/null
  done
  echo "| $what | $(jq -r '"\(.accuracy * 10000 | round / 100)%"' "$out/val.json") | $trained, then calibrated on $(jq -r '"\(.calibration | split(" (")[0]), \(.weights_bits)-bit weights"' "$out/quantize.json") | $(jq -r '"\(.accuracy * 10000 | round / 100)%"' "$out/test.json") | not supported (no int8 ops in nacre's TorchScript writer) | $(bench_ratio "$nacre" "$out/model.onnx" "$model" ort 1 1 "$out/vs-baseline-ort-b1t1.json") |"
}

nacre_row() {  # nacre_row nacre:LABEL: a finished nacre run's result, timed again now; prints its table row
  local run=bench/runs/$name-${1#nacre:}
  [ -f "$run/summary.json" ] || { echo "no finished run at $run" >&2; return 1; }
  echo "| nacre run ${1#nacre:} | $(jq -r '"\(.result.val_accuracy * 10000 | round / 100)% | nacre optimize, \(.plan.total_seconds | round) s budget, \(.stage_seconds.finetune | round) s of fine-tuning (\(.speedup * 100 | round / 100)x in the run) | \(.result.test_accuracy * 10000 | round / 100)%"' "$run/summary.json") | $(bench_ratio "$nacre" "$run/model.onnx" "$model" torchscript 1 1 "$run/vs-baseline-torchscript-b1t1-again.json") | $(bench_ratio "$nacre" "$run/model.onnx" "$model" ort 1 1 "$run/vs-baseline-ort-b1t1-again.json") |"
}

rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
for alternative in $alternatives; do
  if [ "${alternative%%:*}" = nacre ]; then
    nacre_row "$alternative" >> "$rows"
    continue
  fi
  if [ "${alternative%%:*}" = int8 ]; then
    int8_row "$alternative" >> "$rows"
    continue
  fi
  student=$(student_of "$alternative")
  trained=$dir/$alternative/trained-$time.onnx
  rate=0.01
  [ -f "$trained" ] || "$nacre" finetune "$student" --teacher "$model" --data "$data" --time-budget "$time" \
    --learning-rate "$rate" --out "$trained" --json "$dir/$alternative/trained-$time.json"
  "$nacre" evaluate "$trained" --data "$data" --split test "${normalisation[@]}" \
    --json "$dir/$alternative/test.json" >/dev/null
  echo "| $alternative | $(jq -r '"\(.val_accuracy * 10000 | round / 100)% | \(.seconds | round) s, lr \(.learning_rate)"' "$dir/$alternative/trained-$time.json") | $(jq -r '"\(.accuracy * 10000 | round / 100)%"' "$dir/$alternative/test.json") | $(bench_ratio "$nacre" "$trained" "$model" torchscript 1 1 "$dir/$alternative/vs-baseline-torchscript-b1t1.json") | $(bench_ratio "$nacre" "$trained" "$model" ort 1 1 "$dir/$alternative/vs-baseline-ort-b1t1.json") |" >> "$rows"
done

report=$(mktemp)
trap 'rm -f "$rows" "$report"' EXIT
{
  echo "### Alternatives to nacre: $name, each trained $time by distillation ($(date -u +%Y-%m-%d), commit $commit)"
  echo
  echo "Command: \`bench/bench_alternatives.sh $name $time \"$alternatives\"\`; machine: $(bench_machine)."
  echo "Baseline: validation $(jq -r '.val_top1 * 10000 | round / 100' "${model%.onnx}.json")%, test $(jq -r '.test_top1 * 10000 | round / 100' "${model%.onnx}.json")%."
  echo
  echo "| alternative | val top-1 | training | test top-1 | torchscript b1/t1 speed-up; ms vs baseline | ort b1/t1 speed-up; ms vs baseline |"
  echo "|---|---|---|---|---|---|"
  cat "$rows"
} > "$report"
cat "$report"
if [ "${NACRE_BENCH_RECORD:-1}" = 1 ]; then
  { echo; cat "$report"; } >> bench/RESULTS.md
  bench_plot
fi
