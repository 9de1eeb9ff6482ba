// OpenCV 4.6's ONNX importer reads some ops only in their pre-opset-13 form, with constant operands as
// attributes: Clip min/max, Squeeze/Unsqueeze axes, Split split. nacre exports opset 13, so an export for
// OpenCV has those nodes rewritten first. The computation is the same.
#pragma once

#include "ir/graph.h"

namespace nacre {

// Throws Error naming the node when an operand that must become an attribute is not a constant.
Graph with_legacy_attribute_forms(const Graph& graph);

}  // namespace nacre
