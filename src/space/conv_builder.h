// Shared pieces of the structural generators: reading a Conv's geometry and weights, building Conv and
// activation nodes with weights as initializers, reshaping trained kernels, and recognising the common
// block form  input -> Conv/activation chain -> [Add shortcut] -> [activation] -> output.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace nacre {

// A 2-D Conv with a square kernel, equal strides, symmetric equal pads, dilation 1 and constant float32
// weights: the only kind the structural generators rewrite.
struct SquareConv {
  int64_t out_channels = 0;
  int64_t in_channels = 0;  // of the input tensor (weight's in-channels times group)
  int64_t group = 1;
  int64_t kernel = 1;
  int64_t stride = 1;
  int64_t pad = 0;
  bool is_depthwise() const { return group > 1 && group == in_channels && out_channels == in_channels; }
  bool is_full() const { return group == 1; }
};

std::optional<SquareConv> read_square_conv(const Graph& graph, const Node& node);
const Tensor& conv_weight(const Graph& graph, const Node& node);
Tensor conv_bias(const Graph& graph, const Node& node);  // zeros when the Conv has none

// Adds Conv(input, weight [O, I/group, k, k], bias [O]) with the given stride and symmetric pad; returns
// its output. same_pad(k) keeps the spatial size at stride 1 (ceil(size / stride) otherwise).
ValueId add_conv(Graph& graph, const std::string& name, ValueId input, Tensor weight, Tensor bias,
                 int64_t stride, int64_t pad, int64_t group);
inline int64_t same_pad(int64_t kernel) { return (kernel - 1) / 2; }
// Adds Relu, or Clip(0, 6) when op_type is "Clip"; returns its output.
ValueId add_activation(Graph& graph, const std::string& name, ValueId input, const std::string& op_type);

// A [O, I, K, K] kernel as [O, I, k, k]: centre-cropped when k < K, zero-padded (same function) when k > K.
Tensor resize_kernel(const Tensor& weight, int64_t kernel);
// He-normal weights (std = sqrt(2 / fan_in)), deterministic for a seed text such as the candidate id.
Tensor he_normal(const Shape& shape, const std::string& seed);
Tensor zeros(const Shape& shape);

// The block form most CNN blocks take (ResNet basic/bottleneck blocks, MobileNet inverted residuals).
struct ConvChain {
  std::vector<NodeId> convs;          // the main path's Conv nodes, in order
  std::vector<NodeId> activations;    // per conv, the activation right after it, or kNoNode
  NodeId add = kNoNode;               // the residual Add, when present
  NodeId shortcut_conv = kNoNode;     // the projection on the shortcut, when present
  NodeId final_activation = kNoNode;  // an activation after the Add
};

bool is_activation(const std::string& op_type);
bool is_relu6(const Graph& graph, const Node& node);  // Clip with constant bounds 0 and 6
// The block's chain when every node of the graph belongs to it and each conv is a SquareConv; else nullopt.
std::optional<ConvChain> match_conv_chain(const Graph& block);
// The op of the block's activations ("Clip" for ReLU6 blocks), "Relu" when it has none or mixed ones.
std::string dominant_activation(const Graph& block);
// The activation the block ends with, as "Clip" (ReLU6) or "Relu"; "" when it ends linearly.
std::string block_output_activation(const Graph& block);

}  // namespace nacre
