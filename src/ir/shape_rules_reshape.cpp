// Shape rules of ops that rearrange dimensions (Reshape, Flatten, Transpose, Squeeze, Unsqueeze) and of the
// ops that make shape tensors (Shape, Constant, ConstantOfShape).
#include <algorithm>
#include <set>

#include "ir/shape_rules.h"

namespace nacre::shape_rules {

namespace {

// For a shape operand that is computed at run time: rank known from the operand's length, sizes unknown.
std::optional<Shape> unknown_dims_of_length(const Graph& graph, const Node& node, size_t index) {
  ValueType operand = input_type(graph, node, index);
  if (!operand.shape || operand.shape->size() != 1 || (*operand.shape)[0] < 0) return std::nullopt;
  return Shape(static_cast<size_t>((*operand.shape)[0]), -1);
}

int64_t product(const Shape& shape, size_t begin, size_t end) {
  int64_t result = 1;
  for (size_t i = begin; i < end; ++i) {
    if (shape[i] < 0) return -1;
    result *= shape[i];
  }
  return result;
}

// The size that -1 stands for; unknown input dimensions cancel out when Reshape copies them with 0.
int64_t inferred_reshape_dim(const Node& node, const Shape& input, const Shape& out, size_t inferred_at,
                             const std::vector<bool>& copied) {
  int64_t input_elements = 1, other_elements = 1;
  for (size_t i = 0; i < input.size(); ++i) {
    if (i < copied.size() && copied[i]) continue;
    if (input[i] < 0) return -1;
    input_elements *= input[i];
  }
  for (size_t i = 0; i < out.size(); ++i) {
    if (i == inferred_at || copied[i]) continue;
    if (out[i] < 0) return -1;
    other_elements *= out[i];
  }
  if (other_elements == 0 || input_elements % other_elements != 0) {
    fail(node, "cannot reshape ", to_string(input), " to ", to_string(out), ": the -1 has no integer size");
  }
  return input_elements / other_elements;
}

// "[2,-1]" with unknown elements as "?": the target as written, where to_string(Shape) would hide the -1.
std::string values_text(const std::vector<int64_t>& values) {
  std::string text = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    text += (i ? "," : "") + (values[i] == kUnknownValue ? std::string("?") : std::to_string(values[i]));
  }
  return text + "]";
}

}  // namespace

Shape reshape_target_shape(const Node& node, const std::optional<Shape>& input,
                           const std::vector<int64_t>& target) {
  bool allow_zero = node.get_int("allowzero", 0) != 0;
  Shape out = target;
  std::vector<bool> copied(out.size(), false);
  size_t inferred_at = out.size();
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == kUnknownValue) {
      out[i] = -1;
    } else if (out[i] == -1) {
      if (inferred_at != out.size()) fail(node, "shape ", values_text(target), " has more than one -1");
      inferred_at = i;
    } else if (out[i] == 0 && !allow_zero) {
      if (input && i >= input->size()) {
        fail(node, "shape has 0 at position ", i, " but the input ", to_string(*input),
             " has no such dimension");
      }
      out[i] = input ? (*input)[i] : -1;
      copied[i] = true;
    } else if (out[i] < 0) {
      fail(node, "shape ", values_text(target), " has a negative size");
    }
  }
  if (inferred_at != out.size()) {
    out[inferred_at] = input ? inferred_reshape_dim(node, *input, out, inferred_at, copied) : -1;
  } else if (input && is_static(*input) && is_static(out) && element_count(*input) != element_count(out)) {
    fail(node, "cannot reshape ", to_string(*input), " (", element_count(*input), " elements) to ",
         to_string(out), " (", element_count(out), " elements)");
  }
  return out;
}

std::vector<ValueType> reshape(const Graph& graph, const Node& node) {
  ValueType x = input_type(graph, node, 0);
  std::optional<std::vector<int64_t>> target = constant_ints(graph, node, 1);
  if (!target) return {{x.dtype, unknown_dims_of_length(graph, node, 1)}};
  return {{x.dtype, reshape_target_shape(node, x.shape, *target)}};
}

std::vector<ValueType> flatten(const Graph& graph, const Node& node) {
  ValueType x = input_type(graph, node, 0);
  if (!x.shape) return {{x.dtype, Shape{-1, -1}}};
  int64_t rank = static_cast<int64_t>(x.shape->size());
  int64_t axis = node.get_int("axis", 1);
  if (axis < -rank || axis > rank) fail(node, "axis ", axis, " is out of range for rank ", rank);
  size_t split_at = static_cast<size_t>(axis < 0 ? axis + rank : axis);
  return {{x.dtype, Shape{product(*x.shape, 0, split_at), product(*x.shape, split_at, x.shape->size())}}};
}

std::vector<ValueType> transpose(const Graph& graph, const Node& node) {
  ValueType x = input_type(graph, node, 0);
  if (!x.shape) return {x};
  size_t rank = x.shape->size();
  std::vector<int64_t> perm = node.get_ints("perm");
  if (!node.has("perm")) {
    for (size_t i = 0; i < rank; ++i) perm.push_back(static_cast<int64_t>(rank - 1 - i));
  }
  std::vector<int64_t> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  bool is_permutation = perm.size() == rank;
  for (size_t i = 0; i < sorted.size(); ++i) is_permutation &= sorted[i] == static_cast<int64_t>(i);
  if (!is_permutation)
    fail(node, "perm ", to_string(perm), " is not a permutation of the input's ", rank, " axes");
  Shape out;
  for (int64_t axis : perm) out.push_back((*x.shape)[axis]);
  return {{x.dtype, out}};
}

std::vector<ValueType> squeeze(const Graph& graph, const Node& node) {
  ValueType x = input_type(graph, node, 0);
  bool has_axes = node.input_or_none(1) != kNoValue;
  std::optional<std::vector<int64_t>> axes =
      has_axes ? constant_ints(graph, node, 1) : std::vector<int64_t>{};
  if (!x.shape || !axes) return {{x.dtype, std::nullopt}};
  int64_t rank = static_cast<int64_t>(x.shape->size());
  std::set<int64_t> removed;
  for (int64_t axis : *axes) removed.insert(normalize_axis(node, axis, rank));
  Shape out;
  for (int64_t i = 0; i < rank; ++i) {
    int64_t dim = (*x.shape)[i];
    if (!has_axes && dim < 0) return {{x.dtype, std::nullopt}};  // cannot tell whether it will be squeezed
    bool squeezed = has_axes ? removed.count(i) > 0 : dim == 1;
    if (squeezed && dim > 1)
      fail(node, "cannot squeeze axis ", i, " of size ", dim, " (input ", to_string(*x.shape), ")");
    if (!squeezed) out.push_back(dim);
  }
  return {{x.dtype, out}};
}

std::vector<ValueType> unsqueeze(const Graph& graph, const Node& node) {
  ValueType x = input_type(graph, node, 0);
  std::optional<std::vector<int64_t>> axes = constant_ints(graph, node, 1);
  if (!x.shape) return {x};
  if (!axes) {
    std::optional<Shape> inserted = unknown_dims_of_length(graph, node, 1);
    if (!inserted) return {{x.dtype, std::nullopt}};
    return {{x.dtype, Shape(x.shape->size() + inserted->size(), -1)}};
  }
  int64_t out_rank = static_cast<int64_t>(x.shape->size() + axes->size());
  std::set<int64_t> inserted;
  for (int64_t axis : *axes) {
    if (!inserted.insert(normalize_axis(node, axis, out_rank)).second)
      fail(node, "axis ", axis, " appears twice");
  }
  Shape out;
  size_t next_input_dim = 0;
  for (int64_t i = 0; i < out_rank; ++i) {
    out.push_back(inserted.count(i) ? 1 : (*x.shape)[next_input_dim++]);
  }
  return {{x.dtype, out}};
}

std::vector<ValueType> shape(const Graph& graph, const Node& node) {
  ValueType x = input_type(graph, node, 0);
  if (!x.shape) return {{DataType::kInt64, Shape{-1}}};
  int64_t rank = static_cast<int64_t>(x.shape->size());
  auto clamp_index = [rank](int64_t index) {
    return std::clamp(index < 0 ? index + rank : index, int64_t{0}, rank);
  };
  int64_t start = clamp_index(node.get_int("start", 0)), end = clamp_index(node.get_int("end", rank));
  return {{DataType::kInt64, Shape{std::max<int64_t>(end - start, 0)}}};
}

std::vector<ValueType> constant(const Graph& graph, const Node& node) {
  if (node.has("value")) {
    const Tensor& value = node.get_tensor("value");
    return {{value.dtype(), value.shape()}};
  }
  if (node.has("value_float")) return {{DataType::kFloat32, Shape{}}};
  if (node.has("value_int")) return {{DataType::kInt64, Shape{}}};
  if (node.has("value_floats")) {
    return {{DataType::kFloat32, Shape{static_cast<int64_t>(node.get_floats("value_floats").size())}}};
  }
  if (node.has("value_ints")) {
    return {{DataType::kInt64, Shape{static_cast<int64_t>(node.get_ints("value_ints").size())}}};
  }
  fail(node, "has no 'value' attribute (nor value_float(s)/value_int(s))");
}

std::vector<ValueType> constant_of_shape(const Graph& graph, const Node& node) {
  DataType dtype = node.has("value") ? node.get_tensor("value").dtype() : DataType::kFloat32;
  std::optional<std::vector<int64_t>> dims = constant_ints(graph, node, 0);
  if (!dims) return {{dtype, unknown_dims_of_length(graph, node, 0)}};
  for (int64_t dim : *dims) {
    if (dim < 0) fail(node, "shape ", to_string(*dims), " has a negative size");
  }
  return {{dtype, *dims}};
}

}  // namespace nacre::shape_rules
