// The one way the rest of nacre loads a model: import, fold constants, infer shapes, verify.
#pragma once

#include <string>

#include "io/onnx/onnx_import.h"

namespace nacre {

Graph load_model(const std::string& path, const ImportOptions& options = {});

}  // namespace nacre
