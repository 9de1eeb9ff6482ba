#include "ir/cost.h"

namespace nacre {

namespace {

// The value's shape with unknown dimensions counted as 1; empty optional when not even the rank is known.
std::optional<Shape> counted_shape(const Graph& graph, ValueId id) {
  if (id == kNoValue) return std::nullopt;
  const Value& value = graph.value(id);
  std::optional<Shape> shape = value.initializer ? value.initializer->shape() : value.shape;
  if (shape) {
    for (int64_t& dim : *shape) dim = dim < 0 ? 1 : dim;
  }
  return shape;
}

int64_t elements(const Shape& shape) {
  int64_t count = 1;
  for (int64_t dim : shape) count *= dim;
  return count;
}

// Each output element accumulates Cin/group * kernel products: the weight's dims after the first.
int64_t conv_macs(const Graph& graph, const Node& node) {
  std::optional<Shape> output = counted_shape(graph, node.outputs[0]);
  std::optional<Shape> weight = counted_shape(graph, node.input_or_none(1));
  if (!output || !weight || weight->empty()) return 0;
  return elements(*output) * elements(Shape(weight->begin() + 1, weight->end()));
}

// Each output element of A·B is a dot product over the inner dimension (A's last, or first if transposed).
int64_t matrix_product_macs(const Graph& graph, const Node& node) {
  std::optional<Shape> output = counted_shape(graph, node.outputs[0]);
  std::optional<Shape> a = counted_shape(graph, node.input_or_none(0));
  if (!output || !a || a->empty()) return 0;
  bool transposed = node.op_type == "Gemm" && node.get_int("transA", 0) != 0;
  int64_t inner = transposed ? a->front() : a->back();
  return elements(*output) * inner;
}

}  // namespace

int64_t node_macs(const Graph& graph, NodeId id) {
  const Node& node = graph.node(id);
  if (node.outputs.empty()) return 0;
  if (node.op_type == "Conv") return conv_macs(graph, node);
  if (node.op_type == "Gemm" || node.op_type == "MatMul") return matrix_product_macs(graph, node);
  return 0;
}

int64_t total_macs(const Graph& graph) {
  int64_t total = 0;
  for (size_t i = 0; i < graph.node_count(); ++i) total += node_macs(graph, static_cast<NodeId>(i));
  return total;
}

int64_t parameter_count(const Graph& graph) {
  int64_t count = 0;
  for (size_t i = 0; i < graph.value_count(); ++i) {
    const Value& value = graph.value(static_cast<ValueId>(i));
    if (!value.initializer) continue;
    DataType dtype = value.initializer->dtype();
    if (dtype == DataType::kFloat32 || dtype == DataType::kFloat64) count += value.initializer->numel();
  }
  return count;
}

}  // namespace nacre
