// Shape computation and data movement as TorchScript. Shapes are static here, so reshapes take the output
// shape inferred by nacre, and shape-valued ops become constants while writing.
#include <algorithm>
#include <cstring>

#include "exec/torchscript_op_writers.h"

namespace nacre::torchscript {

namespace {

int64_t clamp_to(int64_t value, int64_t low, int64_t high) { return std::max(low, std::min(value, high)); }

int64_t normalized_axis(const NodeContext& c, int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= std::max<int64_t>(rank, 1)) {
    c.fail("axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  }
  return axis < 0 ? axis + rank : axis;
}

std::string slice(const std::string& input, int64_t axis, int64_t start, int64_t end, int64_t step) {
  return call("torch.slice", {input, std::to_string(axis), std::to_string(start), std::to_string(end),
                              std::to_string(step)});
}

// One axis of ONNX Slice on a static size, as the executor does; updates `size` to the result's.
std::string slice_axis(const NodeContext& c, const std::string& input, int64_t axis, int64_t& size,
                       int64_t start, int64_t end, int64_t step) {
  if (step == 0) c.fail("Slice step must not be 0");
  if (size == 0) return input;
  if (start < 0) start += size;
  if (end < 0) end += size;
  if (step > 0) {
    start = clamp_to(start, 0, size);
    end = std::max(start, clamp_to(end, 0, size));
    size = (end - start + step - 1) / step;
    return slice(input, axis, start, end, step);
  }
  start = clamp_to(start, 0, size - 1);
  end = clamp_to(end, -1, size - 1);
  if (start <= end) {
    size = 0;
    return slice(input, axis, 0, 0, 1);
  }
  // Take the same elements with a positive step, then reverse them.
  const int64_t stride = -step;
  const int64_t count = (start - end + stride - 1) / stride;
  const int64_t last = start - (count - 1) * stride;
  size = count;
  return call("torch.flip", {slice(input, axis, last, start + 1, stride), int_list({axis})});
}

// Source index of each output position along one axis for Pad's reflect and edge modes.
int64_t padded_source_index(int64_t position, int64_t size, bool reflect) {
  if (!reflect || size == 1) return clamp_to(position, 0, size - 1);
  const int64_t period = 2 * (size - 1);
  int64_t index = ((position % period) + period) % period;
  return index >= size ? period - index : index;
}

std::string pad_by_copying(const NodeContext& c, std::string input, const std::vector<int64_t>& begin,
                           const std::vector<int64_t>& end, bool reflect) {
  const Shape& shape = c.input_shape(0);
  for (size_t dim = 0; dim < shape.size(); ++dim) {
    if (begin[dim] == 0 && end[dim] == 0) continue;
    if (shape[dim] == 0) c.fail("cannot pad an empty axis in reflect or edge mode");
    std::vector<int64_t> sources;
    for (int64_t position = -begin[dim]; position < shape[dim] + end[dim]; ++position) {
      sources.push_back(padded_source_index(position, shape[dim], reflect));
    }
    std::string indices =
        c.add_constant(Tensor::from_vector<int64_t>({static_cast<int64_t>(sources.size())}, sources));
    input = call("torch.index_select", {input, std::to_string(dim), indices});
  }
  return input;
}

Tensor tensor_from_constant_attribute(const NodeContext& c) {
  const Node& node = c.node();
  if (node.has("value")) return node.get_tensor("value");
  if (node.has("value_float"))
    return Tensor::scalar<float>(static_cast<float>(node.get_float("value_float", 0)));
  if (node.has("value_int")) return Tensor::scalar<int64_t>(node.get_int("value_int", 0));
  if (node.has("value_ints")) {
    std::vector<int64_t> values = node.get_ints("value_ints");
    return Tensor::from_vector<int64_t>({static_cast<int64_t>(values.size())}, values);
  }
  if (node.has("value_floats")) {
    std::vector<double> doubles = node.get_floats("value_floats");
    std::vector<float> values(doubles.begin(), doubles.end());
    return Tensor::from_vector<float>({static_cast<int64_t>(values.size())}, values);
  }
  c.fail("Constant has no value attribute that nacre reads (value, value_float(s), value_int(s))");
}

}  // namespace

NodeCode write_concat(const NodeContext& c) {
  std::vector<std::string> parts;
  int64_t rank = -1;
  for (size_t i = 0; i < c.node().inputs.size(); ++i) {
    if (!c.has_input(i)) continue;
    parts.push_back(c.operand(i));
    if (rank < 0) rank = static_cast<int64_t>(c.input_shape(i).size());
  }
  if (parts.empty() || !c.node().has("axis")) c.fail("Concat needs inputs and the axis attribute");
  std::string list = "[";
  for (size_t i = 0; i < parts.size(); ++i) list += (i ? ", " : "") + parts[i];
  return single(
      call("torch.cat", {list + "]", std::to_string(normalized_axis(c, c.node().get_int("axis", 0), rank))}));
}

NodeCode write_split(const NodeContext& c) {
  const Shape& shape = c.input_shape(0);
  const int64_t axis = normalized_axis(c, c.node().get_int("axis", 0), static_cast<int64_t>(shape.size()));
  std::vector<int64_t> sizes = c.ints_from_input_or_attribute(1, "split");
  const int64_t parts = static_cast<int64_t>(c.node().outputs.size());
  if (sizes.empty()) {
    // Equal parts; the last is smaller when the axis does not divide evenly (as the executor).
    const int64_t chunk = (shape[axis] + parts - 1) / parts;
    for (int64_t part = 0; part < parts; ++part) {
      sizes.push_back(std::max<int64_t>(0, std::min(chunk, shape[axis] - part * chunk)));
    }
  }
  if (static_cast<int64_t>(sizes.size()) != parts) c.fail("Split sizes do not match its outputs");
  NodeCode code;
  int64_t offset = 0;
  for (int64_t size : sizes) {
    code.expressions.push_back(slice(c.operand(0), axis, offset, offset + size, 1));
    offset += size;
  }
  return code;
}

NodeCode write_slice(const NodeContext& c) {
  Shape shape = c.input_shape(0);
  const std::vector<int64_t> starts = c.ints_from_input_or_attribute(1, "starts");
  const std::vector<int64_t> ends = c.ints_from_input_or_attribute(2, "ends");
  std::vector<int64_t> axes = c.ints_from_input_or_attribute(3, "axes");
  std::vector<int64_t> steps = c.has_input(4) ? c.constant_ints(4) : std::vector<int64_t>();
  if (axes.empty()) {
    for (size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<int64_t>(i));
  }
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size()) {
    c.fail("Slice starts, ends, axes and steps must have equal lengths");
  }
  std::string result = c.operand(0);
  for (size_t i = 0; i < starts.size(); ++i) {
    int64_t axis = normalized_axis(c, axes[i], static_cast<int64_t>(shape.size()));
    result = slice_axis(c, result, axis, shape[axis], starts[i], ends[i], steps[i]);
  }
  return single(result);
}

NodeCode write_reshape_to_output_shape(const NodeContext& c) {
  return single(call("torch.reshape", {c.operand(0), int_list(c.output_shape(0))}));
}

NodeCode write_transpose(const NodeContext& c) {
  std::vector<int64_t> perm = c.node().get_ints("perm");
  if (perm.empty()) {
    for (size_t dim = c.input_shape(0).size(); dim-- > 0;) perm.push_back(static_cast<int64_t>(dim));
  }
  return single(call("torch.permute", {c.operand(0), int_list(perm)}));
}

NodeCode write_identity(const NodeContext& c) {
  NodeCode code = single(c.operand(0));
  // Dropout's optional mask: all kept at inference.
  if (c.node().outputs.size() > 1)
    code.expressions.push_back(call("torch.ones_like", {c.operand(0)}) + ".to(11)");
  return code;
}

NodeCode write_gather(const NodeContext& c) {
  const Shape& data = c.input_shape(0);
  const int64_t axis = normalized_axis(c, c.node().get_int("axis", 0), static_cast<int64_t>(data.size()));
  std::string indices;
  if (std::optional<Tensor> constant = c.constant_input(1)) {
    std::vector<int64_t> values = constant->as_int64s();
    for (int64_t& index : values) index = index < 0 ? index + data[axis] : index;
    indices = c.add_constant(Tensor::from_vector<int64_t>({static_cast<int64_t>(values.size())}, values));
  } else {
    std::string flat = call("torch.reshape", {c.operand(1), "[-1]"}) + ".to(4)";
    indices = call("torch.where", {call("torch.lt", {flat, "0"}),
                                   call("torch.add", {flat, std::to_string(data[axis])}), flat});
  }
  std::string selected = call("torch.index_select", {c.operand(0), std::to_string(axis), indices});
  return single(call("torch.reshape", {selected, int_list(c.output_shape(0))}));
}

NodeCode write_pad(const NodeContext& c) {
  const int64_t rank = static_cast<int64_t>(c.input_shape(0).size());
  const std::vector<int64_t> pads = c.ints_from_input_or_attribute(1, "pads");
  std::vector<int64_t> axes = c.has_input(3) ? c.constant_ints(3) : std::vector<int64_t>();
  if (axes.empty()) {
    for (int64_t dim = 0; dim < rank; ++dim) axes.push_back(dim);
  }
  const size_t count = axes.size();
  if (pads.size() != 2 * count)
    c.fail("Pad has " + std::to_string(pads.size()) + " pads for " + std::to_string(count) + " axes");
  std::vector<int64_t> begin(rank, 0), end(rank, 0);
  for (size_t i = 0; i < count; ++i) {
    const int64_t axis = normalized_axis(c, axes[i], rank);
    begin[axis] = pads[i];
    end[axis] = pads[i + count];
  }
  const std::string mode = c.node().get_string("mode", "constant");
  if (mode == "constant") {
    double value = c.node().get_float("value", 0.0);
    if (c.has_input(2)) {
      std::optional<Tensor> given = c.constant_input(2);
      if (!given) c.fail("the pad value must be a constant");
      if (given->numel() > 0) value = given->as_doubles().at(0);
    }
    return single(constant_pad(c.operand(0), begin, end, float_literal(value)));
  }
  if (mode != "reflect" && mode != "edge") c.fail("Pad mode '" + mode + "'");
  return single(pad_by_copying(c, c.operand(0), begin, end, mode == "reflect"));
}

NodeCode write_shape(const NodeContext& c) {
  const Shape& shape = c.input_shape(0);
  const int64_t rank = static_cast<int64_t>(shape.size());
  int64_t start = c.node().get_int("start", 0);
  int64_t end = c.node().get_int("end", rank);
  if (start < 0) start += rank;
  if (end < 0) end += rank;
  start = clamp_to(start, 0, rank);
  end = clamp_to(end, start, rank);
  std::vector<int64_t> sizes(shape.begin() + start, shape.begin() + end);
  return NodeCode{{}, {Tensor::from_vector<int64_t>({end - start}, sizes)}};
}

NodeCode write_constant_of_shape(const NodeContext& c) {
  const std::vector<int64_t> shape = c.constant_ints(0);
  Tensor value = c.node().has("value") ? c.node().get_tensor("value") : Tensor::scalar<float>(0.0f);
  Tensor filled(value.dtype(), shape);
  const size_t element = element_size(value.dtype());
  std::byte* bytes = filled.mutable_raw();
  for (int64_t i = 0; i < filled.numel(); ++i) std::memcpy(bytes + i * element, value.raw(), element);
  return NodeCode{{}, {filled}};
}

NodeCode write_constant(const NodeContext& c) { return NodeCode{{}, {tensor_from_constant_attribute(c)}}; }

}  // namespace nacre::torchscript
