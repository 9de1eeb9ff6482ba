// One writer per ONNX op for torchscript_source.cpp: each turns a node into TorchScript expressions, one per
// output, or into constants computed while writing (Shape of a static shape, Constant).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace nacre::torchscript {

// What a writer sees of its node; implemented by the program writer.
class NodeContext {
 public:
  virtual ~NodeContext() = default;
  virtual const Node& node() const = 0;
  virtual const Graph& graph() const = 0;
  virtual int64_t opset() const = 0;
  bool has_input(size_t index) const { return node().input_or_none(index) != kNoValue; }
  // The input as a TorchScript expression: a variable, or self.NAME for a constant.
  virtual std::string operand(size_t index) const = 0;
  virtual DataType input_dtype(size_t index) const = 0;
  // Static shapes; throw (via fail) when unknown.
  virtual const Shape& input_shape(size_t index) const = 0;
  virtual const Shape& output_shape(size_t index) const = 0;
  // The input's value when it is known while writing (an initializer or a folded constant).
  virtual std::optional<Tensor> constant_input(size_t index) const = 0;
  // A new tensor attribute holding `tensor`; returns the expression reading it.
  virtual std::string add_constant(const Tensor& tensor) const = 0;
  [[noreturn]] virtual void fail(const std::string& why) const = 0;

  // The ints of constant input `index` (opset 13 form), else attribute `attribute` (older opsets).
  std::vector<int64_t> ints_from_input_or_attribute(size_t index, const std::string& attribute) const;
  std::vector<int64_t> constant_ints(size_t index) const;  // fails unless the input is a constant
};

struct NodeCode {
  std::vector<std::string> expressions;  // one per node output, or
  std::vector<Tensor> constants;         // one per node output, known while writing
};

using OpWriter = NodeCode (*)(const NodeContext& context);

OpWriter find_op_writer(const std::string& op_type);  // nullptr when the op has none
const std::vector<std::string>& op_types_with_writers();

// TorchScript text.
std::string int_list(const std::vector<int64_t>& values);
std::string float_literal(double value);
std::string call(const std::string& function, const std::vector<std::string>& arguments);
NodeCode single(std::string expression);
// ONNX pads (begin..., end...) of the dimensions from `first_dim` as constant_pad_nd wants them: last first.
std::string constant_pad(const std::string& input, const std::vector<int64_t>& begin,
                         const std::vector<int64_t>& end, const std::string& value);

// Convolution, dense, normalisation and pooling (torchscript_conv_writers.cpp).
NodeCode write_conv(const NodeContext& context);
NodeCode write_gemm(const NodeContext& context);
NodeCode write_matmul(const NodeContext& context);
NodeCode write_batch_normalization(const NodeContext& context);
NodeCode write_max_pool(const NodeContext& context);
NodeCode write_average_pool(const NodeContext& context);
NodeCode write_global_average_pool(const NodeContext& context);
NodeCode write_global_max_pool(const NodeContext& context);

// Shapes and data movement (torchscript_layout_writers.cpp).
NodeCode write_concat(const NodeContext& context);
NodeCode write_split(const NodeContext& context);
NodeCode write_slice(const NodeContext& context);
NodeCode write_reshape_to_output_shape(const NodeContext& context);  // Flatten, Reshape, (Un)Squeeze
NodeCode write_transpose(const NodeContext& context);
NodeCode write_identity(const NodeContext& context);  // Identity, Dropout
NodeCode write_gather(const NodeContext& context);
NodeCode write_pad(const NodeContext& context);
NodeCode write_shape(const NodeContext& context);
NodeCode write_constant_of_shape(const NodeContext& context);
NodeCode write_constant(const NodeContext& context);

}  // namespace nacre::torchscript
