#include "ir/op_registry.h"

#include <algorithm>

namespace nacre {

const std::vector<std::string>& supported_op_types() {
  static const std::vector<std::string> ops = [] {
    std::vector<std::string> list = {"Add",
                                     "AveragePool",
                                     "BatchNormalization",
                                     "Cast",
                                     "Clip",
                                     "Concat",
                                     "Constant",
                                     "ConstantOfShape",
                                     "Conv",
                                     "DequantizeLinear",
                                     "Div",
                                     "Dropout",
                                     "Erf",
                                     "Flatten",
                                     "Gather",
                                     "Gemm",
                                     "GlobalAveragePool",
                                     "GlobalMaxPool",
                                     "HardSigmoid",
                                     "HardSwish",
                                     "Identity",
                                     "LeakyRelu",
                                     "MatMul",
                                     "MaxPool",
                                     "Mul",
                                     "Pad",
                                     "Pow",
                                     "QuantizeLinear",
                                     "ReduceMean",
                                     "Relu",
                                     "Reshape",
                                     "Shape",
                                     "Sigmoid",
                                     "Slice",
                                     "Softmax",
                                     "Split",
                                     "Sqrt",
                                     "Squeeze",
                                     "Sub",
                                     "Tanh",
                                     "Transpose",
                                     "Unsqueeze"};
    std::sort(list.begin(), list.end());
    return list;
  }();
  return ops;
}

bool is_supported_op(const std::string& op_type) {
  const auto& ops = supported_op_types();
  return std::binary_search(ops.begin(), ops.end(), op_type);
}

}  // namespace nacre
