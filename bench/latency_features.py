#!/usr/bin/env python3
"""Which architecture features would improve the latency predictor's correction (issue 4), judged offline on a
finished `bench/bench_latency_model.sh` run: for each set of features (always with the block sum), a linear fit
on relative error with an offset, 5-fold cross-validated like `nacre latency-model --validate`, printing the
held-out Kendall tau-b and mean absolute percentage error. Features: the block sum, parameters and MACs (millions),
and how many blocks are skipped, kept, or depthwise-separable / inverted-bottleneck.
usage: /usr/bin/python3 bench/latency_features.py RUN_DIR SPACE_JSON
  e.g. build/nacre space ../shared/baselines/resnet18_cifar10.onnx --json /tmp/space.json
       /usr/bin/python3 bench/latency_features.py bench/runs/latency-model-20261203-152654 /tmp/space.json"""
import itertools
import json
import sys

import numpy as np

run, space_json = sys.argv[1], sys.argv[2]
j = json.load(open(run + "/latency_model.json"))
space = json.load(open(space_json))
v = j.get("validation", j)
pairs = v["pairs"]
def kendall(a, b):
    n = len(a); c = d = 0
    for i in range(n):
        for k in range(i + 1, n):
            s = np.sign(a[i] - a[k]) * np.sign(b[i] - b[k])
            c += s > 0; d += s < 0
    return (c - d) / (c + d)
rows = []
for p in pairs:
    ch = [int(x) for x in p["architecture"].split(".")]
    cands = [space["blocks"][b]["candidates"][c] for b, c in enumerate(ch)]
    macs = sum(c["macs"] for c in cands) / 1e6
    skips = sum(c["generator"] == "skip" for c in cands)
    kept = sum(c["generator"] == "keep" for c in cands)
    dw = sum(c["generator"] in ("depthwise_separable", "inverted_bottleneck") for c in cands)
    params = sum(c["parameters"] for c in cands) / 1e6
    rows.append((p["block_sum_ms"], params, macs, skips, kept, dw, p["measured_ms"], p["predicted_ms"]))
X = np.array(rows)
meas = X[:, 6]
print("n", len(X), "tau predicted", round(kendall(X[:, 7], meas), 3), "tau sum", round(kendall(X[:, 0], meas), 3))
names = ["sum", "Mparams", "Mmacs", "skips", "kept", "dw"]
def cv(cols, folds=5):
    pred = np.zeros(len(X))
    idx = np.arange(len(X))
    for f in range(folds):
        test = idx % folds == f
        A = np.column_stack([X[:, c] for c in cols] + [np.ones(len(X))])
        w = 1 / meas
        coef, *_ = np.linalg.lstsq(A[~test] * w[~test, None], meas[~test] * w[~test], rcond=None)
        pred[test] = A[test] @ coef
    return kendall(pred, meas), np.mean(np.abs(pred - meas) / meas)
for k in range(1, 4):
    for cols in itertools.combinations(range(6), k):
        if 0 not in cols: continue
        t, m = cv(list(cols))
        print([names[c] for c in cols], "tau %.3f mape %.3f" % (t, m))
