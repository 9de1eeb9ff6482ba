// The finest chain of cuts through a graph: every value through which the whole forward pass narrows to
// one live non-constant tensor. Internal to the space library (segmentation.cpp groups these into blocks).
#pragma once

#include <vector>

#include "ir/graph.h"

namespace nacre {

struct FineSegments {
  std::vector<ValueId> cuts;                  // cuts[0] is the model input, cuts.back() its output
  std::vector<std::vector<NodeId>> segments;  // segments[k]: nodes between cuts[k] and cuts[k + 1]
  std::vector<NodeId> order;                  // the topological order the segments follow
  std::vector<bool> constant_like;            // per value: computable from constants alone
};

// The graph must have one input and one output. Constant-like nodes (fed only by constants) join the
// segment of their first consumer. Each segment's nodes are in topological order.
FineSegments find_fine_segments(const Graph& model);

}  // namespace nacre
