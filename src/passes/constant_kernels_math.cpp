// Add, Sub, Mul and Div of constants with ONNX (numpy) broadcasting.
#include "passes/constant_kernels.h"
#include "util/error.h"

namespace nacre::constant_kernels {

namespace {

// Strides of an input as seen from the output's indices: 0 along broadcast (size-1 or missing) axes.
std::vector<int64_t> broadcast_strides(const Shape& input, const Shape& output) {
  std::vector<int64_t> own = strides_of(input);
  std::vector<int64_t> strides(output.size(), 0);
  size_t offset = output.size() - input.size();
  for (size_t i = 0; i < input.size(); ++i) strides[offset + i] = input[i] == 1 ? 0 : own[i];
  return strides;
}

template <typename T>
T apply(const Node& node, T a, T b) {
  const std::string& op = node.op_type;
  if (op == "Add") return a + b;
  if (op == "Sub") return a - b;
  if (op == "Mul") return a * b;
  if constexpr (std::is_integral_v<T>) {
    if (b == 0) throw make_error("constant folding: node '", node.name, "' (Div) divides an integer by zero");
  }
  return a / b;
}

template <typename T>
Tensor elementwise(const Node& node, const Tensor& a, const Tensor& b, const Shape& shape) {
  Tensor out(a.dtype(), shape);
  std::vector<int64_t> a_strides = broadcast_strides(a.shape(), shape);
  std::vector<int64_t> b_strides = broadcast_strides(b.shape(), shape);
  const T* a_data = a.data<T>();
  const T* b_data = b.data<T>();
  T* out_data = out.mutable_data<T>();
  int64_t position = 0;
  for_each_index(shape, [&](const std::vector<int64_t>& index) {
    int64_t a_offset = 0, b_offset = 0;
    for (size_t axis = 0; axis < index.size(); ++axis) {
      a_offset += index[axis] * a_strides[axis];
      b_offset += index[axis] * b_strides[axis];
    }
    out_data[position++] = apply<T>(node, a_data[a_offset], b_data[b_offset]);
  });
  return out;
}

}  // namespace

std::vector<Tensor> binary_arithmetic(const Node& node, const std::vector<const Tensor*>& inputs,
                                      const std::vector<ValueType>& outputs) {
  const Tensor& a = required_input(node, inputs, 0);
  const Tensor& b = required_input(node, inputs, 1);
  const Shape& shape = *outputs[0].shape;
  if (a.dtype() != b.dtype()) {
    throw make_error("constant folding: node '", node.name, "' (", node.op_type, "): inputs have types ",
                     to_string(a.dtype()), " and ", to_string(b.dtype()));
  }
  switch (a.dtype()) {
    case DataType::kFloat32:
      return {elementwise<float>(node, a, b, shape)};
    case DataType::kFloat64:
      return {elementwise<double>(node, a, b, shape)};
    case DataType::kInt64:
      return {elementwise<int64_t>(node, a, b, shape)};
    case DataType::kInt32:
      return {elementwise<int32_t>(node, a, b, shape)};
    case DataType::kInt8:
      return {elementwise<int8_t>(node, a, b, shape)};
    case DataType::kUInt8:
      return {elementwise<uint8_t>(node, a, b, shape)};
    default:
      throw make_error("constant folding: node '", node.name, "' (", node.op_type, "): no kernel for type ",
                       to_string(a.dtype()));
  }
}

}  // namespace nacre::constant_kernels
