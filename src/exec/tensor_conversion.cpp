#include "exec/tensor_conversion.h"

#include <ATen/ATen.h>

#include <cstring>

#include "util/error.h"

namespace nacre {

at::ScalarType to_scalar_type(DataType dtype) {
  switch (dtype) {
    case DataType::kFloat32:
      return at::kFloat;
    case DataType::kFloat64:
      return at::kDouble;
    case DataType::kInt64:
      return at::kLong;
    case DataType::kInt32:
      return at::kInt;
    case DataType::kInt8:
      return at::kChar;
    case DataType::kUInt8:
      return at::kByte;
    case DataType::kBool:
      return at::kBool;
  }
  throw make_error("unknown nacre data type ", static_cast<int>(dtype));
}

DataType to_data_type(at::ScalarType scalar_type) {
  switch (scalar_type) {
    case at::kFloat:
      return DataType::kFloat32;
    case at::kDouble:
      return DataType::kFloat64;
    case at::kLong:
      return DataType::kInt64;
    case at::kInt:
      return DataType::kInt32;
    case at::kChar:
      return DataType::kInt8;
    case at::kByte:
      return DataType::kUInt8;
    case at::kBool:
      return DataType::kBool;
    default:
      break;
  }
  throw make_error("LibTorch type ", c10::toString(scalar_type),
                   " has no nacre equivalent; cast to float32 or int64 first");
}

at::Tensor to_torch(const Tensor& tensor) {
  at::Tensor result = at::empty(tensor.shape(), at::TensorOptions().dtype(to_scalar_type(tensor.dtype())));
  if (tensor.byte_size() > 0) std::memcpy(result.data_ptr(), tensor.raw(), tensor.byte_size());
  return result;
}

Tensor from_torch(const at::Tensor& tensor) {
  at::Tensor dense = tensor.detach().to(at::kCPU).contiguous();
  Tensor result(to_data_type(dense.scalar_type()), Shape(dense.sizes().begin(), dense.sizes().end()));
  if (result.byte_size() > 0) std::memcpy(result.mutable_raw(), dense.data_ptr(), result.byte_size());
  return result;
}

}  // namespace nacre
