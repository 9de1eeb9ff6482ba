// The one list of op kernels: every op in supported_op_types() appears here explicitly.
#include <ATen/ATen.h>

#include <map>

#include "exec/kernels/kernel.h"
#include "util/error.h"

namespace nacre::kernels {

Kernel find_kernel(const std::string& op_type) {
  static const std::map<std::string, Kernel> kernels = {
      {"Add", run_add},
      {"AveragePool", run_average_pool},
      {"BatchNormalization", run_batch_normalization},
      {"Cast", run_cast},
      {"Clip", run_clip},
      {"Concat", run_concat},
      {"Constant", run_constant},
      {"ConstantOfShape", run_constant_of_shape},
      {"Conv", run_conv},
      {"DequantizeLinear", run_dequantize_linear},
      {"Div", run_div},
      {"Dropout", run_dropout},
      {"Erf", run_erf},
      {"Flatten", run_flatten},
      {"Gather", run_gather},
      {"Gemm", run_gemm},
      {"GlobalAveragePool", run_global_average_pool},
      {"GlobalMaxPool", run_global_max_pool},
      {"HardSigmoid", run_hard_sigmoid},
      {"HardSwish", run_hard_swish},
      {"Identity", run_identity},
      {"LeakyRelu", run_leaky_relu},
      {"MatMul", run_matmul},
      {"MaxPool", run_max_pool},
      {"Mul", run_mul},
      {"Pad", run_pad},
      {"Pow", run_pow},
      {"QuantizeLinear", run_quantize_linear},
      {"ReduceMean", run_reduce_mean},
      {"Relu", run_relu},
      {"Reshape", run_reshape},
      {"Shape", run_shape},
      {"Sigmoid", run_sigmoid},
      {"Slice", run_slice},
      {"Softmax", run_softmax},
      {"Split", run_split},
      {"Sqrt", run_sqrt},
      {"Squeeze", run_squeeze},
      {"Sub", run_sub},
      {"Tanh", run_tanh},
      {"Transpose", run_transpose},
      {"Unsqueeze", run_unsqueeze},
  };
  auto it = kernels.find(op_type);
  return it == kernels.end() ? nullptr : it->second;
}

const at::Tensor& KernelContext::input(size_t index) const {
  if (!has_input(index)) {
    throw make_error("input ", index, " is required but was omitted");
  }
  return inputs[index];
}

std::vector<int64_t> KernelContext::input_ints(size_t index) const {
  at::Tensor values = input(index).to(at::kCPU, at::kLong).contiguous();
  const int64_t* begin = values.data_ptr<int64_t>();
  return std::vector<int64_t>(begin, begin + values.numel());
}

std::vector<int64_t> KernelContext::ints_from_input_or_attribute(size_t index,
                                                                 const std::string& attribute) const {
  if (has_input(index)) return input_ints(index);
  return node.get_ints(attribute);
}

int64_t normalize_axis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= std::max<int64_t>(rank, 1)) {
    throw make_error("axis ", axis, " is out of range for a tensor of rank ", rank);
  }
  return axis < 0 ? axis + rank : axis;
}

std::vector<int64_t> sizes_of(const at::Tensor& tensor) {
  return std::vector<int64_t>(tensor.sizes().begin(), tensor.sizes().end());
}

at::Tensor int64_tensor(const std::vector<int64_t>& values) {
  at::Tensor result = at::empty({static_cast<int64_t>(values.size())}, at::kLong);
  std::copy(values.begin(), values.end(), result.data_ptr<int64_t>());
  return result;
}

}  // namespace nacre::kernels
