#!/usr/bin/python3
"""Exports a standard efficient torchvision architecture, untrained (torchvision's own initialisation), as the
student a user would try instead of nacre: shaped for a baseline's input (read from its MODEL.json) and class
count, with only the stem adapted when the input has a channel count other than 3. `nacre finetune` then trains
it by distillation from the baseline.

Its BatchNorm statistics are set before the export by forward passes in training mode on standard-normal inputs
(the normalised input's first two moments), as a user's first batches would set them. Left at their defaults
(mean 0, variance 1) they do not normalise: mobilenet_v3_small's eval-mode export then gave logits of order
1e-10 for every input, and distillation, which starts each reintroduced BatchNorm as the identity, kept that
scale and learnt only the classifier's bias (10% accuracy, bench/RESULTS.md).

usage: /usr/bin/python3 bench/make_student.py ARCH BASELINE.json OUT.onnx
  ARCH: mobilenet_v3_small or shufflenet_v2_x0_5
  e.g. /usr/bin/python3 bench/make_student.py mobilenet_v3_small ../shared/baselines/resnet18_cifar10.json s.onnx
An existing OUT is kept.
"""
import json
import os
import sys

import torch
import torchvision

ARCHITECTURES = ("mobilenet_v3_small", "shufflenet_v2_x0_5")


def adapt_stem(model, arch, channels):
    if channels == 3:
        return
    if arch == "mobilenet_v3_small":
        old = model.features[0][0]
        model.features[0][0] = torch.nn.Conv2d(channels, old.out_channels, old.kernel_size, old.stride,
                                               old.padding, bias=False)
    else:
        old = model.conv1[0]
        model.conv1[0] = torch.nn.Conv2d(channels, old.out_channels, old.kernel_size, old.stride, old.padding,
                                         bias=False)


def set_batchnorm_statistics(model, shape, batches=16, batch_size=64):
    """Running means and variances averaged over `batches` training-mode passes on standard-normal inputs."""
    for module in model.modules():
        if isinstance(module, torch.nn.modules.batchnorm._BatchNorm):
            module.reset_running_stats()
            module.momentum = None  # a cumulative average over the passes
    model.train()
    with torch.no_grad():
        for _ in range(batches):
            model(torch.randn(batch_size, *shape[1:]))


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ARCHITECTURES:
        sys.exit(__doc__)
    arch, baseline_json, out = sys.argv[1:]
    if os.path.exists(out):
        print(f"{out} exists: kept")
        return
    with open(baseline_json) as f:
        baseline = json.load(f)
    shape = baseline["input"]["shape"]
    classes = int(baseline.get("classes", 10))
    torch.manual_seed(0)
    model = getattr(torchvision.models, arch)(num_classes=classes)
    adapt_stem(model, arch, shape[1])
    set_batchnorm_statistics(model, shape)
    model.eval()
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    partial = out + ".partial"
    torch.onnx.export(model, torch.zeros(*shape), partial, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, opset_version=13)
    os.replace(partial, out)
    with open(os.path.splitext(out)[0] + ".json", "w") as f:
        json.dump({"model": os.path.basename(out), "architecture": f"torchvision.models.{arch}(num_classes={classes})",
                   "input": baseline["input"], "weights": "untrained (torchvision initialisation; BatchNorm statistics from standard-normal inputs)"}, f, indent=2)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
