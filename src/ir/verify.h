// Structural checks of a graph: every input defined, single producers, acyclic, known ops, required
// attributes.
#pragma once

#include <string>
#include <vector>

#include "ir/graph.h"

namespace nacre {

std::vector<std::string> find_problems(const Graph& graph);  // empty when the graph is valid
void verify(const Graph& graph);                             // throws Error listing every problem
}  // namespace nacre
