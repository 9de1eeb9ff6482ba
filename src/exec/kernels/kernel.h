// What every op kernel sees and returns, the kernels by op family, and the table mapping op types to them.
#pragma once

#include <ATen/core/Tensor.h>

#include <string>
#include <vector>

#include "exec/spatial_geometry.h"
#include "ir/graph.h"

namespace nacre::kernels {

using Tensors = std::vector<at::Tensor>;

struct KernelContext {
  const Node& node;
  const Tensors& inputs;  // undefined tensors stand for omitted optional inputs
  bool training;          // the module's train() mode (BatchNormalization uses batch statistics)
  int64_t opset;

  bool has_input(size_t index) const { return index < inputs.size() && inputs[index].defined(); }
  const at::Tensor& input(size_t index) const;  // throws when the input is omitted
  // A small int64 operand (shapes, axes, pads) read on the host.
  std::vector<int64_t> input_ints(size_t index) const;
  // The ints given as input `index` (opset 13 form) or else as attribute `attribute` (older opsets).
  std::vector<int64_t> ints_from_input_or_attribute(size_t index, const std::string& attribute) const;
};

using Kernel = Tensors (*)(const KernelContext&);

Kernel find_kernel(const std::string& op_type);  // nullptr for an op without a kernel

// Helpers shared by kernel files.
int64_t normalize_axis(int64_t axis, int64_t rank);  // ONNX negative axes count from the end
std::vector<int64_t> sizes_of(const at::Tensor& tensor);
at::Tensor int64_tensor(const std::vector<int64_t>& values);  // 1-D

// Spatial padding (exec/spatial_geometry.h) applied explicitly, for what LibTorch's own padding cannot
// express.
at::Tensor pad_spatial(const at::Tensor& input, const SpatialPadding& padding, double value);

// Convolution, dense and normalisation (conv_kernels.cpp).
Tensors run_conv(const KernelContext& context);
Tensors run_gemm(const KernelContext& context);
Tensors run_matmul(const KernelContext& context);
Tensors run_batch_normalization(const KernelContext& context);

// Pooling (pool_kernels.cpp).
Tensors run_max_pool(const KernelContext& context);
Tensors run_average_pool(const KernelContext& context);
Tensors run_global_average_pool(const KernelContext& context);
Tensors run_global_max_pool(const KernelContext& context);

// Element-wise maths, activations and reductions (elementwise_kernels.cpp).
Tensors run_relu(const KernelContext& context);
Tensors run_leaky_relu(const KernelContext& context);
Tensors run_clip(const KernelContext& context);
Tensors run_sigmoid(const KernelContext& context);
Tensors run_hard_sigmoid(const KernelContext& context);
Tensors run_hard_swish(const KernelContext& context);
Tensors run_tanh(const KernelContext& context);
Tensors run_erf(const KernelContext& context);
Tensors run_sqrt(const KernelContext& context);
Tensors run_add(const KernelContext& context);
Tensors run_sub(const KernelContext& context);
Tensors run_mul(const KernelContext& context);
Tensors run_div(const KernelContext& context);
Tensors run_pow(const KernelContext& context);
Tensors run_softmax(const KernelContext& context);
Tensors run_reduce_mean(const KernelContext& context);
Tensors run_cast(const KernelContext& context);

// Quantization (quantize_kernels.cpp).
Tensors run_quantize_linear(const KernelContext& context);
Tensors run_dequantize_linear(const KernelContext& context);

// Shape and data movement (shape_kernels.cpp).
Tensors run_concat(const KernelContext& context);
Tensors run_split(const KernelContext& context);
Tensors run_slice(const KernelContext& context);
Tensors run_flatten(const KernelContext& context);
Tensors run_reshape(const KernelContext& context);
Tensors run_transpose(const KernelContext& context);
Tensors run_identity(const KernelContext& context);
Tensors run_dropout(const KernelContext& context);
Tensors run_shape(const KernelContext& context);
Tensors run_gather(const KernelContext& context);
Tensors run_unsqueeze(const KernelContext& context);
Tensors run_squeeze(const KernelContext& context);
Tensors run_pad(const KernelContext& context);
Tensors run_constant_of_shape(const KernelContext& context);
Tensors run_constant(const KernelContext& context);

}  // namespace nacre::kernels
