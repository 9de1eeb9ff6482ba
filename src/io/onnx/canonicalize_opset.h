// Rewrites nodes written for an older or newer opset into the opset-13 forms nacre's IR uses, so the executor
// and the passes know one form per op: attribute operands of old opsets (Squeeze/Unsqueeze axes, Split split,
// Clip min/max, Pad pads/value, Slice starts/ends/axes) become constant inputs; opset-18
// ReduceMean axes become an attribute; pre-13 Softmax over a non-last axis becomes Flatten/Softmax/Reshape.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "ir/graph.h"

namespace nacre {

constexpr int64_t kOldestImportedOpset = 7;
constexpr int64_t kNewestImportedOpset = 21;

// `declared_ranks` holds the rank the model declares for a value (from its value_info), by value name; it is
// only a hint that avoids rewriting Softmax. Sets graph.opset to 13. Throws Error naming the node when a form
// cannot be expressed in opset 13.
void canonicalize_to_opset13(Graph& graph, int64_t opset,
                             const std::map<std::string, int64_t>& declared_ranks);

}  // namespace nacre
