// A subset of a dataset that keeps its class mix: every k-th example.
#pragma once

#include <cstdint>

#include "io/data/dataset.h"

namespace nacre {

// `count` examples, every (size / count)-th one from the first, so a subset of an image-folder split (ordered
// by class) still holds every class. The whole dataset when `count` is not below its size or is <= 0.
LabeledImages strided_subset(const LabeledImages& data, int64_t count);

}  // namespace nacre
