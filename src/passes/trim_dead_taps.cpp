#include "passes/trim_dead_taps.h"

#include <algorithm>
#include <optional>

namespace nacre {

namespace {

// One spatial dimension of a convolution and the range of taps [first, last] that reach real input.
struct AxisGeometry {
  int64_t input = 0, kernel = 0, stride = 1, dilation = 1, pad_begin = 0, pad_end = 0;

  int64_t output() const { return (input + pad_begin + pad_end - (kernel - 1) * dilation - 1) / stride + 1; }
  bool tap_reaches_input(int64_t tap) const {
    for (int64_t position = 0; position < output(); ++position) {
      int64_t index = position * stride - pad_begin + tap * dilation;
      if (index >= 0 && index < input) return true;
    }
    return false;
  }
};

// The same axis with only taps [first, last], or nothing when the output would change or would need
// negative padding.
std::optional<AxisGeometry> trimmed(const AxisGeometry& axis, int64_t first, int64_t last) {
  AxisGeometry result = axis;
  result.kernel = last - first + 1;
  result.pad_begin = axis.pad_begin - first * axis.dilation;
  if (result.pad_begin < 0) return std::nullopt;
  int64_t span = (result.kernel - 1) * axis.dilation + 1;
  result.pad_end =
      std::max<int64_t>(0, (axis.output() - 1) * axis.stride + span - axis.input - result.pad_begin);
  if (result.output() != axis.output()) return std::nullopt;
  return result;
}

bool is_sole_use(const Graph& graph, ValueId weight) {
  return graph.consumers(weight).size() == 1 && !graph.is_graph_output(weight);
}

// Copies the taps [first[d], first[d] + kernel[d]) of each spatial axis of a [O, I, k...] float weight.
Tensor crop_kernel(const Tensor& weight, const std::vector<int64_t>& first,
                   const std::vector<int64_t>& kernel) {
  const Shape& shape = weight.shape();
  size_t spatial = shape.size() - 2;
  Shape cropped_shape = {shape[0], shape[1]};
  cropped_shape.insert(cropped_shape.end(), kernel.begin(), kernel.end());
  Tensor cropped(DataType::kFloat32, cropped_shape);
  int64_t cropped_taps = element_count(cropped_shape) / (shape[0] * shape[1]);
  int64_t original_taps = element_count(shape) / (shape[0] * shape[1]);
  const float* source = weight.data<float>();
  float* target = cropped.mutable_data<float>();
  std::vector<int64_t> tap(spatial, 0);
  for (int64_t t = 0; t < cropped_taps; ++t) {
    int64_t offset = 0;  // of the tap in the original kernel
    for (size_t d = 0; d < spatial; ++d) offset = offset * shape[2 + d] + first[d] + tap[d];
    for (int64_t channel = 0; channel < shape[0] * shape[1]; ++channel)
      target[channel * cropped_taps + t] = source[channel * original_taps + offset];
    for (size_t d = spatial; d-- > 0;) {  // next tap, last axis fastest
      if (++tap[d] < kernel[d]) break;
      tap[d] = 0;
    }
  }
  return cropped;
}

bool trim_conv(Graph& graph, Node& conv) {
  if (conv.get_string("auto_pad", "NOTSET") != "NOTSET" || conv.inputs.size() < 2) return false;
  ValueId weight_id = conv.inputs[1];
  const std::optional<Shape>& input_shape = graph.value(conv.inputs[0]).shape;
  if (!graph.is_constant(weight_id) || !is_sole_use(graph, weight_id) || !input_shape) return false;
  const Tensor& weight = graph.constant(weight_id);
  if (weight.dtype() != DataType::kFloat32 || weight.shape().size() < 3) return false;
  size_t spatial = weight.shape().size() - 2;
  if (input_shape->size() != spatial + 2) return false;
  std::vector<int64_t> strides = conv.get_ints("strides", std::vector<int64_t>(spatial, 1));
  std::vector<int64_t> dilations = conv.get_ints("dilations", std::vector<int64_t>(spatial, 1));
  std::vector<int64_t> pads = conv.get_ints("pads", std::vector<int64_t>(2 * spatial, 0));
  if (strides.size() != spatial || dilations.size() != spatial || pads.size() != 2 * spatial) return false;

  std::vector<AxisGeometry> axes;
  std::vector<int64_t> first(spatial), kernel(spatial);
  bool changed = false;
  for (size_t d = 0; d < spatial; ++d) {
    AxisGeometry axis{(*input_shape)[2 + d], weight.shape()[2 + d], strides[d], dilations[d], pads[d],
                      pads[spatial + d]};
    if (axis.input <= 0) return false;  // symbolic spatial size: nothing is known to be dead
    int64_t low = 0, high = axis.kernel - 1;
    while (low < high && !axis.tap_reaches_input(low)) ++low;
    while (high > low && !axis.tap_reaches_input(high)) --high;
    std::optional<AxisGeometry> smaller = trimmed(axis, low, high);
    if (!smaller || smaller->kernel == axis.kernel) {
      smaller = axis;
      low = 0;
    }
    changed = changed || smaller->kernel != axis.kernel;
    first[d] = low;
    kernel[d] = smaller->kernel;
    axes.push_back(*smaller);
  }
  if (!changed) return false;
  std::vector<int64_t> new_pads(2 * spatial);
  for (size_t d = 0; d < spatial; ++d) {
    new_pads[d] = axes[d].pad_begin;
    new_pads[spatial + d] = axes[d].pad_end;
  }
  graph.value(weight_id).initializer = crop_kernel(weight, first, kernel);
  Shape cropped_shape = graph.value(weight_id).initializer->shape();
  graph.value(weight_id).shape = cropped_shape;
  conv.attributes["pads"] = new_pads;
  if (conv.has("kernel_shape")) conv.attributes["kernel_shape"] = kernel;
  return true;
}

}  // namespace

int trim_dead_taps(Graph& graph) {
  int trimmed_convs = 0;
  for (NodeId id = 0; id < static_cast<NodeId>(graph.node_count()); ++id) {
    Node& node = graph.node(id);
    if (node.op_type == "Conv" && node.domain.empty() && trim_conv(graph, node)) ++trimmed_convs;
  }
  return trimmed_convs;
}

}  // namespace nacre
