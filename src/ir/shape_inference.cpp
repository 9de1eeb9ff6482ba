#include "ir/shape_inference.h"

#include <map>

#include "ir/shape_rules.h"
#include "ir/topological_order.h"

namespace nacre {

namespace {

using shape_rules::Rule;

const std::map<std::string, Rule>& rules_by_op() {
  namespace r = shape_rules;
  static const std::map<std::string, Rule> rules = {
      {"Add", r::broadcast_binary},
      {"AveragePool", r::pool},
      {"BatchNormalization", r::batch_normalization},
      {"Cast", r::cast},
      {"Clip", r::same_as_first_input},
      {"Concat", r::concat},
      {"Constant", r::constant},
      {"ConstantOfShape", r::constant_of_shape},
      {"Conv", r::conv},
      {"DequantizeLinear", r::dequantize_linear},
      {"Div", r::broadcast_binary},
      {"Dropout", r::dropout},
      {"Erf", r::same_as_first_input},
      {"Flatten", r::flatten},
      {"Gather", r::gather},
      {"Gemm", r::gemm},
      {"GlobalAveragePool", r::global_pool},
      {"GlobalMaxPool", r::global_pool},
      {"HardSigmoid", r::same_as_first_input},
      {"HardSwish", r::same_as_first_input},
      {"Identity", r::same_as_first_input},
      {"LeakyRelu", r::same_as_first_input},
      {"MatMul", r::matmul},
      {"MaxPool", r::pool},
      {"Mul", r::broadcast_binary},
      {"Pad", r::pad},
      {"Pow", r::broadcast_binary},
      {"QuantizeLinear", r::quantize_linear},
      {"ReduceMean", r::reduce_mean},
      {"Relu", r::same_as_first_input},
      {"Reshape", r::reshape},
      {"Shape", r::shape},
      {"Sigmoid", r::same_as_first_input},
      {"Slice", r::slice},
      {"Softmax", r::softmax},
      {"Split", r::split},
      {"Sqrt", r::same_as_first_input},
      {"Squeeze", r::squeeze},
      {"Sub", r::broadcast_binary},
      {"Tanh", r::same_as_first_input},
      {"Transpose", r::transpose},
      {"Unsqueeze", r::unsqueeze},
  };
  return rules;
}

bool is_small_integer_vector(const ValueType& type) {
  bool is_integer = type.dtype == DataType::kInt64 || type.dtype == DataType::kInt32;
  return is_integer && type.shape && type.shape->size() <= 1;
}

// Refines the outputs of ops that take a shape operand whose values are partly known.
void use_known_shape_operand(const Graph& graph, const Node& node, const shape_rules::KnownValues& known,
                             std::vector<ValueType>& types) {
  bool takes_shape = node.op_type == "Reshape" || node.op_type == "ConstantOfShape";
  size_t operand = node.op_type == "Reshape" ? 1 : 0;
  if (!takes_shape || graph.is_constant(node.input_or_none(operand))) return;
  auto values = known.find(node.input_or_none(operand));
  if (values == known.end()) return;
  if (node.op_type == "Reshape") {
    types[0].shape = shape_rules::reshape_target_shape(node, shape_rules::input_type(graph, node, 0).shape,
                                                       values->second);
    return;
  }
  Shape dims;
  for (int64_t value : values->second) dims.push_back(value == shape_rules::kUnknownValue ? -1 : value);
  types[0].shape = dims;
}

}  // namespace

std::vector<ValueType> infer_node_outputs(const Graph& graph, const Node& node) {
  const auto& rules = rules_by_op();
  auto rule = rules.find(node.op_type);
  if (rule == rules.end()) {
    shape_rules::fail(node, "no shape rule for op type '", node.op_type,
                      "'; it is not among the supported ops (see supported_op_types())");
  }
  std::vector<ValueType> types = rule->second(graph, node);
  if (types.size() < node.outputs.size()) {
    shape_rules::fail(node, "has ", node.outputs.size(), " outputs but the op defines ", types.size());
  }
  return types;
}

void infer_shapes(Graph& graph) {
  for (size_t id = 0; id < graph.value_count(); ++id) {
    Value& value = graph.value(static_cast<ValueId>(id));
    if (value.initializer) {
      value.dtype = value.initializer->dtype();
      value.shape = value.initializer->shape();
    }
  }
  std::optional<std::vector<NodeId>> order = topological_order(graph);
  if (!order) throw make_error("shape inference: graph '", graph.name, "' has a cycle");
  shape_rules::KnownValues known;
  for (NodeId id : *order) {
    const Node& node = graph.node(id);
    std::vector<ValueType> types = infer_node_outputs(graph, node);
    use_known_shape_operand(graph, node, known, types);
    if (!node.outputs.empty() && node.outputs[0] != kNoValue && is_small_integer_vector(types[0])) {
      std::optional<std::vector<int64_t>> values = shape_rules::propagate_values(graph, node, known);
      if (values) known[node.outputs[0]] = *values;
    }
    for (size_t i = 0; i < node.outputs.size(); ++i) {
      if (node.outputs[i] == kNoValue) continue;
      Value& output = graph.value(node.outputs[i]);
      output.dtype = types[i].dtype;
      output.shape = types[i].shape;
    }
  }
}

namespace shape_rules {

const Value& input_value(const Graph& graph, const Node& node, size_t index) {
  ValueId id = node.input_or_none(index);
  if (id == kNoValue) fail(node, "input ", index, " is missing");
  return graph.value(id);
}

ValueType input_type(const Graph& graph, const Node& node, size_t index) {
  const Value& value = input_value(graph, node, index);
  if (value.initializer) return {value.initializer->dtype(), value.initializer->shape()};
  return {value.dtype, value.shape};
}

std::optional<std::vector<int64_t>> constant_ints(const Graph& graph, const Node& node, size_t index) {
  const Value& value = input_value(graph, node, index);
  if (!value.initializer) return std::nullopt;
  return value.initializer->as_int64s();
}

int64_t normalize_axis(const Node& node, int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank) fail(node, "axis ", axis, " is out of range for rank ", rank);
  return axis < 0 ? axis + rank : axis;
}

int64_t merge_dims(const Node& node, int64_t a, int64_t b, const std::string& what) {
  if (a < 0) return b;
  if (b < 0 || a == b) return a;
  fail(node, what, ": ", a, " vs ", b);
}

std::vector<ValueType> repeat(const ValueType& type, size_t count) {
  return std::vector<ValueType>(count, type);
}

DataType data_type_from_onnx(const Node& node, int64_t onnx_type) {
  switch (onnx_type) {
    case 1:
      return DataType::kFloat32;
    case 2:
      return DataType::kUInt8;
    case 3:
      return DataType::kInt8;
    case 6:
      return DataType::kInt32;
    case 7:
      return DataType::kInt64;
    case 9:
      return DataType::kBool;
    case 11:
      return DataType::kFloat64;
  }
  fail(node, "unsupported data type ", onnx_type,
       " (ONNX TensorProto number); nacre supports float, double, int64, int32, int8, uint8 and bool");
}

}  // namespace shape_rules
}  // namespace nacre
