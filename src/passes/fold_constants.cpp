#include "passes/fold_constants.h"

#include <algorithm>

#include "ir/op_registry.h"
#include "ir/shape_inference.h"
#include "ir/shape_rules.h"
#include "ir/topological_order.h"
#include "passes/constant_kernels.h"
#include "util/error.h"

namespace nacre {

namespace {

// Shape of a value whose shape is fully known, as ONNX's Shape op returns it (with opset 15 start/end).
std::optional<Tensor> static_shape_of(const Graph& graph, const Node& node) {
  ValueId input = node.input_or_none(0);
  if (input == kNoValue) return std::nullopt;
  const Value& value = graph.value(input);
  std::optional<Shape> shape = value.initializer ? value.initializer->shape() : value.shape;
  if (!shape || !is_static(*shape)) return std::nullopt;
  int64_t rank = static_cast<int64_t>(shape->size());
  auto clamp_index = [rank](int64_t index) {
    return std::clamp<int64_t>(index < 0 ? index + rank : index, 0, rank);
  };
  int64_t start = clamp_index(node.get_int("start", 0)), end = clamp_index(node.get_int("end", rank));
  std::vector<int64_t> dims(shape->begin() + start, shape->begin() + std::max(start, end));
  return Tensor::from_vector<int64_t>({static_cast<int64_t>(dims.size())}, dims);
}

// The node's outputs when it can be computed now: every input a constant and a kernel for the op.
std::optional<std::vector<Tensor>> try_evaluate(const Graph& graph, const Node& node,
                                                const std::vector<ValueType>& types) {
  if (node.op_type == "Shape") {
    std::optional<Tensor> shape = static_shape_of(graph, node);
    if (!shape) return std::nullopt;
    return std::vector<Tensor>{*shape};
  }
  if (!node.domain.empty() || !has_constant_kernel(node.op_type)) return std::nullopt;
  std::vector<const Tensor*> inputs;
  for (ValueId input : node.inputs) {
    if (input != kNoValue && !graph.is_constant(input)) return std::nullopt;
    inputs.push_back(input == kNoValue ? nullptr : &graph.constant(input));
  }
  for (const ValueType& type : types) {
    if (!type.shape || !is_static(*type.shape)) return std::nullopt;
  }
  return evaluate_constant_node(node, inputs, types);
}

// Records the node's output types, so later Shape nodes and kernels see the shapes that folding produced.
std::vector<ValueType> refresh_output_types(Graph& graph, const Node& node) {
  if (!node.domain.empty() || !is_supported_op(node.op_type)) return {};
  std::vector<ValueType> types = infer_node_outputs(graph, node);
  for (size_t i = 0; i < node.outputs.size(); ++i) {
    if (node.outputs[i] == kNoValue) continue;
    Value& output = graph.value(node.outputs[i]);
    output.dtype = types[i].dtype;
    output.shape = types[i].shape;
  }
  return types;
}

}  // namespace

int fold_constants(Graph& graph) {
  std::optional<std::vector<NodeId>> order = topological_order(graph);
  if (!order) throw make_error("constant folding: graph '", graph.name, "' has a cycle");
  std::vector<NodeId> folded;
  for (NodeId id : *order) {
    const Node& node = graph.node(id);
    std::vector<ValueType> types = refresh_output_types(graph, node);
    std::optional<std::vector<Tensor>> results = try_evaluate(graph, node, types);
    if (!results) continue;
    // The output values become the constants in place, so their names (and graph outputs) stay.
    for (size_t i = 0; i < node.outputs.size() && i < results->size(); ++i) {
      if (node.outputs[i] == kNoValue) continue;
      Value& output = graph.value(node.outputs[i]);
      output.dtype = (*results)[i].dtype();
      output.shape = (*results)[i].shape();
      output.initializer = std::move((*results)[i]);
    }
    folded.push_back(id);
  }
  graph.remove_nodes(folded);
  infer_shapes(graph);  // the node-by-node refresh above does not see partly known shape values
  return static_cast<int>(folded.size());
}

}  // namespace nacre
