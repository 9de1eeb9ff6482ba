#!/usr/bin/python3
"""Accuracy against speed-up of every benchmarked model: baseline, nacre's results, the alternatives.

Reads what the benchmark scripts leave in RUNS_DIR:
  <model>-<budget>[-vN]/summary.json           a `nacre optimize` run (bench/bench_optimize.sh): its result's
                                               speed-up measured in the run, interleaved with the baseline
  alternatives-<model>/<alt>/test.json         an alternative (bench/bench_alternatives.sh): test top-1 and
  alternatives-<model>/<alt>/vs-baseline-torchscript-b1t1.json   its latency against the baseline, interleaved
and draws one panel per baseline: test top-1 against speed-up on torchscript at batch 1, 1 thread (the
optimize runs' target). Writes a PNG (matplotlib, Debian's python3-matplotlib).

usage: /usr/bin/python3 bench/plot_results.py [RUNS_DIR=bench/runs] [OUT=bench/accuracy_vs_speedup.png]
"""
import json
import os
import sys

kShownBelowBaseline = 5  # accuracy points below the baseline drawn to scale; lower points sit on the edge


def load(path):
    with open(path) as file:
        return json.load(file)


def collect(runs_dir):
    """{model: {"baseline": test accuracy, "nacre": [(label, speed-up, accuracy)], "alternatives": [...]}}"""
    models = {}
    for entry in sorted(os.listdir(runs_dir)):
        folder = os.path.join(runs_dir, entry)
        summary_path = os.path.join(folder, "summary.json")
        if os.path.isfile(summary_path):
            summary = load(summary_path)
            if "result" not in summary or summary.get("target") != "torchscript":
                continue
            name = os.path.basename(summary["model"])[: -len(".onnx")]
            model = models.setdefault(name, {"baseline": None, "nacre": [], "alternatives": []})
            model["baseline"] = summary["baseline"]["test_accuracy"]
            model["nacre"].append((entry[len(name) + 1 :], summary["speedup"], summary["result"]["test_accuracy"]))
        elif entry.startswith("alternatives-"):
            name = entry[len("alternatives-") :]
            for alternative in sorted(os.listdir(folder)):
                test_path = os.path.join(folder, alternative, "test.json")
                latency_path = os.path.join(folder, alternative, "vs-baseline-torchscript-b1t1.json")
                if not (os.path.isfile(test_path) and os.path.isfile(latency_path)):
                    print(f"{folder}/{alternative}: no test.json or latency JSON yet, left out", file=sys.stderr)
                    continue
                model = models.setdefault(name, {"baseline": None, "nacre": [], "alternatives": []})
                speedup = 1 / load(latency_path)["ratio"]
                model["alternatives"].append((alternative, speedup, load(test_path)["accuracy"]))
    return models


def plot(models, out):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as pyplot
        import matplotlib.ticker
    except ImportError:
        sys.exit("plot_results.py needs matplotlib: apt-get install python3-matplotlib")
    names = [name for name in sorted(models) if models[name]["baseline"] is not None]
    if not names:
        sys.exit("no optimize run with a summary.json to plot")
    figure, axes = pyplot.subplots(1, len(names), figsize=(5.5 * len(names), 4.5), squeeze=False)
    for axis, name in zip(axes[0], names):
        model = models[name]
        axis.axhline(100 * model["baseline"], color="grey", linestyle="--", linewidth=0.8)
        axis.scatter([1], [100 * model["baseline"]], marker="*", s=160, color="black", label="baseline", zorder=3)
        baseline = 100 * model["baseline"]
        floor = baseline - kShownBelowBaseline
        captions = []  # (x, y, text) of every point in the panel
        for points, marker, color, label in (
            (model["nacre"], "o", "tab:blue", "nacre optimize"),
            (model["alternatives"], "s", "tab:orange", "alternative (same KD recipe)"),
        ):
            if not points:
                continue
            # Points far below the baseline are drawn on the lower edge (a down triangle) with their accuracy.
            shown = [(text, x, max(100 * y, floor), 100 * y < floor, 100 * y) for text, x, y in points]
            axis.scatter([p[1] for p in shown if not p[3]], [p[2] for p in shown if not p[3]], marker=marker,
                         s=50, color=color, label=label, zorder=3)
            axis.scatter([p[1] for p in shown if p[3]], [p[2] for p in shown if p[3]], marker="v", s=50,
                         color=color, zorder=3)
            for text, x, y, clipped, accuracy in shown:
                captions.append((x, y, f"{text} ({accuracy:.1f}%, off the scale)" if clipped else text))
        # Neighbours along the speed-up axis, from either series, are captioned on alternate sides of their points.
        for rank, (x, y, text) in enumerate(sorted(captions)):
            axis.annotate(text, (x, y), textcoords="offset points", xytext=(5, 4 if rank % 2 == 0 else -11),
                          fontsize=7)
        axis.set_xscale("log")
        speedups = [1] + [p[1] for p in model["nacre"] + model["alternatives"]]
        axis.set_xlim(0.9, 1.25 * max(speedups))
        ticks = [t for t in (1, 1.5, 2, 3, 4, 5, 6, 8, 10, 12, 16) if t <= 1.25 * max(speedups)]
        axis.set_xticks(ticks)
        axis.set_xticklabels([f"{t:g}x" for t in ticks])
        axis.xaxis.set_minor_locator(matplotlib.ticker.NullLocator())
        accuracies = [baseline] + [max(100 * p[2], floor) for p in model["nacre"] + model["alternatives"]]
        axis.set_ylim(min(accuracies) - 0.5, max(accuracies) + 0.7)
        axis.set_xlabel("speed-up over the baseline, torchscript b1/t1 (measured, log scale)")
        axis.set_ylabel("test top-1 (%)")
        axis.set_title(name)
        axis.grid(True, which="both", linewidth=0.3)
        axis.legend(fontsize=7, loc="best")
    figure.tight_layout()
    figure.savefig(out, dpi=90)
    print(out)


def main():
    runs_dir = sys.argv[1] if len(sys.argv) > 1 else "bench/runs"
    out = sys.argv[2] if len(sys.argv) > 2 else "bench/accuracy_vs_speedup.png"
    if not os.path.isdir(runs_dir):
        sys.exit(f"no benchmark runs folder {runs_dir}")
    plot(collect(runs_dir), out)


if __name__ == "__main__":
    main()
