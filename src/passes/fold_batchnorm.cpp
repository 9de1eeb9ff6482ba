#include "passes/fold_batchnorm.h"

#include <cmath>

#include "util/error.h"

namespace nacre {

namespace {

bool is_float(DataType dtype) { return dtype == DataType::kFloat32 || dtype == DataType::kFloat64; }

Tensor float_tensor(DataType dtype, Shape shape, const std::vector<double>& values) {
  if (dtype == DataType::kFloat64) return Tensor::from_vector<double>(std::move(shape), values);
  return Tensor::from_vector<float>(std::move(shape), std::vector<float>(values.begin(), values.end()));
}

bool is_unused(const Graph& graph, ValueId id) {
  return graph.consumers(id).empty() && !graph.is_graph_output(id);
}

// BN(y) = factor * y + shift, per channel.
struct ChannelAffine {
  std::vector<double> factor, shift;
};

ChannelAffine batchnorm_as_affine(const Graph& graph, const Node& batchnorm) {
  const std::vector<double> scale = graph.constant(batchnorm.inputs[1]).as_doubles();
  const std::vector<double> bias = graph.constant(batchnorm.inputs[2]).as_doubles();
  const std::vector<double> mean = graph.constant(batchnorm.inputs[3]).as_doubles();
  const std::vector<double> var = graph.constant(batchnorm.inputs[4]).as_doubles();
  const double epsilon = batchnorm.get_float("epsilon", 1e-5);
  ChannelAffine affine;
  for (size_t c = 0; c < scale.size(); ++c) {
    affine.factor.push_back(scale[c] / std::sqrt(var[c] + epsilon));
    affine.shift.push_back(bias[c] - mean[c] * affine.factor.back());
  }
  return affine;
}

// A BatchNormalization in inference form with constant statistics, as `channels` values each.
bool is_foldable_batchnorm(const Graph& graph, const Node& batchnorm, int64_t* channels) {
  if (batchnorm.get_int("training_mode", 0) != 0 || batchnorm.input_count() != 5) return false;
  for (size_t i = 1; i < batchnorm.outputs.size(); ++i) {
    if (!is_unused(graph, batchnorm.outputs[i])) return false;
  }
  for (size_t i = 1; i < 5; ++i) {
    if (!graph.is_constant(batchnorm.inputs[i])) return false;
  }
  *channels = graph.constant(batchnorm.inputs[1]).numel();
  for (size_t i = 2; i < 5; ++i) {
    if (graph.constant(batchnorm.inputs[i]).numel() != *channels) return false;
  }
  return true;
}

// The Conv or Gemm producing the BN's input, if its output goes nowhere else and its weights are constant.
NodeId foldable_producer(const Graph& graph, const Node& batchnorm, int64_t channels) {
  const ValueId input = batchnorm.inputs[0];
  const NodeId producer = graph.value(input).producer;
  if (producer == kNoNode || graph.is_graph_output(input) || graph.consumers(input).size() != 1)
    return kNoNode;
  const Node& node = graph.node(producer);
  const ValueId weight = node.input_or_none(1);
  const ValueId bias = node.input_or_none(2);
  if (!graph.is_constant(weight) || !is_float(graph.value(weight).dtype)) return kNoNode;
  if (bias != kNoValue && !graph.is_constant(bias)) return kNoNode;
  const Shape& weight_shape = graph.constant(weight).shape();
  if (node.op_type == "Conv") {
    bool bias_fits = bias == kNoValue || graph.constant(bias).numel() == channels;
    return weight_shape.size() >= 3 && weight_shape[0] == channels && bias_fits ? producer : kNoNode;
  }
  if (node.op_type == "Gemm") {
    const int64_t outputs = node.get_int("transB", 0) ? weight_shape[0] : weight_shape[1];
    const int64_t bias_count = bias == kNoValue ? 1 : graph.constant(bias).numel();
    const bool bias_per_column = bias == kNoValue || graph.constant(bias).shape().empty() ||
                                 graph.constant(bias).shape().back() == bias_count;
    bool bias_fits = (bias_count == 1 || bias_count == channels) && bias_per_column;
    return weight_shape.size() == 2 && outputs == channels && bias_fits ? producer : kNoNode;
  }
  return kNoNode;
}

// Writes a new value into input `position` of a node: in place when nothing else reads the old constant.
void set_constant_input(Graph& graph, NodeId id, size_t position, Tensor tensor,
                        const std::string& fallback_name) {
  Node& node = graph.node(id);
  if (node.inputs.size() <= position) node.inputs.resize(position + 1, kNoValue);
  const ValueId old = node.inputs[position];
  if (old != kNoValue && graph.consumers(old).size() == 1 && !graph.is_graph_output(old)) {
    graph.value(old).initializer = std::move(tensor);
    return;
  }
  const std::string name =
      graph.unique_name(old == kNoValue ? fallback_name : graph.value(old).name + "_folded");
  const ValueId fresh = graph.add_initializer(name, std::move(tensor));
  graph.node(id).inputs[position] = fresh;
}

// Scales the weight rows (Conv, Gemm transB) or columns (Gemm) by factor; bias becomes bias*factor + shift.
void fold_into(Graph& graph, NodeId id, const ChannelAffine& affine) {
  const Node& node = graph.node(id);
  const Tensor& weight = graph.constant(node.inputs[1]);
  const bool per_column = node.op_type == "Gemm" && node.get_int("transB", 0) == 0;
  const int64_t channels = static_cast<int64_t>(affine.factor.size());
  std::vector<double> weights = weight.as_doubles();
  const int64_t per_channel = static_cast<int64_t>(weights.size()) / channels;
  for (int64_t i = 0; i < static_cast<int64_t>(weights.size()); ++i) {
    weights[i] *= affine.factor[per_column ? i % channels : i / per_channel];
  }
  const double beta = node.op_type == "Gemm" ? node.get_float("beta", 1.0) : 1.0;
  std::vector<double> old_bias(channels, 0.0);
  if (node.input_or_none(2) != kNoValue) {
    std::vector<double> given = graph.constant(node.inputs[2]).as_doubles();
    for (int64_t c = 0; c < channels; ++c) old_bias[c] = given.size() == 1 ? given[0] : given[c];
  }
  std::vector<double> bias(channels);
  for (int64_t c = 0; c < channels; ++c) bias[c] = beta * old_bias[c] * affine.factor[c] + affine.shift[c];

  const DataType dtype = weight.dtype();
  const Shape weight_shape = weight.shape();
  const std::string node_name = node.name;
  set_constant_input(graph, id, 1, float_tensor(dtype, weight_shape, weights), node_name + "_weight");
  set_constant_input(graph, id, 2, float_tensor(dtype, {channels}, bias), node_name + "_bias");
  if (graph.node(id).op_type == "Gemm") graph.node(id).attributes["beta"] = 1.0;
}

}  // namespace

int fold_batchnorm(Graph& graph) {
  std::vector<NodeId> folded;
  for (NodeId id = 0; id < static_cast<NodeId>(graph.node_count()); ++id) {
    const Node& batchnorm = graph.node(id);
    int64_t channels = 0;
    if (batchnorm.op_type != "BatchNormalization" || !is_foldable_batchnorm(graph, batchnorm, &channels)) {
      continue;
    }
    const NodeId producer = foldable_producer(graph, batchnorm, channels);
    if (producer == kNoNode) continue;
    fold_into(graph, producer, batchnorm_as_affine(graph, graph.node(id)));
    // The producer now writes the BN's output value, so consumers and graph outputs keep their names.
    const ValueId result = graph.node(id).outputs[0];
    graph.value(result).producer = producer;
    graph.node(producer).outputs[0] = result;
    folded.push_back(id);
  }
  if (folded.empty()) return 0;
  graph.remove_nodes(folded);
  graph.prune();  // drops the producers' old outputs and constants nothing reads any more
  return static_cast<int>(folded.size());
}

}  // namespace nacre
