// The ONNX ops nacre understands: what import accepts, shape inference knows and the executor runs.
#pragma once

#include <string>
#include <vector>

namespace nacre {

const std::vector<std::string>& supported_op_types();  // sorted
bool is_supported_op(const std::string& op_type);

}  // namespace nacre
