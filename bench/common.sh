# Shared by the benchmark scripts (sourced, from the project root): where a baseline's data is, and an
# interleaved A/B latency ratio.

# bench_data MODEL_NAME: prints the data folder of ../shared/baselines/MODEL_NAME.onnx (CIFAR-10 unpacked
# into build/data on first use).
bench_data() {
  case "$(jq -r .dataset "../shared/baselines/$1.json")" in
    cifar10) bash scripts/unpack_cifar10.sh ../shared/data/cifar10-jpg.tar.gz build/data >&2
      echo build/data/cifar10 ;;
    fmnist) echo /usr/share/datasets/fashion-mnist ;;
    *) echo "unknown dataset for $1" >&2; return 1 ;;
  esac
}

# bench_ratio NACRE MODEL BASELINE TARGET BATCH THREADS [JSON]: MODEL vs BASELINE measured interleaved;
# prints "speed-up (interval); model vs baseline median ms" and keeps `nacre latency`'s JSON in JSON if given;
# when the measurement fails, prints "measurement failed" and keeps no JSON (nacre's error is on stderr).
bench_ratio() {
  local json
  json=$(mktemp)
  if ! "$1" latency "$2" --vs "$3" --target "$4" --batch "$5" --threads "$6" --max-seconds 10 --no-cache \
    --json "$json" >/dev/null; then
    rm -f "$json"
    echo "measurement failed"
    return 0
  fi
  jq -r '"\(1 / .ratio | . * 100 | round / 100)x (\(1 / .ratio_ci95[1] | . * 100 | round / 100)-\(1 / .ratio_ci95[0] | . * 100 | round / 100)); \(.median_ms | . * 1000 | round / 1000) vs \(.b.median_ms | . * 1000 | round / 1000) ms"' "$json"
  if [ -n "${7:-}" ]; then mv "$json" "$7"; else rm -f "$json"; fi
}

bench_machine() { echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"; }

# bench_plot: redraws bench/accuracy_vs_speedup.png (embedded in RESULTS.md) from every run in bench/runs;
# when it cannot (matplotlib missing, no runs here), plot_results.py says why and the benchmark goes on.
bench_plot() {
  /usr/bin/python3 bench/plot_results.py bench/runs bench/accuracy_vs_speedup.png >&2 ||
    echo "bench/accuracy_vs_speedup.png not redrawn" >&2
}

# bench_commit NACRE: the commit the nacre binary was built from (`nacre --version`), which a long run's
# binary may not share with the checkout; the checkout's HEAD for a binary too old to say.
bench_commit() {
  local version
  version=$("$1" --version 2>/dev/null) && [ "${version#nacre }" != unknown ] && { echo "${version#nacre }"; return; }
  git rev-parse --short HEAD
}
