// Static shapes and dtypes for every value, following ONNX semantics; unknown dimensions stay negative.
#pragma once

#include "ir/graph.h"

namespace nacre {

// Fills Value::shape and Value::dtype of every node output. Throws Error naming the node on inconsistent
// shapes (e.g. Conv channels that do not match the weight).
void infer_shapes(Graph& graph);

}  // namespace nacre
