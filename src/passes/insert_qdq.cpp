#include "passes/insert_qdq.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "ir/shape_inference.h"
#include "util/error.h"

namespace nacre {

namespace {

bool is_float_activation(const Graph& graph, ValueId id) {
  return id != kNoValue && !graph.is_constant(id) && graph.value(id).dtype == DataType::kFloat32;
}

// A Conv, or a Gemm computing x * B (transA 0), with constant float weights and a float activation input.
bool has_quantizable_weights(const Graph& graph, const Node& node) {
  if (node.op_type != "Conv" && !(node.op_type == "Gemm" && node.get_int("transA", 0) == 0)) return false;
  if (node.inputs.size() < 2 || !graph.is_constant(node.inputs[1])) return false;
  const Tensor& weight = graph.constant(node.inputs[1]);
  if (weight.dtype() != DataType::kFloat32 || weight.rank() < 2) return false;
  ValueId bias = node.input_or_none(2);
  if (bias != kNoValue && (!graph.is_constant(bias) || graph.constant(bias).dtype() != DataType::kFloat32))
    return false;
  return is_float_activation(graph, node.inputs[0]);
}

// A residual Add: two float activations of one shape (the batch may be symbolic).
bool is_activation_add(const Graph& graph, const Node& node) {
  if (node.op_type != "Add" || node.inputs.size() != 2) return false;
  if (!is_float_activation(graph, node.inputs[0]) || !is_float_activation(graph, node.inputs[1]))
    return false;
  const auto& a = graph.value(node.inputs[0]).shape;
  const auto& b = graph.value(node.inputs[1]).shape;
  return a && b && *a == *b;
}

// The Add's output, or the output of the Relu that is its only consumer.
ValueId add_result(const Graph& graph, const Node& add) {
  ValueId out = add.outputs[0];
  std::vector<NodeId> consumers = graph.consumers(out);
  if (consumers.size() == 1 && !graph.is_graph_output(out) && graph.node(consumers[0]).op_type == "Relu")
    return graph.node(consumers[0]).outputs[0];
  return out;
}

struct Quantization {
  float scale = 1;
  uint8_t zero_point = 0;
};

// uint8, asymmetric: [min, max] widened to hold 0, mapped onto 0..255.
Quantization activation_quantization(const ActivationRange& range) {
  double low = std::min(range.min, 0.0), high = std::max(range.max, 0.0);
  Quantization q;
  if (!(high > low) || !std::isfinite(high - low)) return q;
  q.scale = static_cast<float>((high - low) / 255.0);
  q.zero_point = static_cast<uint8_t>(std::clamp(std::nearbyint(-low / q.scale), 0.0, 255.0));
  return q;
}

// Inserts QuantizeLinear -> DequantizeLinear on `value` and points its consumers at the result.
void quantize_activation(Graph& graph, ValueId value, const Quantization& q) {
  std::string name = graph.value(value).name;
  std::vector<NodeId> consumers = graph.consumers(value);
  ValueId scale = graph.add_initializer(graph.unique_name(name + "_scale"), Tensor::scalar<float>(q.scale));
  ValueId zero_point =
      graph.add_initializer(graph.unique_name(name + "_zero_point"), Tensor::scalar<uint8_t>(q.zero_point));
  NodeId quantize =
      graph.add_node("QuantizeLinear", graph.unique_name(name + "_quantize"), {value, scale, zero_point});
  ValueId quantized = graph.node(quantize).outputs[0];
  NodeId dequantize = graph.add_node("DequantizeLinear", graph.unique_name(name + "_dequantize"),
                                     {quantized, scale, zero_point});
  ValueId dequantized = graph.node(dequantize).outputs[0];
  for (NodeId consumer : consumers)
    for (ValueId& input : graph.node(consumer).inputs)
      if (input == value) input = dequantized;
}

// Replaces the node's constant input `index` with DequantizeLinear(quantized, scale[, zero point]) along
// `axis`.
void dequantized_input(Graph& graph, NodeId node_id, size_t index, Tensor quantized, Tensor scale,
                       std::optional<Tensor> zero_point, int64_t axis) {
  std::string name = graph.value(graph.node(node_id).inputs[index]).name;
  std::vector<ValueId> inputs = {
      graph.add_initializer(graph.unique_name(name + "_quantized"), std::move(quantized)),
      graph.add_initializer(graph.unique_name(name + "_scale"), std::move(scale))};
  if (zero_point)
    inputs.push_back(graph.add_initializer(graph.unique_name(name + "_zero_point"), std::move(*zero_point)));
  NodeId dequantize = graph.add_node("DequantizeLinear", graph.unique_name(name + "_dequantize"), inputs, 1,
                                     {{"axis", axis}});
  graph.node(node_id).inputs[index] = graph.node(dequantize).outputs[0];
}

// Per output channel int8 weights (and int32 bias at input scale x weight scale) of a Conv or Gemm whose
// input is quantized with `input_scale`.
void quantize_weights(Graph& graph, NodeId node_id, float input_scale, const QdqOptions& options) {
  const Node& node = graph.node(node_id);
  const Tensor& weight = graph.constant(node.inputs[1]);
  // Output channels: Conv's weight is [M, C/g, k...]; Gemm's B is [K, N], or [N, K] with transB.
  int64_t axis = node.op_type == "Gemm" && node.get_int("transB", 0) == 0 ? 1 : 0;
  const Shape& shape = weight.shape();
  int64_t channels = shape[axis];
  int64_t inner = 1;
  for (size_t d = axis + 1; d < shape.size(); ++d) inner *= shape[d];
  auto channel_of = [&](int64_t i) { return (i / inner) % channels; };

  std::vector<float> values = weight.to_vector<float>();
  std::vector<float> largest(channels, 0.0f);
  for (int64_t i = 0; i < weight.numel(); ++i)
    largest[channel_of(i)] = std::max(largest[channel_of(i)], std::abs(values[i]));
  const float levels = options.reduce_range ? 63.0f : 127.0f;
  std::vector<float> scales(channels);
  for (int64_t c = 0; c < channels; ++c) scales[c] = largest[c] > 0 ? largest[c] / levels : 1.0f;
  std::vector<int8_t> quantized(weight.numel());
  for (int64_t i = 0; i < weight.numel(); ++i)
    quantized[i] =
        static_cast<int8_t>(std::clamp(std::nearbyint(values[i] / scales[channel_of(i)]), -levels, levels));

  ValueId bias = node.input_or_none(2);
  std::optional<Tensor> bias_tensor;
  if (bias != kNoValue) bias_tensor = graph.constant(bias);
  dequantized_input(graph, node_id, 1, Tensor::from_vector<int8_t>(shape, quantized),
                    Tensor::from_vector<float>({channels}, scales),
                    Tensor::from_vector<int8_t>({channels}, std::vector<int8_t>(channels, 0)), axis);
  if (!bias_tensor) return;
  std::vector<float> bias_values = bias_tensor->to_vector<float>();
  if (static_cast<int64_t>(bias_values.size()) != channels) return;  // a broadcast bias stays float
  std::vector<float> bias_scales(channels);
  std::vector<int32_t> bias_quantized(channels);
  const double int32_limit = std::numeric_limits<int32_t>::max();
  for (int64_t c = 0; c < channels; ++c) {
    bias_scales[c] = input_scale * scales[c];
    bias_quantized[c] = static_cast<int32_t>(std::clamp(
        std::nearbyint(bias_values[c] / static_cast<double>(bias_scales[c])), -int32_limit, int32_limit));
  }
  dequantized_input(graph, node_id, 2, Tensor::from_vector<int32_t>({channels}, bias_quantized),
                    Tensor::from_vector<float>({channels}, bias_scales), std::nullopt, 0);
}

}  // namespace

std::vector<ValueId> activations_to_quantize(const Graph& graph) {
  std::vector<ValueId> values;
  auto add = [&values](ValueId id) {
    if (std::find(values.begin(), values.end(), id) == values.end()) values.push_back(id);
  };
  for (const Node& node : graph.nodes()) {
    if (has_quantizable_weights(graph, node)) {
      add(node.inputs[0]);
    } else if (is_activation_add(graph, node)) {
      add(node.inputs[0]);
      add(node.inputs[1]);
      add(add_result(graph, node));
    }
  }
  return values;
}

QdqSummary insert_qdq(Graph& graph, const std::map<std::string, ActivationRange>& ranges,
                      const QdqOptions& options) {
  if (is_quantized(graph)) throw make_error("the model is already quantized (it has QuantizeLinear nodes)");
  std::vector<ValueId> activations = activations_to_quantize(graph);
  std::vector<NodeId> weighted;
  for (NodeId id = 0; id < static_cast<NodeId>(graph.node_count()); ++id)
    if (has_quantizable_weights(graph, graph.node(id))) weighted.push_back(id);

  QdqSummary summary;
  for (ValueId value : activations) {
    const std::string& name = graph.value(value).name;
    auto range = ranges.find(name);
    if (range == ranges.end()) throw make_error("no calibrated range for activation '", name, "'");
    Quantization q = activation_quantization(range->second);
    quantize_activation(graph, value, q);
    ++summary.activations;
  }
  for (NodeId id : weighted) {
    ValueId input = graph.node(id).inputs[0];
    NodeId producer = graph.value(input).producer;
    if (producer == kNoNode || graph.node(producer).op_type != "DequantizeLinear") continue;
    float input_scale = graph.constant(graph.node(producer).inputs[1]).data<float>()[0];
    quantize_weights(graph, id, input_scale, options);
    ++summary.weighted_nodes;
  }
  graph.topological_sort();
  graph.prune();
  infer_shapes(graph);
  return summary;
}

bool is_quantized(const Graph& graph) {
  return std::any_of(graph.nodes().begin(), graph.nodes().end(),
                     [](const Node& node) { return node.op_type == "QuantizeLinear"; });
}

}  // namespace nacre
