// Helpers shared by the dataset loaders: taking examples by index, and naming what was loaded.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/data/dataset.h"

namespace nacre {

// uint8 [indices.size(), C, H, W] holding images[indices[i]].
Tensor gather_images(const Tensor& images, const std::vector<int64_t>& indices);
std::vector<int64_t> gather_labels(const std::vector<int64_t>& labels, const std::vector<int64_t>& indices);
// Throws Error if a split selected nothing, saying why that can happen.
void check_split_not_empty(const std::vector<int64_t>& indices, const std::string& root, Split split);
// E.g. "image folder /data/cifar10, split val (from /data/myval), limit 100".
std::string describe_split(const std::string& kind, const std::string& root, const DatasetOptions& options);
// Reports a finished load of `count` examples to options.progress, if set.
void report_loaded(const DatasetOptions& options, int64_t count);

}  // namespace nacre
