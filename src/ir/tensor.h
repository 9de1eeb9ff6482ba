// A dense tensor owned by nacre: dtype, shape and bytes. Copies share the bytes until one is written.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nacre {

enum class DataType { kFloat32, kFloat64, kInt64, kInt32, kInt8, kUInt8, kBool };

std::size_t element_size(DataType dtype);
std::string to_string(DataType dtype);
DataType data_type_from_string(const std::string& name);  // "float32", "int64", ...

using Shape = std::vector<int64_t>;  // a dimension below 0 is unknown (symbolic)

int64_t element_count(const Shape& shape);  // -1 if any dimension is unknown
bool is_static(const Shape& shape);
std::string to_string(const Shape& shape);  // "[1,3,32,32]", unknown dimensions as "?"

template <typename T>
DataType data_type_of();

class Tensor {
 public:
  Tensor() = default;
  Tensor(DataType dtype, Shape shape);  // zero-filled; shape must be static
  Tensor(DataType dtype, Shape shape, std::vector<std::byte> bytes);

  template <typename T>
  static Tensor from_vector(Shape shape, const std::vector<T>& values);
  template <typename T>
  static Tensor scalar(T value) {
    return from_vector<T>({}, {value});
  }

  DataType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  int64_t rank() const { return static_cast<int64_t>(shape_.size()); }
  int64_t numel() const { return element_count(shape_); }
  std::size_t byte_size() const { return bytes_ ? bytes_->size() : 0; }
  bool empty() const { return !bytes_; }

  const std::byte* raw() const { return bytes_ ? bytes_->data() : nullptr; }
  std::byte* mutable_raw();  // detaches from other copies first

  template <typename T>
  const T* data() const;
  template <typename T>
  T* mutable_data();
  template <typename T>
  std::vector<T> to_vector() const;
  // Any integer or float tensor read as int64 / double (for shapes, axes and attribute-like constants).
  std::vector<int64_t> as_int64s() const;
  std::vector<double> as_doubles() const;

  Tensor reshaped(Shape shape) const;  // same bytes, new shape of equal element count
  bool shares_bytes_with(const Tensor& other) const { return bytes_ && bytes_ == other.bytes_; }

 private:
  void check_type(DataType requested) const;

  DataType dtype_ = DataType::kFloat32;
  Shape shape_;
  std::shared_ptr<std::vector<std::byte>> bytes_;
};

}  // namespace nacre

#include "ir/tensor_inl.h"
