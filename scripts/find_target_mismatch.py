#!/usr/bin/python3
"""Finds the first node whose output a target computes differently from nacre's executor.

usage: /usr/bin/python3 scripts/find_target_mismatch.py MODEL.onnx [TARGET=torchscript] [NACRE=build/nacre]

When `nacre latency MODEL --target T` stops at its output cross-check, this cuts the model after node k
(onnx.utils.extract_model, Debian's python3-onnx) and bisects over k with the same command, so the answer is the
first node in graph order whose output already differs. Each probe prepares the model on the target, so expect
a few seconds per probe and about log2(nodes) probes. Cut files are written to a temporary folder.
"""
import subprocess
import sys
import tempfile

import onnx
import onnx.utils


def main():
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(sys.argv) >= 2 else 2
    model_path = sys.argv[1]
    target = sys.argv[2] if len(sys.argv) > 2 else "torchscript"
    nacre = sys.argv[3] if len(sys.argv) > 3 else "build/nacre"
    model = onnx.load(model_path)
    nodes = [n for n in model.graph.node if n.op_type != "Constant"]
    initializers = {t.name for t in model.graph.initializer}
    inputs = [i.name for i in model.graph.input if i.name not in initializers]
    folder = tempfile.mkdtemp(prefix="nacre-mismatch-")

    def matches(k):
        cut = f"{folder}/cut{k}.onnx"
        onnx.utils.extract_model(model_path, cut, inputs, [nodes[k].output[0]])
        run = subprocess.run([nacre, "latency", cut, "--target", target], capture_output=True, text=True)
        last = (run.stderr.strip().splitlines() or [""])[-1]
        print(f"node {k} {nodes[k].op_type} {nodes[k].name}: " + ("matches" if run.returncode == 0 else last),
              flush=True)
        return run.returncode == 0

    low, high = 0, len(nodes) - 1
    if matches(high):
        print("the whole model matches the executor on", target)
        return 0
    while low < high:
        middle = (low + high) // 2
        if matches(middle):
            low = middle + 1
        else:
            high = middle
    node = nodes[low]
    print(f"first mismatch: node {low} {node.op_type} {node.name}, inputs {list(node.input)}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
