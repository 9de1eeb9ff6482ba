// QuantizeLinear and DequantizeLinear (ONNX opset 13): per-tensor or per-axis, computed in float the way the
// ONNX reference does, so a quantized model's accuracy can be measured with nacre's executor.
#include <ATen/ATen.h>

#include "exec/kernels/kernel.h"
#include "util/error.h"

namespace nacre::kernels {

namespace {

// The scale or zero point shaped to broadcast against x: a scalar as it is, a 1-D tensor along `axis`.
at::Tensor along_axis(const at::Tensor& parameter, const KernelContext& context, int64_t rank) {
  if (parameter.dim() == 0) return parameter;
  int64_t axis = normalize_axis(context.node.get_int("axis", 1), rank);
  std::vector<int64_t> shape(rank, 1);
  shape[axis] = parameter.numel();
  return parameter.reshape(shape);
}

}  // namespace

Tensors run_quantize_linear(const KernelContext& context) {
  const at::Tensor& x = context.input(0);
  at::Tensor scale = along_axis(context.input(1).to(at::kFloat), context, x.dim());
  at::ScalarType quantized = context.has_input(2) ? context.input(2).scalar_type() : at::kByte;
  at::Tensor zero_point = context.has_input(2) ? along_axis(context.input(2), context, x.dim()).to(at::kFloat)
                                               : at::zeros({}, at::kFloat);
  double low = quantized == at::kChar ? -128 : 0;
  double high = quantized == at::kChar ? 127 : 255;
  if (quantized != at::kChar && quantized != at::kByte)
    throw make_error("QuantizeLinear to ", c10::toString(quantized), " is not supported (uint8 or int8)");
  // at::round rounds half to even, as ONNX requires.
  return {at::clamp(at::round(x.to(at::kFloat) / scale) + zero_point, low, high).to(quantized)};
}

Tensors run_dequantize_linear(const KernelContext& context) {
  const at::Tensor& x = context.input(0);
  at::Tensor scale = along_axis(context.input(1).to(at::kFloat), context, x.dim());
  at::Tensor values = x.to(at::kFloat);
  if (context.has_input(2)) values = values - along_axis(context.input(2), context, x.dim()).to(at::kFloat);
  return {values * scale};
}

}  // namespace nacre::kernels
