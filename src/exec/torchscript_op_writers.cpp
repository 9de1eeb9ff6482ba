// The op writer table, TorchScript literals, and the element-wise ops, activations and reductions.
#include "exec/torchscript_op_writers.h"

#include <cmath>
#include <cstdio>
#include <map>

namespace nacre::torchscript {

namespace {

bool is_integer(DataType dtype) { return dtype != DataType::kFloat32 && dtype != DataType::kFloat64; }

// ONNX TensorProto.DataType codes to the ScalarType numbers TorchScript's Tensor.to(int) takes.
int64_t scalar_type_code(const NodeContext& context, int64_t onnx_code) {
  static const std::map<int64_t, int64_t> codes = {{1, 6}, {2, 0},  {3, 1},  {5, 2}, {6, 3},
                                                   {7, 4}, {9, 11}, {10, 5}, {11, 7}};
  auto it = codes.find(onnx_code);
  if (it == codes.end()) context.fail("Cast to ONNX data type " + std::to_string(onnx_code));
  return it->second;
}

std::string unary(const char* function, const NodeContext& context) {
  return call(function, {context.operand(0)});
}

std::string binary(const char* function, const NodeContext& context) {
  return call(function, {context.operand(0), context.operand(1)});
}

std::string number_literal(double value, DataType dtype) {
  return is_integer(dtype) ? std::to_string(static_cast<int64_t>(value)) : float_literal(value);
}

// A Clip bound from a constant input (opset 11+) or an attribute (older); "None" when absent.
std::string clip_bound(const NodeContext& context, size_t index, const char* attribute) {
  if (context.has_input(index)) {
    std::optional<Tensor> bound = context.constant_input(index);
    if (!bound) context.fail("the bound given as input " + std::to_string(index) + " must be a constant");
    if (bound->numel() > 0) return number_literal(bound->as_doubles().at(0), context.input_dtype(0));
  } else if (context.node().has(attribute)) {
    return number_literal(context.node().get_float(attribute, 0), context.input_dtype(0));
  }
  return "None";
}

int64_t normalized_axis(const NodeContext& context, int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= std::max<int64_t>(rank, 1)) {
    context.fail("axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  }
  return axis < 0 ? axis + rank : axis;
}

NodeCode write_relu(const NodeContext& c) { return single(unary("torch.relu", c)); }
NodeCode write_sigmoid(const NodeContext& c) { return single(unary("torch.sigmoid", c)); }
NodeCode write_tanh(const NodeContext& c) { return single(unary("torch.tanh", c)); }
NodeCode write_erf(const NodeContext& c) { return single(unary("torch.erf", c)); }
NodeCode write_sqrt(const NodeContext& c) { return single(unary("torch.sqrt", c)); }
NodeCode write_add(const NodeContext& c) { return single(binary("torch.add", c)); }
NodeCode write_sub(const NodeContext& c) { return single(binary("torch.sub", c)); }
bool is_torch_hard_sigmoid(const Node& node) {
  return node.op_type == "HardSigmoid" && std::abs(node.get_float("alpha", 0.2) - 1.0 / 6.0) < 1e-7 &&
         node.get_float("beta", 0.5) == 0.5;
}

// clamp(alpha x + beta, 0, 1) in plain arithmetic. LibTorch 1.13's own hardsigmoid and hardswish are wrong
// after freezing when the tensor's channels do not fill whole oneDNN blocks (16 channels with AVX-512: 72,
// 120 and 200 channels after a conv give errors near 1, 96 and 128 none), as in MobileNetV3's 120-channel
// blocks; the arithmetic form is computed correctly.
std::string hard_sigmoid_of(const std::string& x, double alpha, double beta) {
  return call(
      "torch.clamp",
      {call("torch.add", {call("torch.mul", {x, float_literal(alpha)}), float_literal(beta)}), "0.0", "1.0"});
}

std::string hard_swish_of(const std::string& x) {
  return call("torch.mul", {x, hard_sigmoid_of(x, 1.0 / 6.0, 0.5)});
}

NodeCode write_hard_swish(const NodeContext& c) { return single(hard_swish_of(c.operand(0))); }

// x * HardSigmoid(x), as exporters write HardSwish, is written as one hard swish of x.
NodeCode write_mul(const NodeContext& c) {
  for (size_t position : {0, 1}) {
    ValueId gate = c.node().input_or_none(1 - position);
    ValueId other = c.node().input_or_none(position);
    NodeId producer = gate == kNoValue ? kNoNode : c.graph().value(gate).producer;
    if (producer != kNoNode && is_torch_hard_sigmoid(c.graph().node(producer)) &&
        c.graph().node(producer).inputs.at(0) == other) {
      return single(hard_swish_of(c.operand(position)));
    }
  }
  return single(binary("torch.mul", c));
}

NodeCode write_leaky_relu(const NodeContext& c) {
  return single(call("torch.leaky_relu", {c.operand(0), float_literal(c.node().get_float("alpha", 0.01))}));
}

NodeCode write_clip(const NodeContext& c) {
  std::string low = clip_bound(c, 1, "min");
  std::string high = clip_bound(c, 2, "max");
  if (low == "None" && high == "None") return single(c.operand(0));
  return single(call("torch.clamp", {c.operand(0), low, high}));
}

NodeCode write_hard_sigmoid(const NodeContext& c) {
  return single(
      hard_sigmoid_of(c.operand(0), c.node().get_float("alpha", 0.2), c.node().get_float("beta", 0.5)));
}

NodeCode write_div(const NodeContext& c) {
  // ONNX integer division truncates toward zero.
  if (is_integer(c.input_dtype(0))) {
    return single(call("torch.div", {c.operand(0), c.operand(1), "rounding_mode='trunc'"}));
  }
  return single(binary("torch.div", c));
}

NodeCode write_pow(const NodeContext& c) {
  std::string power = binary("torch.pow", c);
  // ONNX Pow keeps the base's type whatever the exponent's.
  if (c.input_dtype(0) == c.input_dtype(1)) return single(power);
  const std::map<DataType, int64_t> onnx_codes = {{DataType::kFloat32, 1}, {DataType::kFloat64, 11},
                                                  {DataType::kInt64, 7},   {DataType::kInt32, 6},
                                                  {DataType::kInt8, 3},    {DataType::kUInt8, 2}};
  auto it = onnx_codes.find(c.input_dtype(0));
  if (it == onnx_codes.end()) c.fail("Pow of a " + to_string(c.input_dtype(0)) + " base");
  return single(power + ".to(" + std::to_string(scalar_type_code(c, it->second)) + ")");
}

NodeCode write_softmax(const NodeContext& c) {
  const Shape& shape = c.input_shape(0);
  const int64_t rank = static_cast<int64_t>(shape.size());
  if (c.opset() >= 13) {
    int64_t axis = normalized_axis(c, c.node().get_int("axis", -1), rank);
    return single(call("torch.softmax", {c.operand(0), std::to_string(axis)}));
  }
  // Before opset 13, Softmax works on the input flattened to 2-D at `axis`.
  const int64_t axis = normalized_axis(c, c.node().get_int("axis", 1), rank);
  int64_t outer = 1;
  for (int64_t dim = 0; dim < axis; ++dim) outer *= shape[dim];
  int64_t inner = outer == 0 ? 0 : element_count(shape) / outer;
  std::string flat = call("torch.reshape", {c.operand(0), int_list({outer, inner})});
  return single(call("torch.reshape", {call("torch.softmax", {flat, "1"}), int_list(shape)}));
}

NodeCode write_reduce_mean(const NodeContext& c) {
  const int64_t rank = static_cast<int64_t>(c.input_shape(0).size());
  std::vector<int64_t> axes = c.ints_from_input_or_attribute(1, "axes");
  if (axes.empty()) {
    for (int64_t dim = 0; dim < rank; ++dim) axes.push_back(dim);
  }
  for (int64_t& axis : axes) axis = normalized_axis(c, axis, rank);
  if (axes.empty()) return single(c.operand(0));
  const bool keepdims = c.node().get_int("keepdims", 1) != 0;
  return single(call("torch.mean", {c.operand(0), int_list(axes), keepdims ? "True" : "False"}));
}

NodeCode write_cast(const NodeContext& c) {
  int64_t code = scalar_type_code(c, c.node().get_int("to", 1));
  return single(c.operand(0) + ".to(" + std::to_string(code) + ")");
}

}  // namespace

std::vector<int64_t> NodeContext::constant_ints(size_t index) const {
  std::optional<Tensor> values = constant_input(index);
  if (!values) {
    fail("input " + std::to_string(index) +
         " (shape, axes or pads) must be a constant; fold constants at a static batch size first");
  }
  return values->as_int64s();
}

std::vector<int64_t> NodeContext::ints_from_input_or_attribute(size_t index,
                                                               const std::string& attribute) const {
  if (has_input(index)) return constant_ints(index);
  return node().get_ints(attribute);
}

std::string int_list(const std::vector<int64_t>& values) {
  std::string text = "[";
  for (size_t i = 0; i < values.size(); ++i) text += (i ? ", " : "") + std::to_string(values[i]);
  return text + "]";
}

std::string float_literal(double value) {
  if (std::isnan(value)) return "float('nan')";
  if (std::isinf(value)) return value > 0 ? "float('inf')" : "float('-inf')";
  char text[40];
  std::snprintf(text, sizeof(text), "%.17g", value);
  std::string literal = text;
  if (literal.find_first_of(".e") == std::string::npos) literal += ".0";
  return literal;
}

std::string call(const std::string& function, const std::vector<std::string>& arguments) {
  std::string text = function + "(";
  for (size_t i = 0; i < arguments.size(); ++i) text += (i ? ", " : "") + arguments[i];
  return text + ")";
}

NodeCode single(std::string expression) { return NodeCode{{std::move(expression)}, {}}; }

std::string constant_pad(const std::string& input, const std::vector<int64_t>& begin,
                         const std::vector<int64_t>& end, const std::string& value) {
  std::vector<int64_t> torch_pads;  // last dimension first
  for (size_t i = begin.size(); i-- > 0;) {
    torch_pads.push_back(begin[i]);
    torch_pads.push_back(end[i]);
  }
  return call("torch.constant_pad_nd", {input, int_list(torch_pads), value});
}

static const std::map<std::string, OpWriter>& writers() {
  static const std::map<std::string, OpWriter> table = {
      {"Add", write_add},
      {"AveragePool", write_average_pool},
      {"BatchNormalization", write_batch_normalization},
      {"Cast", write_cast},
      {"Clip", write_clip},
      {"Concat", write_concat},
      {"Constant", write_constant},
      {"ConstantOfShape", write_constant_of_shape},
      {"Conv", write_conv},
      {"Div", write_div},
      {"Dropout", write_identity},
      {"Erf", write_erf},
      {"Flatten", write_reshape_to_output_shape},
      {"Gather", write_gather},
      {"Gemm", write_gemm},
      {"GlobalAveragePool", write_global_average_pool},
      {"GlobalMaxPool", write_global_max_pool},
      {"HardSigmoid", write_hard_sigmoid},
      {"HardSwish", write_hard_swish},
      {"Identity", write_identity},
      {"LeakyRelu", write_leaky_relu},
      {"MatMul", write_matmul},
      {"MaxPool", write_max_pool},
      {"Mul", write_mul},
      {"Pad", write_pad},
      {"Pow", write_pow},
      {"ReduceMean", write_reduce_mean},
      {"Relu", write_relu},
      {"Reshape", write_reshape_to_output_shape},
      {"Shape", write_shape},
      {"Sigmoid", write_sigmoid},
      {"Slice", write_slice},
      {"Softmax", write_softmax},
      {"Split", write_split},
      {"Sqrt", write_sqrt},
      {"Squeeze", write_reshape_to_output_shape},
      {"Sub", write_sub},
      {"Tanh", write_tanh},
      {"Transpose", write_transpose},
      {"Unsqueeze", write_reshape_to_output_shape},
  };
  return table;
}

OpWriter find_op_writer(const std::string& op_type) {
  auto it = writers().find(op_type);
  return it == writers().end() ? nullptr : it->second;
}

const std::vector<std::string>& op_types_with_writers() {
  static const std::vector<std::string> types = [] {
    std::vector<std::string> list;
    for (const auto& entry : writers()) list.push_back(entry.first);
    return list;
  }();
  return types;
}

}  // namespace nacre::torchscript
