// Gather, Concat, Slice and Transpose of constants: byte copies, so every dtype works.
#include <cstring>

#include "passes/constant_kernels.h"
#include "util/error.h"

namespace nacre::constant_kernels {

namespace {

using Inputs = std::vector<const Tensor*>;
using Outputs = std::vector<ValueType>;

int64_t product(const Shape& shape, size_t begin, size_t end) {
  int64_t result = 1;
  for (size_t i = begin; i < end; ++i) result *= shape[i];
  return result;
}

int64_t axis_attribute(const Node& node, int64_t rank, int64_t fallback) {
  int64_t axis = node.get_int("axis", fallback);
  return shape_rules::normalize_axis(node, axis, rank);
}

// Copies one element per output index from the input offset that `source_offset` maps it to.
template <typename SourceOffset>
Tensor gather_elements(const Tensor& input, const Shape& shape, SourceOffset source_offset) {
  Tensor out(input.dtype(), shape);
  size_t width = element_size(input.dtype());
  const std::byte* source = input.raw();
  std::byte* target = out.mutable_raw();
  int64_t position = 0;
  for_each_index(shape, [&](const std::vector<int64_t>& index) {
    std::memcpy(target + width * position++, source + width * source_offset(index), width);
  });
  return out;
}

}  // namespace

std::vector<Tensor> gather(const Node& node, const Inputs& inputs, const Outputs& outputs) {
  const Tensor& data = required_input(node, inputs, 0);
  std::vector<int64_t> indices = required_input(node, inputs, 1).as_int64s();
  size_t axis = static_cast<size_t>(axis_attribute(node, data.rank(), 0));
  int64_t outer = product(data.shape(), 0, axis), dim = data.shape()[axis];
  size_t block =
      static_cast<size_t>(product(data.shape(), axis + 1, data.shape().size())) * element_size(data.dtype());
  Tensor out(data.dtype(), *outputs[0].shape);
  std::byte* target = out.mutable_raw();
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t index : indices) {
      int64_t row = index < 0 ? index + dim : index;
      if (row < 0 || row >= dim) {
        throw make_error("constant folding: node '", node.name, "' (Gather): index ", index,
                         " is out of range for size ", dim);
      }
      std::memcpy(target, data.raw() + (o * dim + row) * block, block);
      target += block;
    }
  }
  return {out};
}

std::vector<Tensor> concat(const Node& node, const Inputs& inputs, const Outputs& outputs) {
  const Shape& shape = *outputs[0].shape;
  size_t axis = static_cast<size_t>(axis_attribute(node, static_cast<int64_t>(shape.size()), 0));
  int64_t outer = product(shape, 0, axis), inner = product(shape, axis + 1, shape.size());
  Tensor out(outputs[0].dtype, shape);
  std::byte* target = out.mutable_raw();
  size_t width = element_size(outputs[0].dtype);
  for (int64_t o = 0; o < outer; ++o) {
    for (size_t i = 0; i < inputs.size(); ++i) {
      const Tensor& part = required_input(node, inputs, i);
      size_t block = static_cast<size_t>(part.shape()[axis] * inner) * width;
      std::memcpy(target, part.raw() + o * block, block);
      target += block;
    }
  }
  return {out};
}

std::vector<Tensor> slice(const Node& node, const Inputs& inputs, const Outputs& outputs) {
  const Tensor& data = required_input(node, inputs, 0);
  std::vector<int64_t> starts = required_input(node, inputs, 1).as_int64s();
  std::vector<int64_t> ends = required_input(node, inputs, 2).as_int64s();
  std::vector<int64_t> axes, steps(starts.size(), 1);
  for (size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<int64_t>(i));
  if (inputs.size() > 3 && inputs[3]) axes = inputs[3]->as_int64s();
  if (inputs.size() > 4 && inputs[4]) steps = inputs[4]->as_int64s();
  // Per input axis: the first element taken and the step; untouched axes take everything.
  std::vector<int64_t> first(data.shape().size(), 0), step(data.shape().size(), 1);
  for (size_t i = 0; i < axes.size(); ++i) {
    int64_t axis = shape_rules::normalize_axis(node, axes[i], data.rank());
    shape_rules::SliceRange range =
        shape_rules::slice_range(node, data.shape()[axis], starts[i], ends[i], steps[i]);
    first[axis] = range.start;
    step[axis] = range.step;
  }
  std::vector<int64_t> strides = strides_of(data.shape());
  return {gather_elements(data, *outputs[0].shape, [&](const std::vector<int64_t>& index) {
    int64_t offset = 0;
    for (size_t axis = 0; axis < index.size(); ++axis)
      offset += (first[axis] + index[axis] * step[axis]) * strides[axis];
    return offset;
  })};
}

std::vector<Tensor> transpose(const Node& node, const Inputs& inputs, const Outputs& outputs) {
  const Tensor& data = required_input(node, inputs, 0);
  std::vector<int64_t> perm = node.get_ints("perm");
  if (!node.has("perm")) {
    for (int64_t i = data.rank() - 1; i >= 0; --i) perm.push_back(i);
  }
  std::vector<int64_t> strides = strides_of(data.shape());
  return {gather_elements(data, *outputs[0].shape, [&](const std::vector<int64_t>& index) {
    int64_t offset = 0;
    for (size_t axis = 0; axis < index.size(); ++axis) offset += index[axis] * strides[perm[axis]];
    return offset;
  })};
}

}  // namespace nacre::constant_kernels
