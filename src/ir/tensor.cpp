#include "ir/tensor.h"

#include <sstream>

namespace nacre {

std::size_t element_size(DataType dtype) {
  switch (dtype) {
    case DataType::kFloat32:
      return 4;
    case DataType::kFloat64:
      return 8;
    case DataType::kInt64:
      return 8;
    case DataType::kInt32:
      return 4;
    case DataType::kInt8:
      return 1;
    case DataType::kUInt8:
      return 1;
    case DataType::kBool:
      return 1;
  }
  throw Error("unknown data type");
}

std::string to_string(DataType dtype) {
  switch (dtype) {
    case DataType::kFloat32:
      return "float32";
    case DataType::kFloat64:
      return "float64";
    case DataType::kInt64:
      return "int64";
    case DataType::kInt32:
      return "int32";
    case DataType::kInt8:
      return "int8";
    case DataType::kUInt8:
      return "uint8";
    case DataType::kBool:
      return "bool";
  }
  return "?";
}

DataType data_type_from_string(const std::string& name) {
  for (DataType dtype : {DataType::kFloat32, DataType::kFloat64, DataType::kInt64, DataType::kInt32,
                         DataType::kInt8, DataType::kUInt8, DataType::kBool}) {
    if (to_string(dtype) == name) return dtype;
  }
  throw make_error("unknown data type '", name, "'");
}

int64_t element_count(const Shape& shape) {
  int64_t count = 1;
  for (int64_t dim : shape) {
    if (dim < 0) return -1;
    count *= dim;
  }
  return count;
}

bool is_static(const Shape& shape) { return element_count(shape) >= 0; }

std::string to_string(const Shape& shape) {
  std::ostringstream out;
  out << "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) out << ",";
    if (shape[i] < 0) {
      out << "?";
    } else {
      out << shape[i];
    }
  }
  out << "]";
  return out.str();
}

Tensor::Tensor(DataType dtype, Shape shape) : dtype_(dtype), shape_(std::move(shape)) {
  int64_t count = element_count(shape_);
  if (count < 0) throw make_error("cannot allocate a tensor of dynamic shape ", to_string(shape_));
  bytes_ = std::make_shared<std::vector<std::byte>>(static_cast<size_t>(count) * element_size(dtype));
}

Tensor::Tensor(DataType dtype, Shape shape, std::vector<std::byte> bytes)
    : dtype_(dtype), shape_(std::move(shape)) {
  int64_t count = element_count(shape_);
  if (count < 0 || static_cast<size_t>(count) * element_size(dtype) != bytes.size()) {
    throw make_error("tensor of shape ", to_string(shape_), " and type ", to_string(dtype), " needs ",
                     count * static_cast<int64_t>(element_size(dtype)), " bytes, got ", bytes.size());
  }
  bytes_ = std::make_shared<std::vector<std::byte>>(std::move(bytes));
}

std::byte* Tensor::mutable_raw() {
  if (!bytes_) return nullptr;
  if (bytes_.use_count() > 1) bytes_ = std::make_shared<std::vector<std::byte>>(*bytes_);
  return bytes_->data();
}

void Tensor::check_type(DataType requested) const {
  if (requested != dtype_) {
    throw make_error("tensor holds ", to_string(dtype_), ", read as ", to_string(requested));
  }
}

std::vector<int64_t> Tensor::as_int64s() const {
  std::vector<int64_t> out(static_cast<size_t>(numel()));
  for (size_t i = 0; i < out.size(); ++i) {
    switch (dtype_) {
      case DataType::kFloat32:
        out[i] = static_cast<int64_t>(data<float>()[i]);
        break;
      case DataType::kFloat64:
        out[i] = static_cast<int64_t>(data<double>()[i]);
        break;
      case DataType::kInt64:
        out[i] = data<int64_t>()[i];
        break;
      case DataType::kInt32:
        out[i] = data<int32_t>()[i];
        break;
      case DataType::kInt8:
        out[i] = data<int8_t>()[i];
        break;
      case DataType::kUInt8:
        out[i] = data<uint8_t>()[i];
        break;
      case DataType::kBool:
        out[i] = data<bool>()[i] ? 1 : 0;
        break;
    }
  }
  return out;
}

std::vector<double> Tensor::as_doubles() const {
  if (dtype_ == DataType::kFloat32) {
    const float* values = data<float>();
    return std::vector<double>(values, values + numel());
  }
  if (dtype_ == DataType::kFloat64) return to_vector<double>();
  std::vector<int64_t> ints = as_int64s();
  return std::vector<double>(ints.begin(), ints.end());
}

Tensor Tensor::reshaped(Shape shape) const {
  if (element_count(shape) != numel()) {
    throw make_error("cannot reshape ", to_string(shape_), " to ", to_string(shape));
  }
  Tensor out = *this;
  out.shape_ = std::move(shape);
  return out;
}

}  // namespace nacre
