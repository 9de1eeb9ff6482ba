// Post-training int8 quantization in ONNX's QDQ form: QuantizeLinear -> DequantizeLinear pairs around float
// ops, which ONNX Runtime turns into integer kernels (QLinearConv, QGemm, QLinearAdd) when it loads the
// model, and which nacre's executor runs in float (the same rounding, so accuracy can be measured before
// deploying).
// - Conv and Gemm weights: int8, symmetric, per output channel (scale = max |w| / 127);
// - their biases: int32 at input scale x weight scale (what an integer kernel accumulates in);
// - activations: uint8, asymmetric, per tensor, from a calibrated [min, max] range (0 always inside): the
//   inputs of Conv, Gemm and Add, and each Add's output, taken after the Relu that follows it when that Relu
//   is its only consumer (the runtime then folds the Relu into the quantization).
// Fold BatchNormalization first (fold_batchnorm): a Conv followed by BatchNormalization is quantized as it
// is.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace nacre {

struct ActivationRange {
  double min = 0, max = 0;
};

// The activations insert_qdq quantizes, in graph order: what the calibration must measure.
std::vector<ValueId> activations_to_quantize(const Graph& graph);

struct QdqOptions {
  // 7-bit weights (max |w| / 63): for x86 CPUs without VNNI, whose 8-bit dot products can saturate.
  bool reduce_range = false;
};

struct QdqSummary {
  int weighted_nodes = 0;  // Conv and Gemm nodes given int8 weights
  int activations = 0;     // activation tensors quantized
};

// Rewrites `graph` (topologically sorted) in place and infers its shapes. `ranges`, by value name, must
// hold every activation activations_to_quantize() lists; throws Error naming the first missing one.
QdqSummary insert_qdq(Graph& graph, const std::map<std::string, ActivationRange>& ranges,
                      const QdqOptions& options = {});

// Whether the graph holds QuantizeLinear nodes (a quantized model).
bool is_quantized(const Graph& graph);

}  // namespace nacre
