// Conv, Gemm, MatMul and BatchNormalization, plus the explicit spatial padding Conv shares with the pools.
#include <ATen/ATen.h>

#include "exec/kernels/kernel.h"
#include "util/error.h"

namespace nacre::kernels {

namespace {

std::vector<int64_t> filled(size_t count, int64_t value) { return std::vector<int64_t>(count, value); }

}  // namespace

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
  SpatialPadding padding = resolve_spatial_padding(node, sizes_of(input), kernel, strides, dilations);
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
