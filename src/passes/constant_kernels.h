// A small CPU evaluator for the cheap ops that compute shapes and constants, used by constant folding.
// Torch-free and unoptimised: meant for shape tensors and small weights, never for Conv-sized work.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "ir/shape_rules.h"

namespace nacre {

bool has_constant_kernel(const std::string& op_type);

// The node's outputs computed from constant inputs (nullptr for an omitted optional input); the output
// types come from shape inference and must be static. Throws Error naming the node when it cannot compute.
std::vector<Tensor> evaluate_constant_node(const Node& node, const std::vector<const Tensor*>& inputs,
                                           const std::vector<ValueType>& outputs);

namespace constant_kernels {

using Kernel = std::vector<Tensor> (*)(const Node& node, const std::vector<const Tensor*>& inputs,
                                       const std::vector<ValueType>& outputs);

// One function per op family; each returns the node's outputs.
std::vector<Tensor> binary_arithmetic(const Node& node, const std::vector<const Tensor*>& inputs,
                                      const std::vector<ValueType>& outputs);
std::vector<Tensor> cast(const Node& node, const std::vector<const Tensor*>& inputs,
                         const std::vector<ValueType>& outputs);
std::vector<Tensor> gather(const Node& node, const std::vector<const Tensor*>& inputs,
                           const std::vector<ValueType>& outputs);
std::vector<Tensor> concat(const Node& node, const std::vector<const Tensor*>& inputs,
                           const std::vector<ValueType>& outputs);
std::vector<Tensor> slice(const Node& node, const std::vector<const Tensor*>& inputs,
                          const std::vector<ValueType>& outputs);
std::vector<Tensor> transpose(const Node& node, const std::vector<const Tensor*>& inputs,
                              const std::vector<ValueType>& outputs);

// The input at `index`; throws Error naming the node when it is omitted.
const Tensor& required_input(const Node& node, const std::vector<const Tensor*>& inputs, size_t index);
// Row-major strides (in elements) of a shape.
std::vector<int64_t> strides_of(const Shape& shape);
// Calls visit(index) for every multi-index of the shape in row-major order.
template <typename Visit>
void for_each_index(const Shape& shape, Visit visit) {
  if (element_count(shape) == 0) return;
  std::vector<int64_t> index(shape.size(), 0);
  while (true) {
    visit(index);
    size_t axis = shape.size();
    while (axis > 0 && ++index[axis - 1] == shape[axis - 1]) index[--axis] = 0;
    if (axis == 0) return;
  }
}

}  // namespace constant_kernels
}  // namespace nacre
