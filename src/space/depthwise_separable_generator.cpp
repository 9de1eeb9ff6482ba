// depthwise_separable: every full KxK convolution of the block becomes a depthwise kxk (k = 3, 5) followed
// by a pointwise 1x1, initialised from a per-input-channel rank-1 factorisation of the trained kernel.
// Everything else in the block (activations, residual, shortcut projection, pooling) stays as it was.
#include <cmath>

#include "space/conv_builder.h"
#include "space/generators.h"

namespace nacre {

namespace {

struct Factorised {
  Tensor depthwise;  // [I, 1, k, k]
  Tensor pointwise;  // [O, I, 1, 1]
};

// The leading right singular vector of the row-major [rows, taps] matrix (power iteration on M^T M).
std::vector<double> leading_spatial_pattern(const std::vector<double>& matrix, int64_t rows, int64_t taps) {
  std::vector<double> gram(taps * taps, 0.0);
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t a = 0; a < taps; ++a) {
      for (int64_t b = 0; b < taps; ++b) gram[a * taps + b] += matrix[r * taps + a] * matrix[r * taps + b];
    }
  }
  std::vector<double> pattern(taps, 1.0), next(taps);
  pattern[taps / 2] += 1.0;  // not orthogonal to a centre-heavy leading pattern
  for (int iteration = 0; iteration < 200; ++iteration) {
    double norm = 0.0;
    for (int64_t a = 0; a < taps; ++a) {
      next[a] = 0.0;
      for (int64_t b = 0; b < taps; ++b) next[a] += gram[a * taps + b] * pattern[b];
      norm += next[a] * next[a];
    }
    if (norm == 0.0) {  // an all-zero kernel: any pattern will do
      std::fill(pattern.begin(), pattern.end(), 0.0);
      pattern[taps / 2] = 1.0;
      return pattern;
    }
    for (int64_t a = 0; a < taps; ++a) pattern[a] = next[a] / std::sqrt(norm);
  }
  return pattern;
}

// For each input channel i, W[:, i] (an [O, k*k] matrix) ~ u v^T with v its leading spatial pattern:
// depthwise[i] = v, pointwise[:, i] = u = W[:, i] v. Exact when each channel's kernels share one pattern.
Factorised factorise(const Tensor& weight) {
  int64_t outputs = weight.shape()[0], inputs = weight.shape()[1], kernel = weight.shape()[2];
  int64_t taps = kernel * kernel;
  Factorised result{zeros({inputs, 1, kernel, kernel}), zeros({outputs, inputs, 1, 1})};
  const float* w = weight.data<float>();
  for (int64_t i = 0; i < inputs; ++i) {
    std::vector<double> matrix(outputs * taps);
    for (int64_t o = 0; o < outputs; ++o) {
      for (int64_t t = 0; t < taps; ++t) matrix[o * taps + t] = w[(o * inputs + i) * taps + t];
    }
    std::vector<double> pattern = leading_spatial_pattern(matrix, outputs, taps);
    for (int64_t t = 0; t < taps; ++t) result.depthwise.mutable_data<float>()[i * taps + t] = pattern[t];
    for (int64_t o = 0; o < outputs; ++o) {
      double projection = 0.0;
      for (int64_t t = 0; t < taps; ++t) projection += matrix[o * taps + t] * pattern[t];
      result.pointwise.mutable_data<float>()[o * inputs + i] = static_cast<float>(projection);
    }
  }
  return result;
}

std::vector<NodeId> full_spatial_convs(const Graph& block) {
  std::vector<NodeId> convs;
  for (NodeId id = 0; id < static_cast<NodeId>(block.node_count()); ++id) {
    std::optional<SquareConv> conv = read_square_conv(block, block.node(id));
    if (conv && conv->is_full() && conv->kernel > 1) convs.push_back(id);
  }
  return convs;
}

// Rewrites conv `id` in place into depthwise kxk -> pointwise 1x1; false when the pads cannot keep shapes.
bool separate(Graph& graph, NodeId id, int64_t kernel) {
  SquareConv conv = *read_square_conv(graph, graph.node(id));
  int64_t pad = conv.pad + (kernel - conv.kernel) / 2;  // keeps (2 pad - kernel), hence the output size
  if (pad < 0) return false;
  std::string name = graph.node(id).name;
  Factorised factors = factorise(resize_kernel(conv_weight(graph, graph.node(id)), kernel));
  ValueId depthwise = add_conv(graph, name + "_dw", graph.node(id).inputs[0], factors.depthwise,
                               zeros({conv.in_channels}), conv.stride, pad, conv.in_channels);
  ValueId pointwise = graph.add_initializer(graph.unique_name(name + "_pw.weight"), factors.pointwise);
  Node& node = graph.node(id);
  node.inputs[0] = depthwise;
  node.inputs[1] = pointwise;
  node.attributes["kernel_shape"] = std::vector<int64_t>{1, 1};
  node.attributes["strides"] = std::vector<int64_t>{1, 1};
  node.attributes["pads"] = std::vector<int64_t>{0, 0, 0, 0};
  return true;
}

class DepthwiseSeparableGenerator : public CandidateGenerator {
 public:
  std::string name() const override { return "depthwise_separable"; }
  std::vector<std::string> required_ops() const override { return {"Conv"}; }
  bool applies_to(const GeneratorContext& context) const override {
    return !full_spatial_convs(context.block).empty();
  }
  std::vector<Candidate> generate(const GeneratorContext& context) const override {
    std::vector<Candidate> candidates;
    std::vector<NodeId> convs = full_spatial_convs(context.block);
    for (int64_t kernel : {3, 5}) {
      Candidate candidate;
      candidate.graph = context.block.clone();
      size_t separated = 0;
      for (NodeId id : convs) separated += separate(candidate.graph, id, kernel);
      if (separated == 0) continue;
      candidate.graph.topological_sort();
      candidate.graph.prune();
      std::string size = std::to_string(kernel) + "x" + std::to_string(kernel);
      candidate.id = context.info.name + "/dwsep_k" + std::to_string(kernel);
      candidate.generator = name();
      candidate.description =
          std::to_string(separated) + " full convolution(s) -> depthwise " + size + " + pointwise 1x1";
      candidate.weight_origin =
          "inherited: rank-1 factorisation of each trained kernel per input channel (depthwise = leading "
          "spatial pattern, pointwise = channel weights; kernels centre-cropped/zero-padded to " +
          size + "); biases original";
      finish_candidate(candidate, context.info.input_shape, context.info.output_shape);
      candidates.push_back(std::move(candidate));
    }
    return candidates;
  }
};

}  // namespace

std::unique_ptr<CandidateGenerator> make_depthwise_separable_generator() {
  return std::make_unique<DepthwiseSeparableGenerator>();
}

}  // namespace nacre
