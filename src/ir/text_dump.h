// A readable text form of a graph, for tests, logs and bug reports, e.g.
//   input x: float32[1,3,32,32]
//   %conv1_out: float32[1,16,32,32] = Conv(x, conv1.weight[16,3,3,3], conv1.bias[16]) {pads=[1,1,1,1]}
//   output %fc_out
#pragma once

#include <string>

#include "ir/graph.h"

namespace nacre {

std::string to_text(const Graph& graph);
std::string to_text(const Graph& graph, NodeId node);

}  // namespace nacre
