// Before timing, a target's outputs must match nacre's executor on the same input: a target that computes
// something else is an error, not a fast model.
#pragma once

#include <string>
#include <vector>

#include "ir/graph.h"
#include "latency/target.h"

namespace nacre {

struct OutputTolerance {
  double relative = 1e-3;  // per element: |got - want| <= relative * (|want| + max|want|)
  // For a quantized model (QuantizeLinear nodes): an int8 runtime requantizes with integer arithmetic, so a
  // value may land one quantization step from the executor's float computation of the same rounding, and
  // such steps compound through the layers.
  double quantized_relative = 0.05;
};

// Runs `graph` with InferenceSession and `model` (inputs already set to `inputs`) and compares every output.
// Returns false when the target cannot return outputs; throws Error naming the target, the output and the
// worst element when they disagree.
bool check_outputs_against_executor(const Graph& graph, PreparedModel& model,
                                    const std::vector<Tensor>& inputs, const std::string& target_name,
                                    const OutputTolerance& tolerance = {});

}  // namespace nacre
