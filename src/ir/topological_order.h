// A producer-before-consumer order of a graph's nodes, computed without reordering the graph.
#pragma once

#include <optional>
#include <vector>

#include "ir/graph.h"

namespace nacre {

// Node ids with every producer before its consumers, keeping the stored order where it is already valid;
// nullopt when the nodes form a cycle. Inputs that no node produces (or that are out of range) are ignored.
std::optional<std::vector<NodeId>> topological_order(const Graph& graph);

}  // namespace nacre
