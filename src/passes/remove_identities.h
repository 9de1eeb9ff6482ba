// Removes Identity and inference-mode Dropout nodes, rewiring their consumers to the input.
#pragma once

#include "ir/graph.h"

namespace nacre {

int remove_identities(Graph& graph);  // returns the number of nodes removed

}  // namespace nacre
