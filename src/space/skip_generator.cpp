// skip: the block removed. Identity where its input and output shapes match; otherwise the cheapest
// projection producing the output shape: the block's own 1x1 shortcut projection when it has one (ResNet's
// downsample), else [AveragePool +] a 1x1 Conv initialised to copy channels.
#include <cmath>
#include <optional>

#include "space/conv_builder.h"
#include "space/generators.h"

namespace nacre {

namespace {

// The stride s with ceil(in / s) == out for every spatial dimension, or nullopt.
std::optional<int64_t> spatial_stride(const Shape& input, const Shape& output) {
  if (input.size() != 4 || output.size() != 4) return std::nullopt;
  for (int64_t stride = 1; stride <= input[2]; ++stride) {
    bool fits = true;
    for (size_t d = 2; d < 4; ++d) fits = fits && (input[d] + stride - 1) / stride == output[d];
    if (fits) return stride;
  }
  return std::nullopt;
}

// A 1x1 Conv of the block reading the block input and producing the output's channels at `stride`.
const Node* own_projection(const Graph& block, int64_t out_channels, int64_t stride) {
  for (const Node& node : block.nodes()) {
    if (node.inputs.empty() || node.inputs[0] != block.inputs[0]) continue;
    std::optional<SquareConv> conv = read_square_conv(block, node);
    if (conv && conv->kernel == 1 && conv->group == 1 && conv->pad == 0 && conv->stride == stride &&
        conv->out_channels == out_channels) {
      return &node;
    }
  }
  return nullptr;
}

// Output channel o copies input channel o mod C_in; when narrowing, averages the channels folded onto it.
Tensor channel_copy_weight(int64_t out_channels, int64_t in_channels) {
  Tensor weight(DataType::kFloat32, {out_channels, in_channels, 1, 1});
  float* data = weight.mutable_data<float>();
  for (int64_t o = 0; o < out_channels; ++o) {
    if (out_channels >= in_channels) {
      data[o * in_channels + o % in_channels] = 1.0f;
      continue;
    }
    int64_t folded = 0;
    for (int64_t i = o; i < in_channels; i += out_channels) ++folded;
    for (int64_t i = o; i < in_channels; i += out_channels) data[o * in_channels + i] = 1.0f / folded;
  }
  return weight;
}

// The block's closing activation (ReLU or ReLU6), so the projection's output has the range the next
// block was trained on; empty when it has none.
std::string closing_activation(const Graph& block) {
  NodeId producer = block.value(block.outputs[0]).producer;
  if (producer == kNoNode) return "";
  const Node& node = block.node(producer);
  if (node.op_type == "Relu") return "Relu";
  if (is_relu6(block, node)) return "Clip";
  return "";
}

class SkipGenerator : public CandidateGenerator {
 public:
  std::string name() const override { return "skip"; }
  std::vector<std::string> required_ops() const override {
    return {"Identity", "Conv", "AveragePool", "Relu", "Clip"};
  }
  bool applies_to(const GeneratorContext& context) const override {
    const Block& info = context.info;
    if (!info.replaceable) return false;
    if (info.input_shape == info.output_shape) return true;
    return spatial_stride(info.input_shape, info.output_shape).has_value();
  }

  std::vector<Candidate> generate(const GeneratorContext& context) const override {
    Candidate candidate;
    candidate.id = context.info.name + "/skip";
    candidate.generator = name();
    const Value& input = context.block.value(context.block.inputs[0]);
    ValueId x = candidate.graph.add_input(input.name, input.dtype, context.info.input_shape);
    candidate.graph.name = candidate.id;
    candidate.graph.opset = context.block.opset;
    if (context.info.input_shape == context.info.output_shape) {
      NodeId node = candidate.graph.add_node("Identity", "skip", {x});
      candidate.graph.outputs = {candidate.graph.node(node).outputs[0]};
      candidate.description = "block removed (identity)";
      candidate.weight_origin = "none: identity";
    } else {
      candidate.graph.outputs = {add_projection(context, candidate, x)};
    }
    finish_candidate(candidate, context.info.input_shape, context.info.output_shape);
    return {std::move(candidate)};
  }

 private:
  ValueId add_projection(const GeneratorContext& context, Candidate& candidate, ValueId x) const {
    const Shape& in = context.info.input_shape;
    const Shape& out = context.info.output_shape;
    int64_t stride = *spatial_stride(in, out);
    Graph& graph = candidate.graph;
    ValueId result;
    if (const Node* projection = own_projection(context.block, out[1], stride)) {
      result = add_conv(graph, "skip_projection", x, conv_weight(context.block, *projection),
                        conv_bias(context.block, *projection), stride, 0, 1);
      candidate.weight_origin = "inherited: the block's own shortcut projection '" + projection->name + "'";
    } else {
      if (stride > 1 && in[2] % stride == 0 && in[3] % stride == 0) {
        std::map<std::string, AttributeValue> pool{{"kernel_shape", std::vector<int64_t>{stride, stride}},
                                                   {"strides", std::vector<int64_t>{stride, stride}}};
        x = graph.node(graph.add_node("AveragePool", "skip_pool", {x}, 1, pool)).outputs[0];
        stride = 1;
      }
      result = add_conv(graph, "skip_projection", x, channel_copy_weight(out[1], in[1]), zeros({out[1]}),
                        stride, 0, 1);
      candidate.weight_origin = "new: channel-copy init (output channel o copies input channel o mod " +
                                std::to_string(in[1]) + "); nothing to inherit";
    }
    std::string activation = closing_activation(context.block);
    if (!activation.empty()) result = add_activation(graph, "skip_activation", result, activation);
    candidate.description =
        "block removed: 1x1 projection " + std::to_string(in[1]) + " -> " + std::to_string(out[1]) +
        " channels" +
        (in[2] != out[2] ? ", spatial " + std::to_string(in[2]) + " -> " + std::to_string(out[2]) : "");
    return result;
  }
};

}  // namespace

std::unique_ptr<CandidateGenerator> make_skip_generator() { return std::make_unique<SkipGenerator>(); }

}  // namespace nacre
