#include "passes/constant_kernels.h"

#include <cstring>
#include <map>

#include "util/error.h"

namespace nacre {

namespace constant_kernels {

namespace {

using Inputs = std::vector<const Tensor*>;
using Outputs = std::vector<ValueType>;

// Identity, Reshape, Flatten, Squeeze, Unsqueeze: the same bytes under the inferred shape.
std::vector<Tensor> same_bytes(const Node& node, const Inputs& inputs, const Outputs& outputs) {
  return {required_input(node, inputs, 0).reshaped(*outputs[0].shape)};
}

std::vector<Tensor> constant(const Node& node, const Inputs& inputs, const Outputs& outputs) {
  if (node.has("value")) return {node.get_tensor("value")};
  if (node.has("value_float"))
    return {Tensor::scalar<float>(static_cast<float>(node.get_float("value_float", 0)))};
  if (node.has("value_int")) return {Tensor::scalar<int64_t>(node.get_int("value_int", 0))};
  if (node.has("value_ints")) {
    std::vector<int64_t> values = node.get_ints("value_ints");
    return {Tensor::from_vector<int64_t>({static_cast<int64_t>(values.size())}, values)};
  }
  std::vector<double> reals = node.get_floats("value_floats");
  return {Tensor::from_vector<float>({static_cast<int64_t>(reals.size())},
                                     std::vector<float>(reals.begin(), reals.end()))};
}

std::vector<Tensor> constant_of_shape(const Node& node, const Inputs& inputs, const Outputs& outputs) {
  Tensor fill = node.has("value") ? node.get_tensor("value") : Tensor::scalar<float>(0.0f);
  Tensor out(fill.dtype(), *outputs[0].shape);
  size_t width = element_size(fill.dtype());
  std::byte* bytes = out.mutable_raw();
  for (int64_t i = 0; i < out.numel(); ++i) std::memcpy(bytes + i * width, fill.raw(), width);
  return {out};
}

template <typename To, typename From>
Tensor converted(const Shape& shape, const std::vector<From>& values) {
  std::vector<To> out(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    if constexpr (std::is_same_v<To, bool>) {
      out[i] = values[i] != 0;
    } else {
      out[i] = static_cast<To>(values[i]);
    }
  }
  return Tensor::from_vector<To>(shape, out);
}

template <typename From>
Tensor converted_to(DataType dtype, const Shape& shape, const std::vector<From>& values) {
  switch (dtype) {
    case DataType::kFloat32:
      return converted<float>(shape, values);
    case DataType::kFloat64:
      return converted<double>(shape, values);
    case DataType::kInt64:
      return converted<int64_t>(shape, values);
    case DataType::kInt32:
      return converted<int32_t>(shape, values);
    case DataType::kInt8:
      return converted<int8_t>(shape, values);
    case DataType::kUInt8:
      return converted<uint8_t>(shape, values);
    case DataType::kBool:
      return converted<bool>(shape, values);
  }
  throw Error("constant folding: unknown data type");
}

}  // namespace

// Integers go through int64 and floats through double, so neither loses precision on the way.
std::vector<Tensor> cast(const Node& node, const Inputs& inputs, const Outputs& outputs) {
  const Tensor& x = required_input(node, inputs, 0);
  bool is_float = x.dtype() == DataType::kFloat32 || x.dtype() == DataType::kFloat64;
  if (is_float) return {converted_to(outputs[0].dtype, x.shape(), x.as_doubles())};
  return {converted_to(outputs[0].dtype, x.shape(), x.as_int64s())};
}

const Tensor& required_input(const Node& node, const Inputs& inputs, size_t index) {
  if (index >= inputs.size() || !inputs[index]) {
    throw make_error("constant folding: node '", node.name, "' (", node.op_type, "): input ", index,
                     " is missing");
  }
  return *inputs[index];
}

std::vector<int64_t> strides_of(const Shape& shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (size_t i = shape.size(); i > 1; --i) strides[i - 2] = strides[i - 1] * shape[i - 1];
  return strides;
}

const std::map<std::string, Kernel>& kernels_by_op() {
  static const std::map<std::string, Kernel> kernels = {
      {"Add", binary_arithmetic},
      {"Cast", cast},
      {"Concat", concat},
      {"Constant", constant},
      {"ConstantOfShape", constant_of_shape},
      {"Div", binary_arithmetic},
      {"Flatten", same_bytes},
      {"Gather", gather},
      {"Identity", same_bytes},
      {"Mul", binary_arithmetic},
      {"Reshape", same_bytes},
      {"Slice", slice},
      {"Squeeze", same_bytes},
      {"Sub", binary_arithmetic},
      {"Transpose", transpose},
      {"Unsqueeze", same_bytes},
  };
  return kernels;
}

}  // namespace constant_kernels

bool has_constant_kernel(const std::string& op_type) {
  return constant_kernels::kernels_by_op().count(op_type) > 0;
}

std::vector<Tensor> evaluate_constant_node(const Node& node, const std::vector<const Tensor*>& inputs,
                                           const std::vector<ValueType>& outputs) {
  const auto& kernels = constant_kernels::kernels_by_op();
  auto kernel = kernels.find(node.op_type);
  if (kernel == kernels.end()) {
    throw make_error("constant folding: node '", node.name, "': no CPU kernel for op ", node.op_type);
  }
  for (const ValueType& output : outputs) {
    if (!output.shape || !is_static(*output.shape)) {
      throw make_error("constant folding: node '", node.name, "' (", node.op_type,
                       "): output shape is not static");
    }
  }
  return kernel->second(node, inputs, outputs);
}

}  // namespace nacre
