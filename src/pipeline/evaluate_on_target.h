// Accuracy of a classifier as a target's runtime computes it: what the deployed model scores after the
// runtime's own graph optimisation and kernels (e.g. ONNX Runtime fusing a QDQ model into int8 QLinearConv,
// whose rounding nacre's executor does not reproduce exactly).
#pragma once

#include "latency/target.h"
#include "pipeline/evaluate_classifier.h"

namespace nacre {

// Runs `graph` on `target` in batches of `batch` rows (the last one zero-padded) with `threads` intra-op
// threads and counts its hits as evaluate_classifier does. Throws Error when the target is not available,
// lacks one of the graph's ops (naming them), cannot take that batch size, or cannot return outputs (a target
// that only reports times).
EvaluationResult evaluate_on_target(const Graph& graph, const LabeledImages& data,
                                    const Preprocessing& preprocessing, Target& target, int64_t batch,
                                    int threads, const EvaluationOptions& options = {});

}  // namespace nacre
