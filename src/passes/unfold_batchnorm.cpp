#include "passes/unfold_batchnorm.h"

#include "util/error.h"

namespace nacre {

namespace {

Tensor filled_tensor(DataType dtype, int64_t channels, double value) {
  if (dtype == DataType::kFloat64)
    return Tensor::from_vector<double>({channels}, std::vector<double>(channels, value));
  return Tensor::from_vector<float>({channels}, std::vector<float>(channels, static_cast<float>(value)));
}

bool feeds_batchnorm(const Graph& graph, ValueId id) {
  for (NodeId consumer : graph.consumers(id)) {
    const Node& node = graph.node(consumer);
    if (node.op_type == "BatchNormalization" && node.inputs[0] == id) return true;
  }
  return false;
}

// Output channels of a Conv: from a constant weight, else from the inferred output shape; -1 if unknown.
int64_t conv_channels(const Graph& graph, const Node& conv) {
  const ValueId weight = conv.input_or_none(1);
  if (graph.is_constant(weight)) return graph.constant(weight).shape().at(0);
  const auto& shape = graph.value(conv.outputs[0]).shape;
  return shape && shape->size() > 1 ? (*shape)[1] : -1;
}

// Conv -> y becomes Conv -> y_prebn -> BatchNormalization -> y, so y's readers and name stay as they were.
void insert_identity_batchnorm(Graph& graph, NodeId conv_id, int64_t channels, double epsilon) {
  const std::string conv_name = graph.node(conv_id).name;
  const ValueId output = graph.node(conv_id).outputs[0];
  const ValueId weight = graph.node(conv_id).input_or_none(1);
  const DataType dtype = graph.is_constant(weight) ? graph.value(weight).dtype : graph.value(output).dtype;

  Value pre_batchnorm;
  pre_batchnorm.name = graph.unique_name(graph.value(output).name + "_prebn");
  pre_batchnorm.dtype = graph.value(output).dtype;
  pre_batchnorm.shape = graph.value(output).shape;
  const ValueId conv_result = graph.add_value(std::move(pre_batchnorm));
  graph.node(conv_id).outputs[0] = conv_result;
  graph.value(conv_result).producer = conv_id;
  graph.value(output).producer = kNoNode;

  Node batchnorm;
  batchnorm.op_type = "BatchNormalization";
  batchnorm.name = graph.unique_name(conv_name + "_bn");
  auto add_parameter = [&](const std::string& suffix, double value) {
    return graph.add_initializer(graph.unique_name(batchnorm.name + "." + suffix),
                                 filled_tensor(dtype, channels, value));
  };
  batchnorm.inputs = {conv_result, add_parameter("scale", 1.0), add_parameter("bias", 0.0),
                      add_parameter("mean", 0.0), add_parameter("var", 1.0 - epsilon)};
  batchnorm.outputs = {output};
  batchnorm.attributes["epsilon"] = epsilon;
  graph.add_node(std::move(batchnorm));
}

}  // namespace

int unfold_batchnorm(Graph& graph, double epsilon) {
  if (!(epsilon > 0.0 && epsilon < 1.0))
    throw make_error("unfold_batchnorm: epsilon must be in (0, 1), got ", epsilon);
  int inserted = 0;
  const NodeId original_count = static_cast<NodeId>(graph.node_count());
  for (NodeId id = 0; id < original_count; ++id) {
    if (graph.node(id).op_type != "Conv" || feeds_batchnorm(graph, graph.node(id).outputs[0])) continue;
    const int64_t channels = conv_channels(graph, graph.node(id));
    if (channels <= 0) {
      throw make_error("unfold_batchnorm: Conv '", graph.node(id).name,
                       "' has neither a constant weight nor a known output shape; run shape inference first");
    }
    insert_identity_batchnorm(graph, id, channels, epsilon);
    ++inserted;
  }
  if (inserted > 0) graph.topological_sort();
  return inserted;
}

}  // namespace nacre
