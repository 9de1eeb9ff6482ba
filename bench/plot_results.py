#!/usr/bin/python3
"""Accuracy against speed-up of every benchmarked model: baseline, nacre's results, the alternatives.

Adds the points of the runs in RUNS_DIR to POINTS (bench/bench_points.py says what it reads and keeps) and draws
one panel per baseline from POINTS: test top-1 against speed-up on torchscript at batch 1, 1 thread (the
optimize runs' target). Writes a PNG (matplotlib, Debian's python3-matplotlib).

usage: /usr/bin/python3 bench/plot_results.py [RUNS_DIR=bench/runs] [OUT=bench/accuracy_vs_speedup.png]
                                               [POINTS=bench/plot_points.json]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_points  # noqa: E402

kShownBelowBaseline = 5  # accuracy points below the baseline drawn to scale; lower points sit on the edge
kSameSpeedup = 0.05  # captions of points within 5% in speed-up are placed by their accuracy, not alternated


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
    runs_dir = sys.argv[1] if len(sys.argv) > 1 else "bench/runs"
    out = sys.argv[2] if len(sys.argv) > 2 else "bench/accuracy_vs_speedup.png"
    points_path = sys.argv[3] if len(sys.argv) > 3 else "bench/plot_points.json"
    plot(grouped(bench_points.updated(runs_dir, points_path)), out)


if __name__ == "__main__":
    main()
