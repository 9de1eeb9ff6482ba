#include "space/width_reduction.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "util/error.h"

namespace nacre {

namespace {

const std::set<std::string>& channelwise_unary_ops() {
  static const std::set<std::string> ops = {
      "Relu",     "Clip", "LeakyRelu", "Sigmoid",           "Tanh",          "HardSwish", "HardSigmoid",
      "Identity", "Erf",  "Sqrt",      "GlobalAveragePool", "GlobalMaxPool", "MaxPool",   "AveragePool"};
  return ops;
}

bool is_binary_elementwise(const std::string& op) {
  return op == "Add" || op == "Mul" || op == "Sub" || op == "Div";
}

bool is_full_conv(const Graph& graph, const Node& node) {
  return node.op_type == "Conv" && node.get_int("group", 1) == 1 && node.inputs.size() >= 2 &&
         graph.is_constant(node.inputs[1]) && graph.constant(node.inputs[1]).rank() == 4 &&
         graph.constant(node.inputs[1]).dtype() == DataType::kFloat32;
}

bool is_depthwise_conv(const Graph& graph, const Node& node) {
  if (node.op_type != "Conv" || node.inputs.size() < 2 || !graph.is_constant(node.inputs[1])) return false;
  const Shape& weight = graph.constant(node.inputs[1]).shape();
  return weight.size() == 4 && weight[1] == 1 && node.get_int("group", 1) == weight[0] && weight[0] > 1;
}

// A Gemm reading `value` as its (untransposed) input, with float weights to slice: [out, in] when transB.
bool is_gemm_reading(const Graph& graph, const Node& node, ValueId value) {
  if (node.op_type != "Gemm" || node.inputs.size() < 2 || node.inputs[0] != value ||
      node.get_int("transA", 0))
    return false;
  return graph.is_constant(node.inputs[1]) && graph.constant(node.inputs[1]).rank() == 2 &&
         graph.constant(node.inputs[1]).dtype() == DataType::kFloat32;
}

// The weight axis of a consumer that reads the group's channels: a Conv's input channels, a Gemm's inputs.
int consumer_weight_axis(const Node& node) {
  if (node.op_type == "Gemm") return node.get_int("transB", 0) ? 1 : 0;
  return 1;
}

// Flatten of [N, C, 1, 1] (or [N, C]) at axis 1: its output's features are the channels, in order.
bool is_channel_flatten(const Graph& graph, const Node& node) {
  if (node.op_type != "Flatten" || node.get_int("axis", 1) != 1 || node.inputs.empty()) return false;
  const std::optional<Shape>& shape = graph.value(node.inputs[0]).shape;
  if (!shape) return false;
  if (shape->size() == 2) return true;
  return shape->size() == 4 && (*shape)[2] == 1 && (*shape)[3] == 1;
}

bool scalar_constant(const Graph& graph, ValueId id) {
  return id == kNoValue || (graph.is_constant(id) && graph.constant(id).numel() == 1);
}

// Grows the group from one producer's output across channel-wise nodes; false when it reaches something that
// would change with the channel count (the block's input or output, a reshape, a concat, a per-channel
// constant).
class GroupBuilder {
 public:
  GroupBuilder(const Graph& block, const std::vector<std::vector<NodeId>>& consumers,
               const ChannelGroupOptions& options)
      : block_(block), consumers_(consumers), options_(options) {}

  bool grow(NodeId producer, ChannelGroup& group) {
    add_once(group.producers, producer);
    std::vector<ValueId> work = {block_.node(producer).outputs[0]};
    std::set<ValueId> seen_values;
    while (!work.empty()) {
      ValueId value = work.back();
      work.pop_back();
      if (!seen_values.insert(value).second) continue;
      if (value == block_.inputs[0] || block_.is_graph_output(value)) return false;
      if (!visit_producer(value, group, work)) return false;
      for (NodeId consumer : consumers_[value]) {
        if (!visit_consumer(consumer, value, group, work)) return false;
      }
    }
    return !group.consumers.empty();
  }

 private:
  static void add_once(std::vector<NodeId>& list, NodeId id) {
    if (std::find(list.begin(), list.end(), id) == list.end()) list.push_back(id);
  }

  bool visit_producer(ValueId value, ChannelGroup& group, std::vector<ValueId>& work) {
    NodeId id = block_.value(value).producer;
    if (id == kNoNode) return false;
    if (is_full_conv(block_, block_.node(id))) {
      add_once(group.producers, id);
      return true;
    }
    return visit_member(id, group, work);
  }

  bool visit_consumer(NodeId id, ValueId value, ChannelGroup& group, std::vector<ValueId>& work) {
    const Node& node = block_.node(id);
    bool reads_channels =
        (is_full_conv(block_, node) && node.inputs[0] == value && node.inputs[1] != value) ||
        (options_.through_classifier && is_gemm_reading(block_, node, value));
    if (reads_channels) {
      add_once(group.consumers, id);
      return true;
    }
    return visit_member(id, group, work);
  }

  // A channel-wise node: all its computed inputs and its output join the group.
  bool visit_member(NodeId id, ChannelGroup& group, std::vector<ValueId>& work) {
    if (!members_.insert(id).second) return true;
    const Node& node = block_.node(id);
    bool depthwise = is_depthwise_conv(block_, node);
    bool unary = channelwise_unary_ops().count(node.op_type) > 0 || depthwise ||
                 (options_.through_classifier && is_channel_flatten(block_, node));
    if (node.outputs.size() != 1 || (!unary && !is_binary_elementwise(node.op_type))) return false;
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      ValueId input = node.inputs[i];
      if (depthwise && i > 0) continue;  // its weights, sliced with the group
      if (unary && i > 0) {
        if (!scalar_constant(block_, input)) return false;
        continue;
      }
      if (input == kNoValue || scalar_constant(block_, input)) continue;
      if (block_.is_constant(input)) return false;  // a per-channel constant
      work.push_back(input);
    }
    group.members.push_back(id);
    work.push_back(node.outputs[0]);
    return true;
  }

  const Graph& block_;
  const std::vector<std::vector<NodeId>>& consumers_;
  const ChannelGroupOptions& options_;
  std::set<NodeId> members_;
};

Tensor slice_axis(const Tensor& tensor, int axis, const std::vector<int64_t>& keep) {
  Shape shape = tensor.shape();
  int64_t outer = std::accumulate(shape.begin(), shape.begin() + axis, int64_t{1}, std::multiplies<>());
  int64_t inner = std::accumulate(shape.begin() + axis + 1, shape.end(), int64_t{1}, std::multiplies<>());
  int64_t size = shape[axis];
  shape[axis] = static_cast<int64_t>(keep.size());
  Tensor result(DataType::kFloat32, shape);
  const float* from = tensor.data<float>();
  float* to = result.mutable_data<float>();
  for (int64_t o = 0; o < outer; ++o) {
    for (size_t k = 0; k < keep.size(); ++k) {
      std::copy_n(from + (o * size + keep[k]) * inner, inner, to + (o * keep.size() + k) * inner);
    }
  }
  return result;
}

// The channels to keep: the largest L1 norms of the producers' filters, in their original order.
std::vector<int64_t> important_channels(const Graph& block, const ChannelGroup& group, int64_t count) {
  std::vector<double> importance(group.channels, 0.0);
  for (NodeId producer : group.producers) {
    const Tensor& weight = block.constant(block.node(producer).inputs[1]);
    int64_t per_filter = weight.numel() / group.channels;
    const float* data = weight.data<float>();
    for (int64_t c = 0; c < group.channels; ++c) {
      for (int64_t i = 0; i < per_filter; ++i) importance[c] += std::fabs(data[c * per_filter + i]);
    }
  }
  std::vector<int64_t> order(group.channels);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int64_t a, int64_t b) { return importance[a] > importance[b]; });
  order.resize(count);
  std::sort(order.begin(), order.end());
  return order;
}

// Rewires input `index` of `node` to a new initializer holding `tensor` (others may share the old one).
void replace_constant(Graph& graph, NodeId node, size_t index, Tensor tensor) {
  ValueId old = graph.node(node).inputs[index];
  ValueId fresh =
      graph.add_initializer(graph.unique_name(graph.value(old).name + "_narrow"), std::move(tensor));
  graph.node(node).inputs[index] = fresh;
}

void narrow_group(Graph& graph, const ChannelGroup& group, const std::vector<int64_t>& keep) {
  auto slice_input = [&](NodeId id, size_t index, int axis) {
    ValueId input = graph.node(id).input_or_none(index);
    if (input != kNoValue) replace_constant(graph, id, index, slice_axis(graph.constant(input), axis, keep));
  };
  for (NodeId id : group.producers) {
    slice_input(id, 1, 0);
    slice_input(id, 2, 0);
  }
  for (NodeId id : group.members) {
    if (!is_depthwise_conv(graph, graph.node(id))) continue;
    slice_input(id, 1, 0);
    slice_input(id, 2, 0);
    graph.node(id).attributes["group"] = static_cast<int64_t>(keep.size());
  }
  for (NodeId id : group.consumers) slice_input(id, 1, consumer_weight_axis(graph.node(id)));
}

}  // namespace

std::vector<ChannelGroup> find_channel_groups(const Graph& block, const ChannelGroupOptions& options) {
  std::vector<std::vector<NodeId>> consumers(block.value_count());
  for (size_t n = 0; n < block.node_count(); ++n) {
    for (ValueId input : block.node(static_cast<NodeId>(n)).inputs) {
      if (input != kNoValue) consumers[input].push_back(static_cast<NodeId>(n));
    }
  }
  std::vector<ChannelGroup> groups;
  std::set<NodeId> claimed;
  for (size_t n = 0; n < block.node_count(); ++n) {
    NodeId id = static_cast<NodeId>(n);
    if (claimed.count(id) || !is_full_conv(block, block.node(id))) continue;
    ChannelGroup group;
    GroupBuilder builder(block, consumers, options);
    if (!builder.grow(id, group)) continue;
    group.channels = block.constant(block.node(id).inputs[1]).shape()[0];
    bool consistent = true;
    for (NodeId producer : group.producers) {
      consistent = consistent && block.constant(block.node(producer).inputs[1]).shape()[0] == group.channels;
      claimed.insert(producer);
    }
    if (consistent && group.channels > 1) groups.push_back(std::move(group));
  }
  return groups;
}

WidthReduction reduce_width(const Graph& block, const std::vector<ChannelGroup>& groups, double fraction) {
  if (fraction <= 0.0 || fraction > 1.0)
    throw make_error("reduce_width: fraction ", fraction, " not in (0, 1]");
  WidthReduction result{block.clone(), {}};
  for (const ChannelGroup& group : groups) {
    int64_t count = std::max<int64_t>(1, std::llround(fraction * static_cast<double>(group.channels)));
    narrow_group(result.graph, group, important_channels(block, group, count));
    result.channels.emplace_back(group.channels, count);
  }
  return result;
}

}  // namespace nacre
