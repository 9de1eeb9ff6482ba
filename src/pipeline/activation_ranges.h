// The calibration of post-training quantization: the range each activation takes on the user's data, run
// with nacre's executor on the float model (the MinMax calibration of ONNX Runtime's quantizer).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "io/data/dataset.h"
#include "io/data/preprocess.h"
#include "ir/graph.h"
#include "passes/insert_qdq.h"

namespace nacre {

// [min, max] of each of `values` over every example of `data`, by value name. Throws Error when a value is
// not a float tensor with the batch as its first dimension.
std::map<std::string, ActivationRange> measure_activation_ranges(
    const Graph& graph, const std::vector<ValueId>& values, const LabeledImages& data,
    const Preprocessing& preprocessing, int64_t batch_size = 64, bool show_progress = true);

}  // namespace nacre
