// Shape rules of ops that select or join parts of tensors: Concat, Split, Slice, Gather, Pad.
#include <algorithm>
#include <set>

#include "ir/shape_rules.h"

namespace nacre::shape_rules {

namespace {

std::vector<int64_t> default_slice_axes(size_t count) {
  std::vector<int64_t> axes(count);
  for (size_t i = 0; i < count; ++i) axes[i] = static_cast<int64_t>(i);
  return axes;
}

// Slice's optional operands: axes (default 0..n-1) and steps (default 1); nullopt when computed at run time.
std::optional<std::vector<int64_t>> optional_ints(const Graph& graph, const Node& node, size_t index,
                                                  std::vector<int64_t> fallback) {
  if (node.input_or_none(index) == kNoValue) return fallback;
  return constant_ints(graph, node, index);
}

}  // namespace

SliceRange slice_range(const Node& node, int64_t dim, int64_t start, int64_t end, int64_t step) {
  if (step == 0) fail(node, "slice step is 0");
  if (start < 0) start += dim;
  if (end < 0) end += dim;
  SliceRange range;
  range.step = step;
  if (dim == 0) return range;
  if (step > 0) {
    range.start = std::clamp<int64_t>(start, 0, dim);
    end = std::clamp<int64_t>(end, 0, dim);
    range.count = std::max<int64_t>(0, (end - range.start + step - 1) / step);
  } else {
    range.start = std::clamp<int64_t>(start, 0, dim - 1);
    end = std::clamp<int64_t>(end, -1, dim - 1);
    range.count = std::max<int64_t>(0, (range.start - end - step - 1) / -step);
  }
  return range;
}

std::vector<ValueType> concat(const Graph& graph, const Node& node) {
  if (!node.has("axis")) fail(node, "missing attribute 'axis'");
  if (node.input_count() == 0) fail(node, "has no inputs");
  ValueType first = input_type(graph, node, 0);
  std::optional<Shape> out;
  bool all_known = true;
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    ValueType part = input_type(graph, node, i);
    if (part.dtype != first.dtype)
      fail(node, "input ", i, " has type ", to_string(part.dtype), ", input 0 has ", to_string(first.dtype));
    if (!part.shape) {
      all_known = false;
      continue;
    }
    int64_t rank = static_cast<int64_t>(part.shape->size());
    int64_t axis = normalize_axis(node, node.get_int("axis", 0), rank);
    if (!out) {
      out = *part.shape;
      continue;
    }
    if (out->size() != part.shape->size()) {
      fail(node, "input ", i, " has shape ", to_string(*part.shape), " but an earlier input has ",
           to_string(*out));
    }
    for (int64_t d = 0; d < rank; ++d) {
      if (d == axis) {
        (*out)[d] = (*out)[d] < 0 || (*part.shape)[d] < 0 ? -1 : (*out)[d] + (*part.shape)[d];
      } else {
        (*out)[d] =
            merge_dims(node, (*out)[d], (*part.shape)[d],
                       "inputs differ outside the concatenation axis in dimension " + std::to_string(d));
      }
    }
  }
  if (out && !all_known) (*out)[normalize_axis(node, node.get_int("axis", 0), out->size())] = -1;
  return {{first.dtype, out}};
}

std::vector<ValueType> split(const Graph& graph, const Node& node) {
  ValueType x = input_type(graph, node, 0);
  size_t parts = node.outputs.size();
  if (!x.shape) return repeat({x.dtype, std::nullopt}, parts);
  int64_t axis = normalize_axis(node, node.get_int("axis", 0), static_cast<int64_t>(x.shape->size()));
  int64_t dim = (*x.shape)[axis];
  std::vector<int64_t> sizes(parts, -1);
  if (node.input_or_none(1) != kNoValue) {
    std::optional<std::vector<int64_t>> given = constant_ints(graph, node, 1);
    if (given) {
      if (given->size() != parts) fail(node, "split has ", given->size(), " sizes for ", parts, " outputs");
      int64_t total = 0;
      for (int64_t size : *given) total += size;
      if (dim >= 0 && total != dim)
        fail(node, "split sizes ", to_string(*given), " add up to ", total, ", not ", dim);
      sizes = *given;
    }
  } else if (dim >= 0) {
    if (dim % static_cast<int64_t>(parts) != 0)
      fail(node, "cannot split size ", dim, " into ", parts, " equal parts");
    sizes.assign(parts, dim / static_cast<int64_t>(parts));
  }
  std::vector<ValueType> types;
  for (int64_t size : sizes) {
    Shape out = *x.shape;
    out[axis] = size;
    types.push_back({x.dtype, out});
  }
  return types;
}

std::vector<ValueType> slice(const Graph& graph, const Node& node) {
  ValueType x = input_type(graph, node, 0);
  if (!x.shape) return {x};
  int64_t rank = static_cast<int64_t>(x.shape->size());
  std::optional<std::vector<int64_t>> starts = constant_ints(graph, node, 1),
                                      ends = constant_ints(graph, node, 2);
  size_t count = starts ? starts->size() : ends ? ends->size() : 0;
  std::optional<std::vector<int64_t>> axes = optional_ints(graph, node, 3, default_slice_axes(count));
  std::optional<std::vector<int64_t>> steps = optional_ints(graph, node, 4, std::vector<int64_t>(count, 1));
  Shape out = *x.shape;
  if (!axes) return {{x.dtype, Shape(out.size(), -1)}};
  std::set<int64_t> seen;
  for (int64_t& axis : *axes) {
    axis = normalize_axis(node, axis, rank);
    if (!seen.insert(axis).second) fail(node, "axis ", axis, " is sliced twice");
  }
  bool all_constant = starts && ends && steps;
  if (all_constant &&
      (ends->size() != starts->size() || axes->size() != starts->size() || steps->size() != starts->size())) {
    fail(node, "starts, ends, axes and steps have different lengths");
  }
  for (size_t i = 0; i < axes->size(); ++i) {
    int64_t& dim = out[(*axes)[i]];
    if (!all_constant || dim < 0) {
      dim = -1;
    } else {
      dim = slice_range(node, dim, (*starts)[i], (*ends)[i], (*steps)[i]).count;
    }
  }
  return {{x.dtype, out}};
}

std::vector<ValueType> gather(const Graph& graph, const Node& node) {
  ValueType data = input_type(graph, node, 0);
  ValueType indices = input_type(graph, node, 1);
  if (indices.dtype != DataType::kInt64 && indices.dtype != DataType::kInt32) {
    fail(node, "indices have type ", to_string(indices.dtype), ", expected int64 or int32");
  }
  if (!data.shape || !indices.shape) return {{data.dtype, std::nullopt}};
  int64_t rank = static_cast<int64_t>(data.shape->size());
  int64_t axis = normalize_axis(node, node.get_int("axis", 0), rank);
  int64_t dim = (*data.shape)[axis];
  std::optional<std::vector<int64_t>> values = constant_ints(graph, node, 1);
  for (int64_t index : values ? *values : std::vector<int64_t>{}) {
    if (dim >= 0 && (index < -dim || index >= dim)) {
      fail(node, "index ", index, " is out of range for axis ", axis, " of size ", dim);
    }
  }
  Shape out(data.shape->begin(), data.shape->begin() + axis);
  out.insert(out.end(), indices.shape->begin(), indices.shape->end());
  out.insert(out.end(), data.shape->begin() + axis + 1, data.shape->end());
  return {{data.dtype, out}};
}

std::vector<ValueType> pad(const Graph& graph, const Node& node) {
  ValueType x = input_type(graph, node, 0);
  if (!x.shape) return {x};
  size_t rank = x.shape->size();
  std::optional<std::vector<int64_t>> pads = constant_ints(graph, node, 1);
  if (!pads) return {{x.dtype, Shape(rank, -1)}};
  if (pads->size() != 2 * rank)
    fail(node, "pads has ", pads->size(), " values, expected ", 2 * rank, " for rank ", rank);
  Shape out = *x.shape;
  for (size_t i = 0; i < rank; ++i) {
    if (out[i] < 0) continue;
    out[i] += (*pads)[i] + (*pads)[i + rank];
    if (out[i] < 0)
      fail(node, "pads ", to_string(*pads), " remove more than the ", (*x.shape)[i], " elements of axis ", i);
  }
  return {{x.dtype, out}};
}

}  // namespace nacre::shape_rules
