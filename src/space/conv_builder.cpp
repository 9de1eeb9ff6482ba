#include "space/conv_builder.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

#include "util/error.h"

namespace nacre {

namespace {

bool all_equal(const std::vector<int64_t>& values, int64_t expected) {
  return std::all_of(values.begin(), values.end(), [&](int64_t v) { return v == expected; });
}

std::optional<double> clip_bound(const Graph& graph, const Node& node, size_t input, const char* attribute) {
  ValueId bound = node.input_or_none(input);
  if (bound != kNoValue) {
    if (!graph.is_constant(bound) || graph.constant(bound).numel() != 1) return std::nullopt;
    return graph.constant(bound).as_doubles()[0];
  }
  if (node.has(attribute)) return node.get_float(attribute, 0.0);
  return std::nullopt;
}

uint64_t fnv1a(const std::string& text) {
  uint64_t hash = 1469598103934665603ull;
  for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ull;
  return hash;
}

// A shortcut operand of the residual Add: the block input itself, or one Conv reading it.
bool is_shortcut(const Graph& block, ValueId value) {
  ValueId input = block.inputs[0];
  if (value == input) return true;
  NodeId producer = block.value(value).producer;
  if (producer == kNoNode) return false;
  const Node& node = block.node(producer);
  return node.op_type == "Conv" && node.inputs[0] == input && block.consumers(value).size() == 1 &&
         read_square_conv(block, node).has_value();
}

// The main-path nodes from the block input to `end`, in forward order; empty when the path is not a
// simple chain of Convs and activations.
std::vector<NodeId> chain_nodes(const Graph& block, ValueId end) {
  std::vector<NodeId> nodes;
  for (ValueId value = end; value != block.inputs[0];) {
    NodeId producer = block.value(value).producer;
    if (producer == kNoNode) return {};
    if (value != end && block.consumers(value).size() != 1) return {};
    const Node& node = block.node(producer);
    bool usable = is_activation(node.op_type) || (node.op_type == "Conv" && read_square_conv(block, node));
    if (!usable || node.outputs.size() != 1) return {};
    nodes.push_back(producer);
    value = node.inputs[0];
  }
  std::reverse(nodes.begin(), nodes.end());
  return nodes;
}

// Nodes that read a non-constant value (Constant nodes and constant-only chains left by export excluded).
size_t computing_node_count(const Graph& block) {
  size_t count = 0;
  for (const Node& node : block.nodes()) {
    bool reads_tensor = std::any_of(node.inputs.begin(), node.inputs.end(), [&](ValueId input) {
      return input != kNoValue && !block.is_constant(input) && block.value(input).producer != kNoNode;
    });
    count += reads_tensor || (!node.inputs.empty() && node.inputs[0] == block.inputs[0]);
  }
  return count;
}

}  // namespace

std::optional<SquareConv> read_square_conv(const Graph& graph, const Node& node) {
  if (node.op_type != "Conv" || node.inputs.size() < 2 || !graph.is_constant(node.inputs[1]))
    return std::nullopt;
  const Tensor& weight = graph.constant(node.inputs[1]);
  if (weight.dtype() != DataType::kFloat32 || weight.rank() != 4) return std::nullopt;
  ValueId bias = node.input_or_none(2);
  if (bias != kNoValue && (!graph.is_constant(bias) || graph.constant(bias).dtype() != DataType::kFloat32)) {
    return std::nullopt;
  }
  SquareConv conv;
  conv.out_channels = weight.shape()[0];
  conv.group = node.get_int("group", 1);
  conv.in_channels = weight.shape()[1] * conv.group;
  conv.kernel = weight.shape()[2];
  std::vector<int64_t> strides = node.get_ints("strides", {1, 1});
  std::vector<int64_t> pads = node.get_ints("pads", {0, 0, 0, 0});
  conv.stride = strides.empty() ? 1 : strides[0];
  conv.pad = pads.empty() ? 0 : pads[0];
  bool square = weight.shape()[3] == conv.kernel && conv.kernel % 2 == 1;
  bool plain =
      node.get_string("auto_pad", "NOTSET") == "NOTSET" && all_equal(node.get_ints("dilations", {1, 1}), 1);
  if (!square || !plain || strides.size() != 2 || !all_equal(strides, conv.stride) || pads.size() != 4 ||
      !all_equal(pads, conv.pad)) {
    return std::nullopt;
  }
  return conv;
}

const Tensor& conv_weight(const Graph& graph, const Node& node) { return graph.constant(node.inputs[1]); }

Tensor conv_bias(const Graph& graph, const Node& node) {
  ValueId bias = node.input_or_none(2);
  if (bias != kNoValue) return graph.constant(bias);
  return zeros({conv_weight(graph, node).shape()[0]});
}

ValueId add_conv(Graph& graph, const std::string& name, ValueId input, Tensor weight, Tensor bias,
                 int64_t stride, int64_t pad, int64_t group) {
  int64_t kernel = weight.shape()[2];
  ValueId weight_id = graph.add_initializer(graph.unique_name(name + ".weight"), std::move(weight));
  ValueId bias_id = graph.add_initializer(graph.unique_name(name + ".bias"), std::move(bias));
  std::map<std::string, AttributeValue> attributes{{"kernel_shape", std::vector<int64_t>{kernel, kernel}},
                                                   {"strides", std::vector<int64_t>{stride, stride}},
                                                   {"pads", std::vector<int64_t>{pad, pad, pad, pad}},
                                                   {"dilations", std::vector<int64_t>{1, 1}},
                                                   {"group", group}};
  NodeId node = graph.add_node("Conv", graph.unique_name(name), {input, weight_id, bias_id}, 1, attributes);
  return graph.node(node).outputs[0];
}

ValueId add_activation(Graph& graph, const std::string& name, ValueId input, const std::string& op_type) {
  std::vector<ValueId> inputs{input};
  if (op_type == "Clip") {
    inputs.push_back(graph.add_initializer(graph.unique_name(name + ".min"), Tensor::scalar<float>(0.0f)));
    inputs.push_back(graph.add_initializer(graph.unique_name(name + ".max"), Tensor::scalar<float>(6.0f)));
  }
  NodeId node = graph.add_node(op_type == "Clip" ? "Clip" : "Relu", graph.unique_name(name), inputs);
  return graph.node(node).outputs[0];
}

Tensor resize_kernel(const Tensor& weight, int64_t kernel) {
  const Shape& shape = weight.shape();
  int64_t outer = shape[0] * shape[1], from = shape[2];
  if ((from - kernel) % 2 != 0) throw make_error("cannot centre a ", from, "x", from, " kernel in ", kernel);
  Tensor resized = zeros({shape[0], shape[1], kernel, kernel});
  const float* source = weight.data<float>();
  float* target = resized.mutable_data<float>();
  int64_t common = std::min(from, kernel);
  int64_t source_offset = (from - common) / 2, target_offset = (kernel - common) / 2;
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t y = 0; y < common; ++y) {
      for (int64_t x = 0; x < common; ++x) {
        target[(o * kernel + y + target_offset) * kernel + x + target_offset] =
            source[(o * from + y + source_offset) * from + x + source_offset];
      }
    }
  }
  return resized;
}

Tensor he_normal(const Shape& shape, const std::string& seed) {
  int64_t fan_in = 1;
  for (size_t i = 1; i < shape.size(); ++i) fan_in *= shape[i];
  std::mt19937_64 generator(fnv1a(seed));
  std::normal_distribution<float> normal(0.0f,
                                         std::sqrt(2.0f / static_cast<float>(std::max<int64_t>(fan_in, 1))));
  Tensor tensor = zeros(shape);
  float* data = tensor.mutable_data<float>();
  for (int64_t i = 0; i < tensor.numel(); ++i) data[i] = normal(generator);
  return tensor;
}

Tensor zeros(const Shape& shape) { return Tensor(DataType::kFloat32, shape); }

bool is_activation(const std::string& op_type) {
  static const std::set<std::string> kActivations{"Relu",        "Clip",    "HardSwish", "LeakyRelu",
                                                  "HardSigmoid", "Sigmoid", "Tanh"};
  return kActivations.count(op_type) > 0;
}

bool is_relu6(const Graph& graph, const Node& node) {
  if (node.op_type != "Clip") return false;
  std::optional<double> low = clip_bound(graph, node, 1, "min"), high = clip_bound(graph, node, 2, "max");
  return low && high && *low == 0.0 && *high == 6.0;
}

std::optional<ConvChain> match_conv_chain(const Graph& block) {
  if (block.inputs.size() != 1 || block.outputs.size() != 1) return std::nullopt;
  ConvChain chain;
  ValueId end = block.outputs[0];
  NodeId last = block.value(end).producer;
  if (last == kNoNode) return std::nullopt;
  if (is_activation(block.node(last).op_type)) {
    NodeId before = block.value(block.node(last).inputs[0]).producer;
    if (before != kNoNode && block.node(before).op_type == "Add") {
      chain.final_activation = last;
      last = before;
    }
  }
  if (block.node(last).op_type == "Add") {
    const Node& add = block.node(last);
    if (add.inputs.size() != 2) return std::nullopt;
    bool second_is_shortcut = is_shortcut(block, add.inputs[1]) && add.inputs[0] != block.inputs[0];
    if (!second_is_shortcut && !is_shortcut(block, add.inputs[0])) return std::nullopt;
    ValueId shortcut = second_is_shortcut ? add.inputs[1] : add.inputs[0];
    end = second_is_shortcut ? add.inputs[0] : add.inputs[1];
    chain.add = last;
    if (shortcut != block.inputs[0]) chain.shortcut_conv = block.value(shortcut).producer;
  }
  for (NodeId id : chain_nodes(block, end)) {
    const Node& node = block.node(id);
    if (node.op_type == "Conv") {
      chain.convs.push_back(id);
      chain.activations.push_back(kNoNode);
    } else if (chain.convs.empty() || chain.activations.back() != kNoNode) {
      return std::nullopt;  // an activation first, or two in a row
    } else {
      chain.activations.back() = id;
    }
  }
  size_t extra =
      (chain.add != kNoNode) + (chain.shortcut_conv != kNoNode) + (chain.final_activation != kNoNode);
  size_t matched = chain.convs.size() + extra;
  for (NodeId activation : chain.activations) matched += activation != kNoNode;
  if (chain.convs.empty() || matched != computing_node_count(block)) return std::nullopt;
  return chain;
}

std::string dominant_activation(const Graph& block) {
  bool any = false, all_relu6 = true;
  for (const Node& node : block.nodes()) {
    if (!is_activation(node.op_type)) continue;
    any = true;
    all_relu6 = all_relu6 && is_relu6(block, node);
  }
  return any && all_relu6 ? "Clip" : "Relu";
}

std::string block_output_activation(const Graph& block) {
  NodeId last = block.value(block.outputs[0]).producer;
  if (last == kNoNode || !is_activation(block.node(last).op_type)) return "";
  return is_relu6(block, block.node(last)) ? "Clip" : "Relu";
}

}  // namespace nacre
