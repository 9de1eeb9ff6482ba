// Labelled image datasets held in memory as uint8 [N, C, H, W], from IDX files or image folder trees.
//
// Recognised layouts of a data directory ROOT:
//   IDX:          ROOT/{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]   (MNIST, Fashion-MNIST)
//   image folder: ROOT/{train,test}/<class>/*.{jpg,jpeg,png,bmp}           (classes sorted by name)
// Splits: test = the test files; val = per class, the last floor(n_class / 10) of that class's training
// examples (image folders: files sorted by name; IDX: file order); train = the rest of the training examples.
// Examples keep that order (image folders: by class, then file name). A user-named validation directory
// (<class>/ folders named like the training classes) replaces the carved val split; train is then all of
// the training examples.
// IDX classes are "0" .. "9" (more if the training labels go higher). Test folders must have the training
// classes. A limit keeps the first N examples of the split; for image folders, whose split is ordered by
// class, the N are taken round-robin over classes (the first of each class, then the second, ...) and come
// in that interleaved order, so that a small limit still covers every class.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ir/tensor.h"

namespace nacre {

enum class Split { kTrain, kVal, kTest };
Split split_from_string(const std::string& name);  // "train", "val", "test"
std::string to_string(Split split);

struct LabeledImages {
  Tensor images;                         // uint8 [N, C, H, W]
  std::vector<int64_t> labels;           // N class indices
  std::vector<std::string> class_names;  // index -> name
  std::string description;               // e.g. "image folder /data/cifar10, split val"
  int64_t size() const { return static_cast<int64_t>(labels.size()); }
};

struct DatasetOptions {
  Split split = Split::kTest;
  std::optional<std::string> val_dir;  // replaces the carved validation split
  int64_t limit = -1;                  // keep the first N examples of the split (-1: all)
  // Called while loading with (done, total), for a progress display.
  void (*progress)(int64_t done, int64_t total, void* context) = nullptr;
  void* progress_context = nullptr;
};

// Throws Error for a missing directory, an unrecognised layout, unreadable or mismatched files.
LabeledImages load_dataset(const std::string& root, const DatasetOptions& options);

// One split of `root`, its first `limit` examples (-1: all), the validation split read from `val_dir` when it
// is not empty. The same errors.
LabeledImages load_split(const std::string& root, const std::string& val_dir, Split split, int64_t limit);

}  // namespace nacre
