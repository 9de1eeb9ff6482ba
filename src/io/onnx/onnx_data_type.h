// Mapping between nacre's DataType and ONNX's TensorProto element types (as plain ints, so no protobuf here).
#pragma once

#include <cstdint>
#include <string>

#include "ir/tensor.h"

namespace nacre {

// Throws Error naming `what` (a tensor or value) when the ONNX type has no nacre equivalent.
DataType data_type_from_onnx(int32_t onnx_type, const std::string& what);
int32_t onnx_data_type(DataType dtype);
std::string onnx_data_type_name(int32_t onnx_type);  // "FLOAT16", "STRING", ... for messages

}  // namespace nacre
