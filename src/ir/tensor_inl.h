// Template definitions for tensor.h.
#pragma once

#include <cstring>

#include "util/error.h"

namespace nacre {

template <>
inline DataType data_type_of<float>() {
  return DataType::kFloat32;
}
template <>
inline DataType data_type_of<double>() {
  return DataType::kFloat64;
}
template <>
inline DataType data_type_of<int64_t>() {
  return DataType::kInt64;
}
template <>
inline DataType data_type_of<int32_t>() {
  return DataType::kInt32;
}
template <>
inline DataType data_type_of<int8_t>() {
  return DataType::kInt8;
}
template <>
inline DataType data_type_of<uint8_t>() {
  return DataType::kUInt8;
}
template <>
inline DataType data_type_of<bool>() {
  return DataType::kBool;
}

template <typename T>
Tensor Tensor::from_vector(Shape shape, const std::vector<T>& values) {
  if (element_count(shape) != static_cast<int64_t>(values.size())) {
    throw make_error("tensor of shape ", to_string(shape), " cannot hold ", values.size(), " values");
  }
  Tensor tensor(data_type_of<T>(), std::move(shape));
  if (!values.empty()) {
    if constexpr (std::is_same_v<T, bool>) {
      for (size_t i = 0; i < values.size(); ++i) tensor.mutable_data<bool>()[i] = values[i];
    } else {
      std::memcpy(tensor.mutable_raw(), values.data(), values.size() * sizeof(T));
    }
  }
  return tensor;
}

template <typename T>
const T* Tensor::data() const {
  check_type(data_type_of<T>());
  return reinterpret_cast<const T*>(raw());
}

template <typename T>
T* Tensor::mutable_data() {
  check_type(data_type_of<T>());
  return reinterpret_cast<T*>(mutable_raw());
}

template <typename T>
std::vector<T> Tensor::to_vector() const {
  const T* begin = data<T>();
  return std::vector<T>(begin, begin + numel());
}

}  // namespace nacre
