// Shape rules of elementwise ops and ops that keep their input's layout.
#include <algorithm>
#include <set>

#include "ir/shape_rules.h"

namespace nacre::shape_rules {

namespace {

// ONNX multidirectional (numpy) broadcasting; an unknown dimension against 1 stays unknown.
Shape broadcast(const Node& node, const Shape& a, const Shape& b) {
  size_t rank = std::max(a.size(), b.size());
  Shape out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da == 1) {
      out[i] = db;
    } else if (db == 1 || db < 0) {
      out[i] = da;
    } else if (da < 0 || da == db) {
      out[i] = db;
    } else {
      fail(node, "cannot broadcast shapes ", to_string(a), " and ", to_string(b), ": dimension ", i, " is ",
           da, " vs ", db);
    }
  }
  return out;
}

}  // namespace

std::vector<ValueType> same_as_first_input(const Graph& graph, const Node& node) {
  return repeat(input_type(graph, node, 0), node.outputs.size());
}

std::vector<ValueType> broadcast_binary(const Graph& graph, const Node& node) {
  ValueType a = input_type(graph, node, 0);
  ValueType b = input_type(graph, node, 1);
  if (node.op_type != "Pow" && a.dtype != b.dtype) {
    fail(node, "inputs have different types ", to_string(a.dtype), " and ", to_string(b.dtype),
         "; insert a Cast");
  }
  ValueType out{a.dtype, std::nullopt};
  if (a.shape && b.shape) out.shape = broadcast(node, *a.shape, *b.shape);
  return {out};
}

std::vector<ValueType> batch_normalization(const Graph& graph, const Node& node) {
  ValueType x = input_type(graph, node, 0);
  int64_t channels = x.shape && x.shape->size() >= 2 ? (*x.shape)[1] : -1;
  if (x.shape && x.shape->size() < 2) fail(node, "input has rank ", x.shape->size(), ", expected at least 2");
  static const char* kParameterNames[] = {"scale", "bias", "mean", "var"};
  for (size_t i = 1; i < 5; ++i) {
    ValueType parameter = input_type(graph, node, i);
    if (!parameter.shape) continue;
    if (parameter.shape->size() != 1) {
      fail(node, kParameterNames[i - 1], " has shape ", to_string(*parameter.shape), ", expected [C]");
    }
    channels = merge_dims(node, channels, (*parameter.shape)[0],
                          std::string(kParameterNames[i - 1]) + " size does not match the input's channels");
  }
  std::vector<ValueType> types = {x};
  // Training-mode outputs: running mean and variance.
  for (size_t i = 1; i < node.outputs.size(); ++i) types.push_back({x.dtype, Shape{channels}});
  return types;
}

std::vector<ValueType> dropout(const Graph& graph, const Node& node) {
  ValueType x = input_type(graph, node, 0);
  return {x, {DataType::kBool, x.shape}};
}

std::vector<ValueType> cast(const Graph& graph, const Node& node) {
  if (!node.has("to")) fail(node, "missing attribute 'to'");
  ValueType x = input_type(graph, node, 0);
  return {{data_type_from_onnx(node, node.get_int("to", 1)), x.shape}};
}

namespace {

// QuantizeLinear's and DequantizeLinear's scale (input 1) and zero point (input 2): a scalar, or a 1-D tensor
// along `axis` of x (per-channel); the zero point, when given, has the scale's shape.
void check_quantization_parameters(const Graph& graph, const Node& node, const ValueType& x) {
  ValueType scale = input_type(graph, node, 1);
  if (scale.dtype != DataType::kFloat32)
    fail(node, "scale is ", to_string(scale.dtype), ", expected float32");
  if (!scale.shape) return;
  if (scale.shape->size() > 1)
    fail(node, "scale has shape ", to_string(*scale.shape), ", expected a scalar or 1-D");
  if (scale.shape->size() == 1 && x.shape) {
    int64_t rank = static_cast<int64_t>(x.shape->size());
    int64_t axis = normalize_axis(node, node.get_int("axis", 1), rank);
    merge_dims(node, (*x.shape)[axis], (*scale.shape)[0], "scale size does not match the axis of the input");
  }
  if (node.input_or_none(2) == kNoValue) return;
  ValueType zero_point = input_type(graph, node, 2);
  if (zero_point.shape && *zero_point.shape != *scale.shape)
    fail(node, "zero point has shape ", to_string(*zero_point.shape), ", the scale ",
         to_string(*scale.shape));
}

}  // namespace

std::vector<ValueType> quantize_linear(const Graph& graph, const Node& node) {
  ValueType x = input_type(graph, node, 0);
  if (x.dtype != DataType::kFloat32) fail(node, "input is ", to_string(x.dtype), ", expected float32");
  check_quantization_parameters(graph, node, x);
  DataType quantized = DataType::kUInt8;  // ONNX: uint8 when the zero point is omitted
  if (node.input_or_none(2) != kNoValue) quantized = input_type(graph, node, 2).dtype;
  if (quantized != DataType::kUInt8 && quantized != DataType::kInt8)
    fail(node, "zero point is ", to_string(quantized), "; nacre quantizes to uint8 or int8");
  return {{quantized, x.shape}};
}

std::vector<ValueType> dequantize_linear(const Graph& graph, const Node& node) {
  ValueType x = input_type(graph, node, 0);
  if (x.dtype != DataType::kUInt8 && x.dtype != DataType::kInt8 && x.dtype != DataType::kInt32)
    fail(node, "input is ", to_string(x.dtype), ", expected uint8, int8 or int32");
  check_quantization_parameters(graph, node, x);
  if (node.input_or_none(2) != kNoValue && input_type(graph, node, 2).dtype != x.dtype)
    fail(node, "zero point is ", to_string(input_type(graph, node, 2).dtype), ", the input ",
         to_string(x.dtype));
  return {{DataType::kFloat32, x.shape}};
}

std::vector<ValueType> softmax(const Graph& graph, const Node& node) {
  ValueType x = input_type(graph, node, 0);
  if (x.shape) normalize_axis(node, node.get_int("axis", -1), static_cast<int64_t>(x.shape->size()));
  return {x};
}

std::vector<ValueType> reduce_mean(const Graph& graph, const Node& node) {
  ValueType x = input_type(graph, node, 0);
  if (!x.shape) return {x};
  std::vector<int64_t> axes = node.get_ints("axes");
  if (!node.has("axes") && node.input_or_none(1) != kNoValue) {  // opset 18 form
    std::optional<std::vector<int64_t>> constant_axes = constant_ints(graph, node, 1);
    if (!constant_axes) return {{x.dtype, std::nullopt}};
    axes = *constant_axes;
  }
  int64_t rank = static_cast<int64_t>(x.shape->size());
  std::set<int64_t> reduced;
  for (int64_t axis : axes) reduced.insert(normalize_axis(node, axis, rank));
  bool keep_dims = node.get_int("keepdims", 1) != 0;
  Shape out;
  for (int64_t i = 0; i < rank; ++i) {
    bool is_reduced = axes.empty() || reduced.count(i);
    if (!is_reduced) {
      out.push_back((*x.shape)[i]);
    } else if (keep_dims) {
      out.push_back(1);
    }
  }
  return {{x.dtype, out}};
}

}  // namespace nacre::shape_rules
