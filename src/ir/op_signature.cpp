#include "ir/op_signature.h"

#include <map>

namespace nacre {

namespace {

OpSignature unary() { return {1, 1, 1, 1, {}}; }
OpSignature binary() { return {2, 2, 1, 1, {}}; }

}  // namespace

// ONNX opset 13 in nacre's canonical form (Squeeze/Unsqueeze/Split/Clip/Pad operands are inputs).
const OpSignature* find_op_signature(const std::string& op_type) {
  static const std::map<std::string, OpSignature> signatures = {
      {"Add", binary()},
      {"AveragePool", {1, 1, 1, 1, {"kernel_shape"}}},
      {"BatchNormalization", {5, 5, 1, 3, {}}},
      {"Cast", {1, 1, 1, 1, {"to"}}},
      {"DequantizeLinear", {2, 3, 1, 1, {}}},
      {"QuantizeLinear", {2, 3, 1, 1, {}}},
      {"Clip", {1, 3, 1, 1, {}}},
      {"Concat", {1, kAnyCount, 1, 1, {"axis"}}},
      {"Constant", {0, 0, 1, 1, {}}},  // one of value / value_float(s) / value_int(s): checked apart
      {"ConstantOfShape", unary()},
      {"Conv", {2, 3, 1, 1, {}}},
      {"Div", binary()},
      {"Dropout", {1, 3, 1, 2, {}}},
      {"Erf", unary()},
      {"Flatten", unary()},
      {"Gather", binary()},
      {"Gemm", {2, 3, 1, 1, {}}},
      {"GlobalAveragePool", unary()},
      {"GlobalMaxPool", unary()},
      {"HardSigmoid", unary()},
      {"HardSwish", unary()},
      {"Identity", unary()},
      {"LeakyRelu", unary()},
      {"MatMul", binary()},
      {"MaxPool", {1, 1, 1, 2, {"kernel_shape"}}},
      {"Mul", binary()},
      {"Pad", {2, 3, 1, 1, {}}},
      {"Pow", binary()},
      {"ReduceMean", unary()},
      {"Relu", unary()},
      {"Reshape", binary()},
      {"Shape", unary()},
      {"Sigmoid", unary()},
      {"Slice", {3, 5, 1, 1, {}}},
      {"Softmax", unary()},
      {"Split", {1, 2, 1, kAnyCount, {}}},
      {"Sqrt", unary()},
      {"Squeeze", {1, 2, 1, 1, {}}},
      {"Sub", binary()},
      {"Tanh", unary()},
      {"Transpose", unary()},
      {"Unsqueeze", binary()},
  };
  auto it = signatures.find(op_type);
  return it == signatures.end() ? nullptr : &it->second;
}

}  // namespace nacre
