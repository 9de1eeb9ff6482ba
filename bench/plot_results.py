#!/usr/bin/python3
"""Accuracy against speed-up of every benchmarked model: baseline, nacre's results, the alternatives.

Reads what the benchmark scripts leave in RUNS_DIR:
  <model>-<budget>[-vN]/summary.json           a `nacre optimize` run (bench/bench_optimize.sh): its result's
                                               speed-up measured in the run, interleaved with the baseline
  alternatives-<model>/<alt>/test.json         an alternative (bench/bench_alternatives.sh): test top-1 and
  alternatives-<model>/<alt>/vs-baseline-torchscript-b1t1.json   its latency against the baseline, interleaved
merges those points into POINTS (committed: bench/runs is not, so the points of runs made on other machines live
there; a point from RUNS_DIR replaces the stored one of the same model, kind and label, and none is dropped), and
draws one panel per baseline from POINTS: test top-1 against speed-up on torchscript at batch 1, 1 thread (the
optimize runs' target). Writes a PNG (matplotlib, Debian's python3-matplotlib).

usage: /usr/bin/python3 bench/plot_results.py [RUNS_DIR=bench/runs] [OUT=bench/accuracy_vs_speedup.png]
                                               [POINTS=bench/plot_points.json]
       /usr/bin/python3 bench/plot_results.py --free-label MODEL BUDGET [RUNS_DIR] [POINTS]
         prints the label of the next run of MODEL: BUDGET, BUDGET-v2, ... the first that is an unfinished run
         in RUNS_DIR (to resume) or names neither a run there nor a point in POINTS
"""
import json
import os
import sys

kShownBelowBaseline = 5  # accuracy points below the baseline drawn to scale; lower points sit on the edge
kSameSpeedup = 0.05  # captions of points within 5% in speed-up are placed by their accuracy, not alternated


def load(path):
    with open(path) as file:
        return json.load(file)


def collect(runs_dir):
    """The points of the runs in RUNS_DIR: dicts of model, kind ("nacre" or "alternative"), label, speedup,
    test_accuracy and baseline_test_accuracy (None for an alternative, whose baseline comes from a run)."""
    points = []
    if not os.path.isdir(runs_dir):
        return points
    for entry in sorted(os.listdir(runs_dir)):
        folder = os.path.join(runs_dir, entry)
        summary_path = os.path.join(folder, "summary.json")
        if os.path.isfile(summary_path):
            summary = load(summary_path)
            if "result" not in summary or summary.get("target") != "torchscript":
                continue
            name = os.path.basename(summary["model"])[: -len(".onnx")]
            points.append({"model": name, "kind": "nacre", "label": entry[len(name) + 1 :],
                           "speedup": summary["speedup"], "test_accuracy": summary["result"]["test_accuracy"],
                           "baseline_test_accuracy": summary["baseline"]["test_accuracy"]})
        elif entry.startswith("alternatives-"):
            name = entry[len("alternatives-") :]
            for alternative in sorted(os.listdir(folder)):
                test_path = os.path.join(folder, alternative, "test.json")
                latency_path = os.path.join(folder, alternative, "vs-baseline-torchscript-b1t1.json")
                if not (os.path.isfile(test_path) and os.path.isfile(latency_path)):
                    print(f"{folder}/{alternative}: no test.json or latency JSON yet, left out", file=sys.stderr)
                    continue
                points.append({"model": name, "kind": "alternative", "label": alternative,
                               "speedup": 1 / load(latency_path)["ratio"],
                               "test_accuracy": load(test_path)["accuracy"], "baseline_test_accuracy": None})
    return points


def key(point):
    return (point["model"], point["kind"], point["label"])


def merged(stored, fresh):
    """The stored points with the fresh ones added; a fresh point replaces a stored one with the same key."""
    by_key = {key(point): point for point in stored}
    for point in fresh:
        by_key[key(point)] = point
    return sorted(by_key.values(), key=key)


def grouped(points):
    """{model: {"baseline": test accuracy, "nacre": [(label, speed-up, accuracy)], "alternatives": [...]}}"""
    models = {}
    for point in points:
        model = models.setdefault(point["model"], {"baseline": None, "nacre": [], "alternatives": []})
        if point.get("baseline_test_accuracy") is not None:
            model["baseline"] = point["baseline_test_accuracy"]
        series = model["nacre"] if point["kind"] == "nacre" else model["alternatives"]
        series.append((point["label"], point["speedup"], point["test_accuracy"]))
    return models


def read_points(path):
    return load(path)["points"] if os.path.isfile(path) else []


def write_points(path, points):
    document = {"about": "Accuracy/speed-up points of every benchmark run, kept by bench/plot_results.py "
                         "(bench/runs is not committed). speedup: torchscript b1/t1, measured interleaved with "
                         "the baseline; accuracies: test top-1. Points marked 'transcribed' were copied from "
                         "the tables of bench/RESULTS.md, their runs' folders being on other machines.",
                "points": points}
    with open(path + ".tmp", "w") as file:
        json.dump(document, file, indent=1)
        file.write("\n")
    os.replace(path + ".tmp", path)


def free_label(model, budget, runs_dir, points_path):
    """The first of BUDGET, BUDGET-v2, ... whose run folder of MODEL in RUNS_DIR holds an unfinished run (to
    resume), or else that names neither a folder there nor a stored point (a run made elsewhere)."""
    taken = {p["label"] for p in read_points(points_path) if p["model"] == model and p["kind"] == "nacre"}
    version = 1
    while True:
        label = budget if version == 1 else f"{budget}-v{version}"
        folder = os.path.join(runs_dir, f"{model}-{label}")
        if os.path.isdir(folder) and not os.path.exists(os.path.join(folder, "summary.json")):
            return label
        if label not in taken and not os.path.exists(folder):
            return label
        version += 1


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
        # Neighbours along the speed-up axis, from either series, are captioned on alternate sides of their
        # points; of two points at nearly the same speed-up, the higher one's caption goes above, the lower's below.
        ordered = sorted(captions)
        for rank, (x, y, text) in enumerate(ordered):
            above = rank % 2 == 0
            close = [other for other in ordered[max(0, rank - 1) : rank + 2] if other[0] != x or other[1] != y]
            close = [other for other in close if abs(other[0] / x - 1) < kSameSpeedup]
            if close:
                above = all(y >= other[1] for other in close)
            axis.annotate(text, (x, y), textcoords="offset points", xytext=(5, 4 if above else -11), fontsize=7)
        axis.set_xscale("log")
        speedups = [1] + [p[1] for p in model["nacre"] + model["alternatives"]]
        # A result slower than the baseline (speed-up below 1) stays in view.
        low, high = 0.9 * min(speedups), 1.25 * max(speedups)
        axis.set_xlim(low, high)
        ticks = [t for t in (0.5, 0.75, 1, 1.5, 2, 3, 4, 5, 6, 8, 10, 12, 16) if low <= t <= high]
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
    if len(sys.argv) > 1 and sys.argv[1] == "--free-label":
        if len(sys.argv) < 4:
            sys.exit("usage: plot_results.py --free-label MODEL BUDGET [RUNS_DIR] [POINTS]")
        runs_dir = sys.argv[4] if len(sys.argv) > 4 else "bench/runs"
        points_path = sys.argv[5] if len(sys.argv) > 5 else "bench/plot_points.json"
        print(free_label(sys.argv[2], sys.argv[3], runs_dir, points_path))
        return
    runs_dir = sys.argv[1] if len(sys.argv) > 1 else "bench/runs"
    out = sys.argv[2] if len(sys.argv) > 2 else "bench/accuracy_vs_speedup.png"
    points_path = sys.argv[3] if len(sys.argv) > 3 else "bench/plot_points.json"
    points = merged(read_points(points_path), collect(runs_dir))
    write_points(points_path, points)
    plot(grouped(points), out)


if __name__ == "__main__":
    main()
