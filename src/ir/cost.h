// Size and compute of a graph: parameters (elements of float initializers) and multiply-accumulates.
// Only Conv, Gemm and MatMul count MACs; every other op (BatchNormalization, elementwise, pooling, ...)
// counts 0, as their cost is small and memory-bound, not multiply-accumulates.
#pragma once

#include <cstdint>

#include "ir/graph.h"

namespace nacre {

// MACs of one node at the shapes inferred for it (batch as inferred; unknown dimensions count as 1).
int64_t node_macs(const Graph& graph, NodeId node);
int64_t total_macs(const Graph& graph);
int64_t parameter_count(const Graph& graph);  // elements of all float initializers

}  // namespace nacre
