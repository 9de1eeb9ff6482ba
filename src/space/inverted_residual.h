// MobileNetV2's inverted residual, recognised in a trained block and rebuilt with another expansion or
// kernel: [1x1 expand -> act] -> depthwise KxK -> act -> 1x1 project [+ input] [-> act]. Shared by the
// inverted_bottleneck and shallower generators.
#pragma once

#include <optional>
#include <string>

#include "space/conv_builder.h"

namespace nacre {

struct InvertedResidual {
  NodeId expand = kNoNode;  // absent in the expansion-1 form (depthwise first)
  NodeId depthwise = kNoNode;
  NodeId project = kNoNode;
  int64_t hidden = 0;  // the depthwise convolution's channels
};

std::optional<InvertedResidual> match_inverted_residual(const Graph& block, const ConvChain& chain);

// The weights of one inverted residual; expand_* are empty when it has no expansion.
struct InvertedResidualWeights {
  Tensor expand_weight, expand_bias, depthwise_weight, depthwise_bias, project_weight, project_bias;
  std::string origin;  // for Candidate::weight_origin
};

// Weights for `hidden` channels (with an expansion unless `with_expand` is false, which needs hidden equal
// to the input channels) and kernel k, inherited from a trained inverted residual (see the .cpp for how).
InvertedResidualWeights inherit_inverted_residual(const Graph& block, const InvertedResidual& original,
                                                  bool with_expand, int64_t hidden, int64_t kernel,
                                                  const std::string& seed);
// He-initialised weights with zero biases, for blocks that share no structure with an inverted residual.
InvertedResidualWeights new_inverted_residual(int64_t inputs, int64_t hidden, int64_t outputs,
                                              bool with_expand, int64_t kernel, const std::string& seed);

// Builds the candidate graph: input named `input_name`; the residual Add when input and output shapes match
// (and `residual`); `final_activation` ("" for none) after it. Returns a graph with one input and output.
Graph build_inverted_residual(const std::string& input_name, const Shape& input_shape, int64_t stride,
                              const InvertedResidualWeights& weights, const std::string& activation,
                              bool residual, const std::string& final_activation);

}  // namespace nacre
