// Preparing any graph (a whole model or one block) for measurement: the requested batch size on its inputs,
// and random inputs of the right shapes.
#pragma once

#include <cstdint>
#include <vector>

#include "ir/graph.h"

namespace nacre {

// A copy whose inputs have `batch` as their first dimension (unknown or different), constants folded again
// and shapes re-inferred. Throws Error naming the graph and input when an input has an unknown non-batch
// dimension or the graph cannot take that batch (e.g. a Reshape with the export's batch size baked in).
Graph graph_with_batch(const Graph& graph, int64_t batch);

// Inputs in graph.inputs order: floats uniform in [0, 1), integers and booleans zero. Same seed, same values.
std::vector<Tensor> random_inputs(const Graph& graph, uint64_t seed = 1);

}  // namespace nacre
