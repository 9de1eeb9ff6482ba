// Evaluates nodes whose inputs are all constants (Shape of a static shape, Gather, Concat, Unsqueeze, ...)
// and replaces them by initializers, so chains that compute static shapes disappear. Torch-free.
#pragma once

#include "ir/graph.h"

namespace nacre {

// Returns the number of nodes folded. Needs shapes (infer_shapes) to fold Shape nodes.
int fold_constants(Graph& graph);

}  // namespace nacre
