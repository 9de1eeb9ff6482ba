// Reads an ONNX file into nacre's IR, in canonical (opset 13) form: attribute-style operands of older opsets
// (Squeeze/Unsqueeze/Split axes, Clip min/max, Pad pads) become inputs; opset 18 ReduceMean axes become an
// attribute. Every op must be in supported_op_types(): otherwise the error lists each unsupported node.
#pragma once

#include <optional>
#include <string>

#include "ir/graph.h"

namespace nacre {

struct ImportOptions {
  // Replaces the shape of the first graph input (e.g. to fix symbolic dimensions); rank must match.
  std::optional<Shape> input_shape;
};

// The raw import: no folding or shape inference. Throws Error naming the file and, where known, the node.
Graph import_onnx(const std::string& path, const ImportOptions& options = {});
Graph import_onnx_from_bytes(const std::string& bytes, const std::string& base_dir,
                             const ImportOptions& options = {});

}  // namespace nacre
