#!/usr/bin/env bash
# Benchmark for the search space's latency model (issue 4): on ../shared/baselines/resnet18_cifar10.onnx with the
# torchscript target, batch 1, 1 thread: the size of the space, candidates per block, the time to measure every
# candidate into the table, and the predictor validated on N sampled architectures measured end to end (share
# within +-10%, MAPE, Kendall's tau-b). Appends a block to bench/RESULTS.md (NACRE_BENCH_RECORD=0: print only).
# The run's table, JSON (every validation pair, both passes) and output stay in bench/runs/latency-model-TIME.
# usage: bench/bench_latency_model.sh [ARCHITECTURES (default 50)] [MAX_SECONDS per measurement (default 10)]
#        [MIN_RUNS per measurement (default: nacre's; "" to keep it)] [SAMPLING: uniform (default) or spread]
#        [SEED of the sampled architectures (default 1): another seed validates on architectures not seen before]
#        (run from anywhere; builds nothing: needs build/nacre, or NACRE_BINARY=PATH)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
architectures=${1:-50}
max_seconds=${2:-10}
min_runs=${3:-}
sampling=${4:-uniform}
seed=${5:-1}
model=../shared/baselines/resnet18_cifar10.onnx
nacre=${NACRE_BINARY:-build/nacre}
[ -x "$nacre" ] || { echo "$nacre missing: run scripts/demo.sh (or scripts/test.sh) first" >&2; exit 1; }
out=bench/runs/latency-model-$(date -u +%Y%m%d-%H%M%S)  # kept: the JSON holds every validation pair
mkdir -p "$out"
load_at_start=$(cut -d" " -f1-3 /proc/loadavg)
command=("$nacre" latency-model "$model" --target torchscript --batch 1 --threads 1 --validate "$architectures"
         --seed "$seed" --sampling "$sampling" --max-seconds "$max_seconds" --table "$out/table.json"
         --json "$out/latency_model.json"
         ${min_runs:+--min-runs "$min_runs"})
"${command[@]}" | tee "$out/stdout.txt"
load_at_end=$(cut -d" " -f1-3 /proc/loadavg)

read -r space_size blocks per_block candidates table_s n within mape tau tau_sum fit repeat_within repeat_tau < <(/usr/bin/python3 - "$out/latency_model.json" <<'EOF_PY'
import json, sys
j = json.load(open(sys.argv[1]))
v, p = j["validation"], j["predictor"]
fit = "%.4f*sum+%.4f*Mparams+%.4f*Mmacs%+.4fms(%s)" % (
    p["scale"], p["ms_per_million_parameters"], p["ms_per_million_macs"], p["offset_ms"], p["method"])
tau = lambda x: "n/a" if x is None else "%.3f" % x
print("%.4g" % j["space_size"], j["blocks"], "/".join(map(str, j["candidates_per_block"])), j["candidates"],
      "%.1f" % j["table_seconds"], v["architectures"], "%.1f%%" % (100 * v["within_10_percent"]),
      "%.2f%%" % (100 * v["mape"]), tau(v["kendall_tau"]), tau(v["kendall_tau_block_sum"]), fit.replace(" ", "_"),
      "%.1f%%" % (100 * v["repeatability"]["within_10_percent"]), tau(v["repeatability"]["kendall_tau"]))
EOF_PY
)

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)
block=$(cat <<EOF_BLOCK

### Latency model: resnet18_cifar10 on torchscript, batch 1, 1 thread ($(date -u +%Y-%m-%d))

Command: \`bench/bench_latency_model.sh $architectures $max_seconds "$min_runs" $sampling $seed\` (runs \`nacre latency-model $model --target torchscript --batch 1 --threads 1 --validate $architectures --seed $seed --sampling $sampling --max-seconds $max_seconds${min_runs:+ --min-runs $min_runs}\`) at commit $(bench_commit "$nacre"); machine: $(nproc) cores ($cpu), load average at start: $load_at_start, at end: $load_at_end.

| measure | value |
|---|---|
| size of the space (architectures) | $space_size |
| blocks; candidates per block | $blocks; $per_block |
| candidates measured into the table | $candidates |
| time to build the table | $table_s s |
| sampled architectures measured end to end (5-fold cross-validation), sampling | $n, $sampling |
| held-out predictions within +-10% (bar: 90%) | $within |
| mean absolute percentage error | $mape |
| Kendall tau-b, predicted vs measured (bar: 0.9) | $tau |
| Kendall tau-b, raw block sum vs measured | $tau_sum |
| correction fitted on all | \`${fit//_/ }\` |
| repeatability: a second measurement pass within +-10% of the first; Kendall tau-b between passes | $repeat_within; $repeat_tau |

Predictions are judged against the mean of the two passes; the repeatability row is the ceiling a predictor
judged by such measurements can reach on this machine. The run's JSON (every pair, both passes): $out/latency_model.json.
EOF_BLOCK
)
echo "$block"
if [ "${NACRE_BENCH_RECORD:-1}" = 1 ]; then
  echo "$block" >> bench/RESULTS.md
fi
