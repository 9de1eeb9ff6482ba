#include "io/onnx/onnx_data_type.h"

#include <onnx/onnx_pb.h>

#include "util/error.h"

namespace nacre {

DataType data_type_from_onnx(int32_t onnx_type, const std::string& what) {
  switch (onnx_type) {
    case onnx::TensorProto::FLOAT:
      return DataType::kFloat32;
    case onnx::TensorProto::DOUBLE:
      return DataType::kFloat64;
    case onnx::TensorProto::INT64:
      return DataType::kInt64;
    case onnx::TensorProto::INT32:
      return DataType::kInt32;
    case onnx::TensorProto::INT8:
      return DataType::kInt8;
    case onnx::TensorProto::UINT8:
      return DataType::kUInt8;
    case onnx::TensorProto::BOOL:
      return DataType::kBool;
    default:
      break;
  }
  throw make_error(what, " has element type ", onnx_data_type_name(onnx_type),
                   ", which nacre does not support (supported: float32, float64, int64, int32, int8, uint8, "
                   "bool); convert the model to float32 before importing it");
}

int32_t onnx_data_type(DataType dtype) {
  switch (dtype) {
    case DataType::kFloat32:
      return onnx::TensorProto::FLOAT;
    case DataType::kFloat64:
      return onnx::TensorProto::DOUBLE;
    case DataType::kInt64:
      return onnx::TensorProto::INT64;
    case DataType::kInt32:
      return onnx::TensorProto::INT32;
    case DataType::kInt8:
      return onnx::TensorProto::INT8;
    case DataType::kUInt8:
      return onnx::TensorProto::UINT8;
    case DataType::kBool:
      return onnx::TensorProto::BOOL;
  }
  throw make_error("unknown data type ", static_cast<int>(dtype));
}

std::string onnx_data_type_name(int32_t onnx_type) {
  if (!onnx::TensorProto_DataType_IsValid(onnx_type)) return "unknown (" + std::to_string(onnx_type) + ")";
  return onnx::TensorProto_DataType_Name(static_cast<onnx::TensorProto_DataType>(onnx_type));
}

}  // namespace nacre
