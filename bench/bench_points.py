#!/usr/bin/python3
"""The accuracy/speed-up points of every benchmark run, kept in bench/plot_points.json (committed: bench/runs is
not, so the points of runs made on other machines live there), and the label of a new run.

Reads what the benchmark scripts leave in RUNS_DIR:
  <model>-<budget>[-vN]/summary.json           a `nacre optimize` run (bench/bench_optimize.sh): its result's
                                               speed-up measured in the run, interleaved with the baseline
  alternatives-<model>/<alt>/test.json         an alternative (bench/bench_alternatives.sh): test top-1 and
  alternatives-<model>/<alt>/vs-baseline-torchscript-b1t1.json   its latency against the baseline, interleaved
A point from RUNS_DIR replaces the stored one of the same model, kind and label; none is dropped.

usage: /usr/bin/python3 bench/bench_points.py --free-label MODEL BUDGET [RUNS_DIR=bench/runs]
                                              [POINTS=bench/plot_points.json]
         prints the label of the next run of MODEL: BUDGET, BUDGET-v2, ... the first that is an unfinished run
         in RUNS_DIR (to resume) or names neither a run there nor a point in POINTS
(bench/plot_results.py updates POINTS and draws them.)
"""
import json
import os
import sys


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


def read_points(path):
    return load(path)["points"] if os.path.isfile(path) else []


def write_points(path, points):
    document = {"about": "Accuracy/speed-up points of every benchmark run, kept by bench/bench_points.py "
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


def updated(runs_dir, points_path):
    """The stored points merged with those of RUNS_DIR, written back to POINTS."""
    points = merged(read_points(points_path), collect(runs_dir))
    write_points(points_path, points)
    return points


def main():
    if len(sys.argv) < 4 or sys.argv[1] != "--free-label":
        sys.exit("usage: bench_points.py --free-label MODEL BUDGET [RUNS_DIR] [POINTS]")
    runs_dir = sys.argv[4] if len(sys.argv) > 4 else "bench/runs"
    points_path = sys.argv[5] if len(sys.argv) > 5 else "bench/plot_points.json"
    print(free_label(sys.argv[2], sys.argv[3], runs_dir, points_path))


if __name__ == "__main__":
    main()
