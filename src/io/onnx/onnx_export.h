// Writes any IR graph as an ONNX model (opset 13, weights inline) that ONNX Runtime and OpenCV DNN load.
#pragma once

#include <string>

#include "ir/graph.h"

namespace nacre {

std::string export_onnx_to_bytes(const Graph& graph);
// Writes to a temporary file beside `path` and renames it, so an existing file is never left half-written.
void export_onnx(const Graph& graph, const std::string& path);

}  // namespace nacre
