#!/usr/bin/python3
"""Trains a quick baseline the way a user would, for the demo and the benchmarks: an unmodified torchvision
classifier (only the stem adapted to one input channel), SGD with a one-cycle schedule, exported with
torch.onnx.export in eval mode, with MODEL.json beside it (preprocessing, accuracy) as nacre reads it.

The validation split is carved as nacre carves it (per class, the last 10% of that class's training examples in
file order) and never trained on, so nacre's validation accuracy of the exported model is honest.

usage: /usr/bin/python3 bench/train_baseline.py --out runs/baselines/resnet18_fmnist_quick.onnx [--epochs 2]
An existing OUT is kept (a second run trains nothing); delete it to train again.
"""
import argparse
import gzip
import json
import os
import sys
import time

import numpy as np
import torch
import torchvision

FASHION_MNIST = "/usr/share/datasets/fashion-mnist"
MEAN, STD = 0.2860, 0.3530  # Fashion-MNIST training images scaled to [0, 1]


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(folder, prefix):
    images = read_idx(os.path.join(folder, f"{prefix}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(folder, f"{prefix}-labels-idx1-ubyte.gz"))
    return images, labels.astype(np.int64)


def carve_validation(labels):
    """Indices of (train, val): per class, the last floor(n/10) examples in file order are validation."""
    val = []
    for c in np.unique(labels):
        members = np.flatnonzero(labels == c)
        val.extend(members[len(members) - len(members) // 10:])
    is_val = np.zeros(len(labels), dtype=bool)
    is_val[val] = True
    return np.flatnonzero(~is_val), np.flatnonzero(is_val)


def to_tensor(images):
    return (torch.from_numpy(np.array(images)).float().div(255).sub(MEAN).div(STD)).unsqueeze(1)


def accuracy(model, images, labels, batch=500):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(labels), batch):
            logits = model(to_tensor(images[i:i + batch]))
            correct += (logits.argmax(1).numpy() == labels[i:i + batch]).sum()
    return float(correct) / len(labels)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="the ONNX file to write (MODEL.json goes beside it)")
    parser.add_argument("--data", default=FASHION_MNIST, help="folder of Fashion-MNIST IDX files")
    parser.add_argument("--epochs", type=float, default=2)
    parser.add_argument("--limit", type=int, default=0, help="train on at most N examples (quick checks)")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if os.path.exists(args.out):
        print(f"{args.out} exists: kept (delete it to train again)")
        return
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    images, labels = load(args.data, "train")
    test_images, test_labels = load(args.data, "t10k")
    train_index, val_index = carve_validation(labels)
    if args.limit:
        train_index = np.random.default_rng(args.seed).permutation(train_index)[:args.limit]

    model = torchvision.models.resnet18(num_classes=10)
    model.conv1 = torch.nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
    batch = 128
    steps = max(1, int(args.epochs * len(train_index) / batch))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=steps)
    rng = np.random.default_rng(args.seed)
    start = time.time()
    model.train()
    for step in range(steps):
        chosen = train_index[rng.integers(0, len(train_index), batch)]
        x = to_tensor(images[chosen])
        if rng.random() < 0.5:
            x = x.flip(3)
        loss = torch.nn.functional.cross_entropy(model(x), torch.from_numpy(labels[chosen]))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        if step % max(1, steps // 20) == 0 or step == steps - 1:
            elapsed = time.time() - start
            print(f"\rtrain {step + 1}/{steps} steps, loss {loss.item():.3f}, "
                  f"{elapsed:.0f}s, left {elapsed / (step + 1) * (steps - step - 1):.0f}s", end="", file=sys.stderr)
    print(file=sys.stderr)
    val_accuracy = accuracy(model, images[val_index], labels[val_index])
    test_accuracy = accuracy(model, test_images, test_labels)
    print(f"validation top-1 {val_accuracy:.4f}, test top-1 {test_accuracy:.4f}, trained in {time.time() - start:.0f}s")

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    model.eval()
    partial = args.out + ".partial"
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), partial, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, opset_version=13)
    description = {
        "model": os.path.basename(args.out),
        "architecture": "torchvision.models.resnet18(num_classes=10), stem conv adapted to 1 channel",
        "dataset": "fmnist",
        "input": {"layout": "NCHW", "shape": [1, 1, 28, 28], "dtype": "float32",
                  "preprocess": "x/255, then (x-mean)/std", "mean": [MEAN], "std": [STD]},
        "train_recipe": f"SGD nesterov m=0.9 wd=5e-4, OneCycle max_lr=0.1, bs={batch}, {args.epochs} epochs, "
                        "horizontal flip, on the train split minus the validation split",
        "val_top1": val_accuracy, "val_examples": int(len(val_index)),
        "train_examples": int(len(train_index)),
        "test_top1": test_accuracy, "test_examples": int(len(test_labels)),
        "exporter": f"torch {torch.__version__}, torch.onnx.export opset 13, eval mode",
    }
    with open(os.path.splitext(args.out)[0] + ".json", "w") as f:
        json.dump(description, f, indent=2)
    os.replace(partial, args.out)  # last: an existing OUT always comes with its JSON
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
