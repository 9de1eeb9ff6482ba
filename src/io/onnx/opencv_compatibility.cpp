#include "io/onnx/opencv_compatibility.h"

#include <cfloat>

namespace nacre {

namespace {

bool is_float_scalar_constant(const Graph& graph, ValueId id) {
  return graph.is_constant(id) && graph.constant(id).dtype() == DataType::kFloat32 &&
         graph.constant(id).numel() == 1;
}

// Clip(x, min, max) -> [Add(min)] <- Mul(max - min) <- HardSigmoid(x); Clip itself becomes the HardSigmoid.
void rewrite_clip(Graph& graph, NodeId id) {
  Node& clip = graph.node(id);
  float low = graph.constant(clip.inputs[1]).data<float>()[0];
  float high = graph.constant(clip.inputs[2]).data<float>()[0];
  double range = static_cast<double>(high) - low;
  std::string name = clip.name;
  ValueId output = clip.outputs[0];
  clip.op_type = "HardSigmoid";
  clip.inputs.resize(1);
  clip.attributes = {{"alpha", 1.0 / range}, {"beta", -low / range}};

  Value unit;
  unit.name = graph.unique_name(graph.value(output).name + "_unit");
  ValueId unit_id = graph.add_value(std::move(unit));
  graph.node(id).outputs[0] = unit_id;
  graph.value(unit_id).producer = id;
  graph.value(output).producer = kNoNode;
  graph.value(unit_id).dtype = graph.value(output).dtype;
  graph.value(unit_id).shape = graph.value(output).shape;

  ValueId scale =
      graph.add_initializer(graph.unique_name(name + "_range"), Tensor::scalar<float>(high - low));
  Node multiply;
  multiply.op_type = "Mul";
  multiply.name = graph.unique_name(name + "_scale");
  multiply.inputs = {unit_id, scale};
  if (low == 0.0f) {
    multiply.outputs = {output};
    graph.add_node(std::move(multiply));
    return;
  }
  NodeId multiply_id = graph.add_node(multiply.op_type, multiply.name, multiply.inputs);
  graph.value(graph.node(multiply_id).outputs[0]).shape = graph.value(output).shape;
  ValueId offset = graph.add_initializer(graph.unique_name(name + "_min"), Tensor::scalar<float>(low));
  Node add;
  add.op_type = "Add";
  add.name = graph.unique_name(name + "_offset");
  add.inputs = {graph.node(multiply_id).outputs[0], offset};
  add.outputs = {output};
  graph.add_node(std::move(add));
}

// Squeeze/Unsqueeze with an axes input (opset 13) -> Reshape to the inferred static output shape.
bool rewrite_squeeze(Graph& graph, NodeId id) {
  Node& node = graph.node(id);
  const std::optional<Shape>& shape = graph.value(node.outputs[0]).shape;
  if (node.input_count() < 2 || !shape || !is_static(*shape)) return false;
  ValueId target =
      graph.add_initializer(graph.unique_name(node.name + "_shape"),
                            Tensor::from_vector<int64_t>({static_cast<int64_t>(shape->size())}, *shape));
  Node& reshape = graph.node(id);
  reshape.op_type = "Reshape";
  reshape.inputs = {reshape.inputs[0], target};
  reshape.attributes.clear();
  return true;
}

}  // namespace

int rewrite_for_opencv(Graph& graph) {
  int rewritten = 0;
  const NodeId original_count = static_cast<NodeId>(graph.node_count());
  for (NodeId id = 0; id < original_count; ++id) {
    const Node& node = graph.node(id);
    if (node.op_type == "Squeeze" || node.op_type == "Unsqueeze") {
      rewritten += rewrite_squeeze(graph, id) ? 1 : 0;
      continue;
    }
    if (node.op_type != "Clip" || node.input_count() != 3) continue;
    if (!is_float_scalar_constant(graph, node.inputs[1]) || !is_float_scalar_constant(graph, node.inputs[2]))
      continue;
    if (graph.constant(node.inputs[2]).data<float>()[0] <= graph.constant(node.inputs[1]).data<float>()[0])
      continue;
    rewrite_clip(graph, id);
    ++rewritten;
  }
  if (rewritten) graph.topological_sort();
  return rewritten;
}

}  // namespace nacre
