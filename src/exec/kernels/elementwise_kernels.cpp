// Element-wise arithmetic (numpy broadcasting), activations, Softmax, ReduceMean and Cast.
#include <ATen/ATen.h>

#include <cmath>

#include "exec/kernels/kernel.h"
#include "util/error.h"

namespace nacre::kernels {

namespace {

// ONNX TensorProto.DataType codes.
at::ScalarType onnx_type_to_scalar_type(int64_t code) {
  switch (code) {
    case 1:
      return at::kFloat;
    case 2:
      return at::kByte;
    case 3:
      return at::kChar;
    case 5:
      return at::kShort;
    case 6:
      return at::kInt;
    case 7:
      return at::kLong;
    case 9:
      return at::kBool;
    case 10:
      return at::kHalf;
    case 11:
      return at::kDouble;
  }
  throw make_error("Cast to ONNX data type ", code, " is not supported");
}

c10::optional<at::Scalar> clip_bound(const KernelContext& context, size_t index,
                                     const std::string& attribute) {
  if (context.has_input(index) && context.input(index).numel() > 0) return context.input(index).item();
  if (context.node.has(attribute)) return at::Scalar(context.node.get_float(attribute, 0.0));
  return c10::nullopt;
}

}  // namespace

Tensors run_relu(const KernelContext& context) { return {at::relu(context.input(0))}; }

Tensors run_leaky_relu(const KernelContext& context) {
  return {at::leaky_relu(context.input(0), context.node.get_float("alpha", 0.01))};
}

Tensors run_clip(const KernelContext& context) {
  c10::optional<at::Scalar> low = clip_bound(context, 1, "min");
  c10::optional<at::Scalar> high = clip_bound(context, 2, "max");
  if (!low && !high) return {context.input(0)};
  return {at::clamp(context.input(0), low, high)};
}

Tensors run_sigmoid(const KernelContext& context) { return {at::sigmoid(context.input(0))}; }

Tensors run_hard_sigmoid(const KernelContext& context) {
  const double alpha = context.node.get_float("alpha", 0.2);
  const double beta = context.node.get_float("beta", 0.5);
  // LibTorch's fused kernel is max(0, min(1, x / 6 + 1 / 2)).
  if (std::abs(alpha - 1.0 / 6.0) < 1e-7 && beta == 0.5) return {at::hardsigmoid(context.input(0))};
  return {at::clamp(context.input(0) * alpha + beta, 0.0, 1.0)};
}

Tensors run_hard_swish(const KernelContext& context) { return {at::hardswish(context.input(0))}; }
Tensors run_tanh(const KernelContext& context) { return {at::tanh(context.input(0))}; }
Tensors run_erf(const KernelContext& context) { return {at::erf(context.input(0))}; }
Tensors run_sqrt(const KernelContext& context) { return {at::sqrt(context.input(0))}; }
Tensors run_add(const KernelContext& context) { return {at::add(context.input(0), context.input(1))}; }
Tensors run_sub(const KernelContext& context) { return {at::sub(context.input(0), context.input(1))}; }
Tensors run_mul(const KernelContext& context) { return {at::mul(context.input(0), context.input(1))}; }

Tensors run_div(const KernelContext& context) {
  const at::Tensor& numerator = context.input(0);
  // ONNX integer division truncates toward zero.
  if (!at::isFloatingType(numerator.scalar_type())) {
    return {at::div(numerator, context.input(1), "trunc")};
  }
  return {at::div(numerator, context.input(1))};
}

Tensors run_pow(const KernelContext& context) {
  const at::Tensor& base = context.input(0);
  at::Tensor result = at::pow(base, context.input(1));
  // ONNX Pow keeps the base's type whatever the exponent's.
  return {result.scalar_type() == base.scalar_type() ? result : result.to(base.scalar_type())};
}

Tensors run_softmax(const KernelContext& context) {
  const at::Tensor& input = context.input(0);
  if (context.opset >= 13) {
    return {at::softmax(input, normalize_axis(context.node.get_int("axis", -1), input.dim()))};
  }
  // Before opset 13, Softmax works on the input flattened to 2-D at `axis`.
  const int64_t axis = normalize_axis(context.node.get_int("axis", 1), input.dim());
  int64_t outer = 1;
  for (int64_t dim = 0; dim < axis; ++dim) outer *= input.size(dim);
  at::Tensor flat = input.reshape({outer, outer == 0 ? 0 : input.numel() / outer});
  return {at::softmax(flat, 1).reshape(input.sizes())};
}

Tensors run_reduce_mean(const KernelContext& context) {
  const at::Tensor& input = context.input(0);
  std::vector<int64_t> axes = context.ints_from_input_or_attribute(1, "axes");
  const bool keepdims = context.node.get_int("keepdims", 1) != 0;
  if (axes.empty()) {
    for (int64_t dim = 0; dim < input.dim(); ++dim) axes.push_back(dim);
  }
  for (int64_t& axis : axes) axis = normalize_axis(axis, input.dim());
  if (axes.empty()) return {input};
  return {input.mean(axes, keepdims)};
}

Tensors run_cast(const KernelContext& context) {
  return {context.input(0).to(onnx_type_to_scalar_type(context.node.get_int("to", 1)))};
}

}  // namespace nacre::kernels
