#!/usr/bin/env bash
# Benchmark for the latency targets (issue 3): for each model in ../shared/baselines, nacre's median latency on
# every available target at batch 1 / 1 thread and batch 32 / 2 threads, measured REPEATS times (spread =
# (max - min) / median of the repeated medians), and nacre's `ort` figure against an independent plain
# onnxruntime-node timing of the same file (bench/ort_plain_timing.js, same threads): they should agree within 10%.
# Prints a markdown section and appends it to bench/RESULTS.md (NACRE_BENCH_RECORD=0 to only print).
# usage: bench/bench_targets.sh [MAX_SECONDS=10] [REPEATS=3] [MODEL_GLOB='*.onnx']
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
max_seconds=${1:-10}
repeats=${2:-3}
glob=${3:-*.onnx}
nacre=${NACRE_BINARY:-build/nacre}
[ -x "$nacre" ] || { echo "$nacre missing: build it first (scripts/demo.sh or ninja -C build nacre)" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$nacre" targets --json "$out/targets.json" >/dev/null
mapfile -t targets < <(jq -r '.targets[] | select(.available and .name != "cmd") | .name' "$out/targets.json")
machine=$(bench_machine)

report="$out/report.md"
{
  echo "### Latency targets ($(date -u +%Y-%m-%d), commit $(bench_commit "$nacre"))"
  echo
  echo "Command: \`bench/bench_targets.sh $max_seconds $repeats '$glob'\`; machine: $machine; time cap ${max_seconds} s"
  echo "per measurement, $repeats repeats, \`--no-cache\`. Spread = (max - min) / median of the repeated medians."
  echo
  echo "| model | target | batch | threads | median ms | p10 ms | p90 ms | runs | converged | spread | plain ORT ms | nacre/plain |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
} > "$report"

for model in ../shared/baselines/$glob; do
  name=$(basename "$model" .onnx)
  shape=$(jq -r '.input.shape | map(tostring) | join(",")' "${model%.onnx}.json" 2>/dev/null || echo "")
  for target in "${targets[@]}"; do
    for config in "1 1" "32 2"; do
      read -r batch threads <<<"$config"
      medians=()
      for repeat in $(seq "$repeats"); do
        json="$out/$name.$target.$batch.$repeat.json"
        "$nacre" latency "$model" --target "$target" --batch "$batch" --threads "$threads" \
          --max-seconds "$max_seconds" --no-cache --json "$json" >/dev/null
        medians+=("$(jq -r .median_ms "$json")")
      done
      read -r median p10 p90 runs converged < <(jq -r '[.median_ms, .p10_ms, .p90_ms, .runs, .converged] | @tsv' "$json")
      spread=$(printf '%s\n' "${medians[@]}" | /usr/bin/python3 -c \
        "import sys, statistics as s; v=[float(x) for x in sys.stdin]; print(f'{(max(v)-min(v))/s.median(v)*100:.1f}%')")
      plain="-"; agreement="-"
      if [ "$target" = ort ] && [ -n "$shape" ]; then
        plain_shape="$batch,${shape#*,}"
        plain=$(node bench/ort_plain_timing.js "$model" --shape "$plain_shape" --threads "$threads" \
          --seconds "$max_seconds" | jq -r .median_ms)
        agreement=$(/usr/bin/python3 -c "print(f'{$median / $plain:.3f}')")
        plain=$(printf '%.4g' "$plain")
      fi
      printf '| %s | %s | %s | %s | %.4g | %.4g | %.4g | %s | %s | %s | %s | %s |\n' "$name" "$target" "$batch" \
        "$threads" "$median" "$p10" "$p90" "$runs" "$converged" "$spread" "$plain" "$agreement" | tee -a "$report"
    done
  done
done
echo
cat "$report"
if [ "${NACRE_BENCH_RECORD:-1}" = 1 ]; then
  { echo; cat "$report"; } >> bench/RESULTS.md
fi
