#include "space/inverted_residual.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

namespace nacre {

namespace {

bool is_pointwise(const std::optional<SquareConv>& conv) {
  return conv && conv->is_full() && conv->kernel == 1;
}

// Rows `sources` of a [N, ...] tensor; a source of -1 takes the same row of `fresh` (a [sources, ...]
// tensor).
Tensor gather_rows(const Tensor& original, const std::vector<int64_t>& sources, const Tensor& fresh) {
  int64_t row = original.numel() / original.shape()[0];
  Shape shape = original.shape();
  shape[0] = static_cast<int64_t>(sources.size());
  Tensor result = zeros(shape);
  float* target = result.mutable_data<float>();
  for (size_t j = 0; j < sources.size(); ++j) {
    const float* source =
        sources[j] >= 0 ? original.data<float>() + sources[j] * row : fresh.data<float>() + j * row;
    std::memcpy(target + j * row, source, row * sizeof(float));
  }
  return result;
}

// Columns `sources` of a [O, H, 1, 1] projection; new channels (-1) get zero columns: they add nothing yet.
Tensor gather_columns(const Tensor& project, const std::vector<int64_t>& sources) {
  int64_t outputs = project.shape()[0], hidden = project.shape()[1];
  int64_t count = static_cast<int64_t>(sources.size());
  Tensor result = zeros({outputs, count, 1, 1});
  for (int64_t o = 0; o < outputs; ++o) {
    for (int64_t j = 0; j < count; ++j) {
      if (sources[j] >= 0)
        result.mutable_data<float>()[o * count + j] = project.data<float>()[o * hidden + sources[j]];
    }
  }
  return result;
}

// L1 norm of the projection column each hidden channel feeds: how much the channel contributes.
std::vector<double> channel_importance(const Tensor& project) {
  int64_t outputs = project.shape()[0], hidden = project.shape()[1];
  std::vector<double> importance(hidden, 0.0);
  for (int64_t o = 0; o < outputs; ++o) {
    for (int64_t h = 0; h < hidden; ++h) importance[h] += std::fabs(project.data<float>()[o * hidden + h]);
  }
  return importance;
}

// The `count` most important channels, in their original order.
std::vector<int64_t> most_important(const std::vector<double>& importance, int64_t count) {
  std::vector<int64_t> order(importance.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int64_t a, int64_t b) { return importance[a] > importance[b]; });
  order.resize(count);
  std::sort(order.begin(), order.end());
  return order;
}

// For each input channel, the hidden channel its expansion weight feeds most strongly (weighted by
// importance).
std::vector<int64_t> strongest_hidden(const Tensor& expand, const std::vector<double>& importance) {
  int64_t hidden = expand.shape()[0], inputs = expand.shape()[1];
  std::vector<int64_t> sources(inputs, 0);
  for (int64_t c = 0; c < inputs; ++c) {
    double best = -1.0;
    for (int64_t h = 0; h < hidden; ++h) {
      double strength = std::fabs(expand.data<float>()[h * inputs + c]) * importance[h];
      if (strength > best) best = strength, sources[c] = h;
    }
  }
  return sources;
}

std::string kernel_note(int64_t from, int64_t to) {
  if (from == to) return "";
  std::string size = std::to_string(to) + "x" + std::to_string(to);
  return from > to ? "; kernels centre-cropped to " + size
                   : "; kernels zero-padded to " + size + " (same function)";
}

}  // namespace

std::optional<InvertedResidual> match_inverted_residual(const Graph& block, const ConvChain& chain) {
  std::vector<std::optional<SquareConv>> convs;
  for (NodeId id : chain.convs) convs.push_back(read_square_conv(block, block.node(id)));
  InvertedResidual ir;
  size_t first = 0;
  if (convs.size() == 3 && is_pointwise(convs[0])) {
    ir.expand = chain.convs[0];
    first = 1;
  } else if (convs.size() != 2) {
    return std::nullopt;
  }
  if (!convs[first]->is_depthwise() || !is_pointwise(convs[first + 1])) return std::nullopt;
  if (chain.activations[first] == kNoNode || (ir.expand != kNoNode && chain.activations[0] == kNoNode)) {
    return std::nullopt;
  }
  ir.depthwise = chain.convs[first];
  ir.project = chain.convs[first + 1];
  ir.hidden = convs[first]->out_channels;
  return ir;
}

InvertedResidualWeights inherit_inverted_residual(const Graph& block, const InvertedResidual& original,
                                                  bool with_expand, int64_t hidden, int64_t kernel,
                                                  const std::string& seed) {
  const Node& depthwise = block.node(original.depthwise);
  const Node& project = block.node(original.project);
  const Tensor& project_weight = conv_weight(block, project);
  bool had_expand = original.expand != kNoNode;
  int64_t inputs = had_expand ? conv_weight(block, block.node(original.expand)).shape()[1] : original.hidden;
  int64_t outputs = project_weight.shape()[0];
  std::vector<double> importance = channel_importance(project_weight);
  InvertedResidualWeights fresh = new_inverted_residual(inputs, hidden, outputs, with_expand, kernel, seed);

  std::vector<int64_t> sources(hidden, -1);
  std::string origin;
  if (!with_expand && had_expand) {
    sources = strongest_hidden(conv_weight(block, block.node(original.expand)), importance);
    origin =
        "inherited, approximate: each input channel takes the depthwise kernel (scaled by its expansion "
        "weight) and projection column of the hidden channel it feeds most strongly";
  } else if (hidden <= original.hidden) {
    sources = most_important(importance, hidden);
    origin = "inherited: " + std::to_string(hidden) + " of " + std::to_string(original.hidden) +
             " hidden channels, chosen by L1 norm of their projection";
  } else {
    std::iota(sources.begin(), sources.begin() + original.hidden, 0);
    origin = "inherited: all " + std::to_string(original.hidden) + " hidden channels; " +
             std::to_string(hidden - original.hidden) + " new ones (He init, zero projection)";
  }
  if (with_expand && !had_expand) origin += "; new expansion = identity on the input channels";

  InvertedResidualWeights weights;
  Tensor depthwise_kernel = resize_kernel(conv_weight(block, depthwise), kernel);
  weights.depthwise_weight = gather_rows(depthwise_kernel, sources, fresh.depthwise_weight);
  weights.depthwise_bias = gather_rows(conv_bias(block, depthwise), sources, fresh.depthwise_bias);
  weights.project_weight = gather_columns(project_weight, sources);
  weights.project_bias = conv_bias(block, project);
  if (with_expand && had_expand) {
    const Node& expand = block.node(original.expand);
    weights.expand_weight = gather_rows(conv_weight(block, expand), sources, fresh.expand_weight);
    weights.expand_bias = gather_rows(conv_bias(block, expand), sources, fresh.expand_bias);
  } else if (with_expand) {
    weights.expand_weight = fresh.expand_weight;
    weights.expand_bias = fresh.expand_bias;
    for (int64_t j = 0; j < hidden; ++j) {
      if (sources[j] < 0) continue;
      float* row = weights.expand_weight.mutable_data<float>() + j * inputs;
      std::fill(row, row + inputs, 0.0f);
      row[sources[j]] = 1.0f;
    }
  } else if (had_expand) {
    const Tensor& expand = conv_weight(block, block.node(original.expand));
    int64_t taps = kernel * kernel;
    float* kernels = weights.depthwise_weight.mutable_data<float>();
    for (int64_t c = 0; c < hidden; ++c) {
      float scale = expand.data<float>()[sources[c] * inputs + c];
      for (int64_t t = 0; t < taps; ++t) kernels[c * taps + t] *= scale;
    }
  }
  weights.origin = origin + kernel_note(conv_weight(block, depthwise).shape()[2], kernel);
  return weights;
}

InvertedResidualWeights new_inverted_residual(int64_t inputs, int64_t hidden, int64_t outputs,
                                              bool with_expand, int64_t kernel, const std::string& seed) {
  InvertedResidualWeights weights;
  if (with_expand) {
    weights.expand_weight = he_normal({hidden, inputs, 1, 1}, seed + "/expand");
    weights.expand_bias = zeros({hidden});
  }
  weights.depthwise_weight = he_normal({hidden, 1, kernel, kernel}, seed + "/depthwise");
  weights.depthwise_bias = zeros({hidden});
  weights.project_weight = he_normal({outputs, hidden, 1, 1}, seed + "/project");
  weights.project_bias = zeros({outputs});
  weights.origin = "new: He init";
  return weights;
}

Graph build_inverted_residual(const std::string& input_name, const Shape& input_shape, int64_t stride,
                              const InvertedResidualWeights& weights, const std::string& activation,
                              bool residual, const std::string& final_activation) {
  Graph graph;
  ValueId input = graph.add_input(input_name, DataType::kFloat32, input_shape);
  ValueId hidden = input;
  if (!weights.expand_weight.empty()) {
    hidden = add_conv(graph, "expand", input, weights.expand_weight, weights.expand_bias, 1, 0, 1);
    hidden = add_activation(graph, "expand_act", hidden, activation);
  }
  int64_t channels = weights.depthwise_weight.shape()[0], kernel = weights.depthwise_weight.shape()[2];
  hidden = add_conv(graph, "depthwise", hidden, weights.depthwise_weight, weights.depthwise_bias, stride,
                    same_pad(kernel), channels);
  hidden = add_activation(graph, "depthwise_act", hidden, activation);
  ValueId output = add_conv(graph, "project", hidden, weights.project_weight, weights.project_bias, 1, 0, 1);
  if (residual) output = graph.node(graph.add_node("Add", "residual", {output, input})).outputs[0];
  if (!final_activation.empty()) output = add_activation(graph, "output_act", output, final_activation);
  graph.outputs = {output};
  return graph;
}

}  // namespace nacre
