// Rewrites that let OpenCV DNN 4.6 import an exported graph: ops it rejects become equivalent ops it accepts.
#pragma once

#include "ir/graph.h"

namespace nacre {

// Clip with constant min/max inputs (opset 11+, which OpenCV 4.6 rejects) becomes
// min + (max - min) * HardSigmoid(x; alpha = 1 / (max - min), beta = -min / (max - min)), equal up to float
// rounding; Squeeze/Unsqueeze with an axes input become a Reshape to their inferred static shape (so run
// shape inference first). Returns the number of nodes rewritten.
int rewrite_for_opencv(Graph& graph);

}  // namespace nacre
