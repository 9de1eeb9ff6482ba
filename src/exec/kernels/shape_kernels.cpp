// Shape computation and data movement: these run on int64 shape tensors too, so dynamic batches work.
#include <ATen/ATen.h>

#include <algorithm>
#include <functional>

#include "exec/kernels/kernel.h"
#include "exec/tensor_conversion.h"
#include "util/error.h"

namespace nacre::kernels {

namespace {

int64_t clamp_to(int64_t value, int64_t low, int64_t high) { return std::max(low, std::min(value, high)); }

// One axis of ONNX Slice: negative indices count from the end, out-of-range ones clamp, steps may be
// negative.
at::Tensor slice_axis(const at::Tensor& input, int64_t axis, int64_t start, int64_t end, int64_t step) {
  if (step == 0) throw make_error("Slice step must not be 0");
  const int64_t size = input.size(axis);
  if (size == 0) return input;
  if (start < 0) start += size;
  if (end < 0) end += size;
  if (step > 0) {
    start = clamp_to(start, 0, size);
    end = clamp_to(end, 0, size);
    return input.slice(axis, start, std::max(start, end), step);
  }
  start = clamp_to(start, 0, size - 1);
  end = clamp_to(end, -1, size - 1);
  if (start <= end) return input.slice(axis, 0, 0);
  // Take the same elements with a positive step, then reverse them.
  const int64_t stride = -step;
  const int64_t count = (start - end + stride - 1) / stride;
  const int64_t last = start - (count - 1) * stride;
  return input.slice(axis, last, start + 1, stride).flip({axis});
}

// Source index of each output position along one axis for Pad's reflect and edge modes.
int64_t padded_source_index(int64_t position, int64_t size, bool reflect) {
  if (!reflect || size == 1) return clamp_to(position, 0, size - 1);
  const int64_t period = 2 * (size - 1);
  int64_t index = ((position % period) + period) % period;
  return index >= size ? period - index : index;
}

at::Tensor pad_axis_by_copying(const at::Tensor& input, int64_t axis, int64_t begin, int64_t end,
                               bool reflect) {
  const int64_t size = input.size(axis);
  if (size == 0) throw make_error("cannot pad an empty axis ", axis, " in reflect or edge mode");
  std::vector<int64_t> sources;
  for (int64_t position = -begin; position < size + end; ++position) {
    sources.push_back(padded_source_index(position, size, reflect));
  }
  return input.index_select(axis, int64_tensor(sources));
}

at::Tensor constant_tensor_attribute(const Node& node) {
  if (node.has("value")) return to_torch(node.get_tensor("value"));
  if (node.has("value_float")) return at::scalar_tensor(node.get_float("value_float", 0), at::kFloat);
  if (node.has("value_floats")) {
    const std::vector<double> values = node.get_floats("value_floats");
    at::Tensor result = at::empty({static_cast<int64_t>(values.size())}, at::kFloat);
    std::copy(values.begin(), values.end(), result.data_ptr<float>());
    return result;
  }
  if (node.has("value_int")) return at::scalar_tensor(node.get_int("value_int", 0), at::kLong);
  if (node.has("value_ints")) return int64_tensor(node.get_ints("value_ints"));
  throw make_error("Constant has no value attribute that nacre reads (value, value_float(s), value_int(s))");
}

}  // namespace

Tensors run_concat(const KernelContext& context) {
  std::vector<at::Tensor> parts;
  for (const at::Tensor& input : context.inputs) {
    if (input.defined()) parts.push_back(input);
  }
  if (parts.empty()) throw make_error("Concat needs at least one input");
  if (!context.node.has("axis")) throw make_error("Concat requires the axis attribute");
  return {at::cat(parts, normalize_axis(context.node.get_int("axis", 0), parts.front().dim()))};
}

Tensors run_split(const KernelContext& context) {
  const at::Tensor& input = context.input(0);
  const int64_t axis = normalize_axis(context.node.get_int("axis", 0), input.dim());
  std::vector<int64_t> sizes = context.ints_from_input_or_attribute(1, "split");
  if (sizes.empty()) {
    // Equal parts, one per output; the last part is smaller when the axis does not divide evenly.
    const int64_t parts = static_cast<int64_t>(context.node.outputs.size());
    const int64_t length = input.size(axis);
    const int64_t chunk = (length + parts - 1) / parts;
    for (int64_t part = 0; part < parts; ++part) {
      sizes.push_back(std::max<int64_t>(0, std::min(chunk, length - part * chunk)));
    }
  }
  return at::split_with_sizes(input, sizes, axis);
}

Tensors run_slice(const KernelContext& context) {
  at::Tensor result = context.input(0);
  const std::vector<int64_t> starts = context.ints_from_input_or_attribute(1, "starts");
  const std::vector<int64_t> ends = context.ints_from_input_or_attribute(2, "ends");
  std::vector<int64_t> axes = context.ints_from_input_or_attribute(3, "axes");
  std::vector<int64_t> steps = context.has_input(4) ? context.input_ints(4) : std::vector<int64_t>();
  if (axes.empty()) {
    for (size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<int64_t>(i));
  }
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size()) {
    throw make_error("Slice starts, ends, axes and steps must have equal lengths (", starts.size(), ", ",
                     ends.size(), ", ", axes.size(), ", ", steps.size(), ")");
  }
  for (size_t i = 0; i < starts.size(); ++i) {
    result = slice_axis(result, normalize_axis(axes[i], result.dim()), starts[i], ends[i], steps[i]);
  }
  return {result};
}

Tensors run_flatten(const KernelContext& context) {
  const at::Tensor& input = context.input(0);
  int64_t axis = context.node.get_int("axis", 1);
  if (axis < 0) axis += input.dim();
  if (axis < 0 || axis > input.dim()) throw make_error("Flatten axis out of range for rank ", input.dim());
  int64_t outer = 1;
  for (int64_t dim = 0; dim < axis; ++dim) outer *= input.size(dim);
  int64_t inner = 1;
  for (int64_t dim = axis; dim < input.dim(); ++dim) inner *= input.size(dim);
  return {input.reshape({outer, inner})};
}

Tensors run_reshape(const KernelContext& context) {
  const at::Tensor& input = context.input(0);
  std::vector<int64_t> shape = context.input_ints(1);
  if (context.node.get_int("allowzero", 0) == 0) {
    for (size_t dim = 0; dim < shape.size(); ++dim) {
      if (shape[dim] != 0) continue;
      if (static_cast<int64_t>(dim) >= input.dim()) {
        throw make_error("Reshape target ", to_string(shape), " copies dimension ", dim, " of a rank ",
                         input.dim(), " input");
      }
      shape[dim] = input.size(static_cast<int64_t>(dim));
    }
  }
  return {input.reshape(shape)};
}

Tensors run_transpose(const KernelContext& context) {
  const at::Tensor& input = context.input(0);
  std::vector<int64_t> perm = context.node.get_ints("perm");
  if (perm.empty()) {
    for (int64_t dim = input.dim(); dim-- > 0;) perm.push_back(dim);
  }
  return {input.permute(perm)};
}

Tensors run_identity(const KernelContext& context) { return {context.input(0)}; }

Tensors run_dropout(const KernelContext& context) {
  const at::Tensor& input = context.input(0);
  if (context.node.outputs.size() < 2) return {input};
  return {input, at::ones(input.sizes(), input.options().dtype(at::kBool))};
}

Tensors run_shape(const KernelContext& context) {
  const std::vector<int64_t> sizes = sizes_of(context.input(0));
  const int64_t rank = static_cast<int64_t>(sizes.size());
  int64_t start = context.node.get_int("start", 0);
  int64_t end = context.node.get_int("end", rank);
  if (start < 0) start += rank;
  if (end < 0) end += rank;
  start = clamp_to(start, 0, rank);
  end = clamp_to(end, start, rank);
  return {int64_tensor(std::vector<int64_t>(sizes.begin() + start, sizes.begin() + end))};
}

Tensors run_gather(const KernelContext& context) {
  const at::Tensor& data = context.input(0);
  const int64_t axis = normalize_axis(context.node.get_int("axis", 0), data.dim());
  at::Tensor indices = context.input(1).to(at::kLong);
  indices = at::where(indices < 0, indices + data.size(axis), indices);
  std::vector<int64_t> shape(data.sizes().begin(), data.sizes().begin() + axis);
  for (int64_t size : indices.sizes()) shape.push_back(size);
  shape.insert(shape.end(), data.sizes().begin() + axis + 1, data.sizes().end());
  return {data.index_select(axis, indices.reshape({-1})).reshape(shape)};
}

Tensors run_unsqueeze(const KernelContext& context) {
  at::Tensor result = context.input(0);
  std::vector<int64_t> axes = context.ints_from_input_or_attribute(1, "axes");
  const int64_t output_rank = result.dim() + static_cast<int64_t>(axes.size());
  for (int64_t& axis : axes) axis = normalize_axis(axis, output_rank);
  std::sort(axes.begin(), axes.end());
  for (int64_t axis : axes) result = result.unsqueeze(axis);
  return {result};
}

Tensors run_squeeze(const KernelContext& context) {
  at::Tensor result = context.input(0);
  std::vector<int64_t> axes = context.ints_from_input_or_attribute(1, "axes");
  if (axes.empty()) return {result.squeeze()};
  for (int64_t& axis : axes) axis = normalize_axis(axis, result.dim());
  std::sort(axes.begin(), axes.end(), std::greater<int64_t>());
  for (int64_t axis : axes) {
    if (result.size(axis) != 1) throw make_error("Squeeze axis ", axis, " has size ", result.size(axis));
    result = result.squeeze(axis);
  }
  return {result};
}

Tensors run_pad(const KernelContext& context) {
  at::Tensor result = context.input(0);
  const int64_t rank = result.dim();
  const std::vector<int64_t> pads = context.ints_from_input_or_attribute(1, "pads");
  std::vector<int64_t> axes = context.has_input(3) ? context.input_ints(3) : std::vector<int64_t>();
  if (axes.empty()) {
    for (int64_t dim = 0; dim < rank; ++dim) axes.push_back(dim);
  }
  const size_t count = axes.size();
  if (pads.size() != 2 * count) throw make_error("Pad has ", pads.size(), " pads for ", count, " axes");
  std::vector<int64_t> begin(rank, 0), end(rank, 0);
  for (size_t i = 0; i < count; ++i) {
    const int64_t axis = normalize_axis(axes[i], rank);
    begin[axis] = pads[i];
    end[axis] = pads[i + count];
  }
  const std::string mode = context.node.get_string("mode", "constant");
  if (mode == "constant") {
    double value = context.node.get_float("value", 0.0);
    if (context.has_input(2) && context.input(2).numel() > 0) value = context.input(2).item<double>();
    std::vector<int64_t> torch_pads;  // last dimension first
    for (int64_t dim = rank; dim-- > 0;) {
      torch_pads.push_back(begin[dim]);
      torch_pads.push_back(end[dim]);
    }
    return {at::constant_pad_nd(result, torch_pads, value)};
  }
  if (mode != "reflect" && mode != "edge") throw make_error("Pad mode '", mode, "' is not supported");
  for (int64_t dim = 0; dim < rank; ++dim) {
    if (begin[dim] != 0 || end[dim] != 0) {
      result = pad_axis_by_copying(result, dim, begin[dim], end[dim], mode == "reflect");
    }
  }
  return {result};
}

Tensors run_constant_of_shape(const KernelContext& context) {
  const std::vector<int64_t> shape = context.input_ints(0);
  if (!context.node.has("value")) return {at::zeros(shape, at::kFloat)};
  at::Tensor value = to_torch(context.node.get_tensor("value"));
  return {at::empty(shape, value.options()).fill_(value.reshape({}))};
}

Tensors run_constant(const KernelContext& context) { return {constant_tensor_attribute(context.node)}; }

}  // namespace nacre::kernels
