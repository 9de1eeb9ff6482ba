// Conv, Gemm, MatMul and BatchNormalization, plus the spatial padding rules Conv shares with the pools.
#include <ATen/ATen.h>

#include "exec/kernels/kernel.h"
#include "util/error.h"

namespace nacre::kernels {

namespace {

std::vector<int64_t> filled(size_t count, int64_t value) { return std::vector<int64_t>(count, value); }

// ONNX auto_pad SAME_*: output size ceil(input / stride); the odd pixel goes at the end (UPPER) or start.
SpatialPadding same_padding(const at::Tensor& input, const std::vector<int64_t>& kernel,
                            const std::vector<int64_t>& strides, const std::vector<int64_t>& dilations,
                            bool upper) {
  SpatialPadding padding;
  for (size_t i = 0; i < kernel.size(); ++i) {
    int64_t size = input.size(static_cast<int64_t>(i) + 2);
    int64_t output = (size + strides[i] - 1) / strides[i];
    int64_t extent = (kernel[i] - 1) * dilations[i] + 1;
    int64_t total = std::max<int64_t>(0, (output - 1) * strides[i] + extent - size);
    int64_t smaller = total / 2;
    padding.begin.push_back(upper ? smaller : total - smaller);
    padding.end.push_back(upper ? total - smaller : smaller);
  }
  return padding;
}

}  // namespace

SpatialPadding resolve_padding(const Node& node, const at::Tensor& input, const std::vector<int64_t>& kernel,
                               const std::vector<int64_t>& strides, const std::vector<int64_t>& dilations) {
  const size_t spatial = kernel.size();
  if (input.dim() != static_cast<int64_t>(spatial) + 2) {
    throw make_error("expected an input of rank ", spatial + 2, " for a kernel of ", spatial,
                     " spatial dimensions, got rank ", input.dim());
  }
  const std::string auto_pad = node.get_string("auto_pad", "NOTSET");
  if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    return same_padding(input, kernel, strides, dilations, auto_pad == "SAME_UPPER");
  }
  if (auto_pad == "VALID") return {filled(spatial, 0), filled(spatial, 0)};
  if (auto_pad != "NOTSET") throw make_error("unknown auto_pad '", auto_pad, "'");
  std::vector<int64_t> pads = node.get_ints("pads", filled(2 * spatial, 0));
  if (pads.size() != 2 * spatial) {
    throw make_error("pads has ", pads.size(), " values; expected ", 2 * spatial);
  }
  return {std::vector<int64_t>(pads.begin(), pads.begin() + spatial),
          std::vector<int64_t>(pads.begin() + spatial, pads.end())};
}

at::Tensor pad_spatial(const at::Tensor& input, const SpatialPadding& padding, double value) {
  std::vector<int64_t> torch_pads;  // last dimension first, as LibTorch wants
  for (size_t i = padding.begin.size(); i-- > 0;) {
    torch_pads.push_back(padding.begin[i]);
    torch_pads.push_back(padding.end[i]);
  }
  return at::constant_pad_nd(input, torch_pads, value);
}

Tensors run_conv(const KernelContext& context) {
  const Node& node = context.node;
  at::Tensor input = context.input(0);
  const at::Tensor& weight = context.input(1);
  at::Tensor bias = context.has_input(2) ? context.input(2) : at::Tensor();
  const size_t spatial = static_cast<size_t>(weight.dim()) - 2;
  std::vector<int64_t> strides = node.get_ints("strides", filled(spatial, 1));
  std::vector<int64_t> dilations = node.get_ints("dilations", filled(spatial, 1));
  std::vector<int64_t> kernel(weight.sizes().begin() + 2, weight.sizes().end());
  SpatialPadding padding = resolve_padding(node, input, kernel, strides, dilations);
  std::vector<int64_t> torch_padding = padding.begin;
  if (!padding.symmetric()) {
    input = pad_spatial(input, padding, 0.0);
    torch_padding = filled(spatial, 0);
  }
  return {at::convolution(input, weight, bias, strides, torch_padding, dilations, /*transposed=*/false,
                          filled(spatial, 0), node.get_int("group", 1))};
}

Tensors run_gemm(const KernelContext& context) {
  const Node& node = context.node;
  at::Tensor a = context.input(0);
  at::Tensor b = context.input(1);
  if (node.get_int("transA", 0)) a = a.t();
  if (node.get_int("transB", 0)) b = b.t();
  const double alpha = node.get_float("alpha", 1.0);
  const double beta = node.get_float("beta", 1.0);
  if (context.has_input(2)) return {at::addmm(context.input(2), a, b, beta, alpha)};
  at::Tensor product = at::mm(a, b);
  return {alpha == 1.0 ? product : product * alpha};
}

Tensors run_matmul(const KernelContext& context) { return {at::matmul(context.input(0), context.input(1))}; }

Tensors run_batch_normalization(const KernelContext& context) {
  const Node& node = context.node;
  const bool training = context.training || node.get_int("training_mode", 0) != 0;
  // ONNX momentum weighs the running statistic; LibTorch's weighs the batch statistic.
  const double torch_momentum = 1.0 - node.get_float("momentum", 0.9);
  return {at::batch_norm(context.input(0), context.input(1), context.input(2), context.input(3),
                         context.input(4), training, torch_momentum, node.get_float("epsilon", 1e-5),
                         /*cudnn_enabled=*/false)};
}

}  // namespace nacre::kernels
