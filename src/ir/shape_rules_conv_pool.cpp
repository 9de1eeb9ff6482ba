// Shape rules of sliding-window ops: Conv, MaxPool, AveragePool and the global pools.
#include "ir/shape_rules.h"

namespace nacre::shape_rules {

namespace {

// The window attributes shared by Conv and the pools, with ONNX defaults filled in.
struct Window {
  std::vector<int64_t> kernel, strides, dilations, pads;  // pads: all begins, then all ends
  std::string auto_pad;
  bool ceil_mode = false;
};

std::vector<int64_t> ints_of_length(const Node& node, const std::string& name, size_t length,
                                    int64_t fallback) {
  std::vector<int64_t> values = node.get_ints(name, std::vector<int64_t>(length, fallback));
  if (values.size() != length) {
    fail(node, "attribute '", name, "' has ", values.size(), " values, expected ", length, " for ",
         length / (name == "pads" ? 2 : 1), " spatial dimensions");
  }
  return values;
}

Window read_window(const Node& node, std::vector<int64_t> kernel) {
  size_t spatial = kernel.size();
  Window window;
  window.kernel = std::move(kernel);
  window.strides = ints_of_length(node, "strides", spatial, 1);
  window.dilations = ints_of_length(node, "dilations", spatial, 1);
  window.pads = ints_of_length(node, "pads", 2 * spatial, 0);
  window.auto_pad = node.get_string("auto_pad", "NOTSET");
  window.ceil_mode = node.get_int("ceil_mode", 0) != 0;
  for (size_t i = 0; i < spatial; ++i) {
    if (window.strides[i] <= 0 || window.dilations[i] <= 0) {
      fail(node, "strides and dilations must be positive");
    }
  }
  return window;
}

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

int64_t window_output_size(const Node& node, const Window& window, size_t axis, int64_t input_size) {
  if (input_size < 0 || window.kernel[axis] < 0) return -1;
  int64_t stride = window.strides[axis];
  int64_t extent = (window.kernel[axis] - 1) * window.dilations[axis] + 1;
  if (window.auto_pad == "SAME_UPPER" || window.auto_pad == "SAME_LOWER") return ceil_div(input_size, stride);
  int64_t pad_begin = 0, pad_end = 0;
  if (window.auto_pad == "NOTSET") {
    pad_begin = window.pads[axis];
    pad_end = window.pads[axis + window.kernel.size()];
  } else if (window.auto_pad != "VALID") {
    fail(node, "unknown auto_pad '", window.auto_pad, "' (expected NOTSET, SAME_UPPER, SAME_LOWER or VALID)");
  }
  int64_t room = input_size + pad_begin + pad_end - extent;
  if (room < 0) {
    fail(node, "the window (extent ", extent, ") is larger than the padded input (",
         input_size + pad_begin + pad_end, ") in spatial dimension ", axis);
  }
  int64_t output = (window.ceil_mode ? ceil_div(room, stride) : room / stride) + 1;
  // As PyTorch and ONNX Runtime do: the last window must start inside the input or its begin padding.
  if (window.ceil_mode && (output - 1) * stride >= input_size + pad_begin) --output;
  return output;
}

Shape spatial_output(const Node& node, const Window& window, const Shape& input) {
  Shape out;
  for (size_t axis = 0; axis < window.kernel.size(); ++axis) {
    out.push_back(window_output_size(node, window, axis, input[axis + 2]));
  }
  return out;
}

void check_conv_channels(const Node& node, const Shape& x, const Shape& w, int64_t group) {
  int64_t channels = x[1], per_group = w[1], filters = w[0];
  if (channels >= 0 && per_group >= 0 && channels != per_group * group) {
    fail(node, "weight has ", per_group, " input channels", group > 1 ? " per group" : "",
         " but the input has ", channels, group > 1 ? " channels (group " + std::to_string(group) + ")" : "");
  }
  if (filters >= 0 && filters % group != 0) {
    fail(node, "weight has ", filters, " output channels, not divisible by group ", group);
  }
}

void check_bias(const Node& node, const ValueType& bias, int64_t filters) {
  if (!bias.shape) return;
  if (bias.shape->size() != 1)
    fail(node, "bias has shape ", to_string(*bias.shape), ", expected [", filters, "]");
  merge_dims(node, (*bias.shape)[0], filters, "bias size does not match the weight's output channels");
}

}  // namespace

std::vector<ValueType> conv(const Graph& graph, const Node& node) {
  ValueType x = input_type(graph, node, 0);
  ValueType w = input_type(graph, node, 1);
  if (!x.shape) return {{x.dtype, std::nullopt}};
  if (x.shape->size() < 3) fail(node, "input has shape ", to_string(*x.shape), ", expected [N,C,spatial...]");
  size_t spatial = x.shape->size() - 2;
  Shape weight = w.shape ? *w.shape : Shape(spatial + 2, -1);
  if (weight.size() != x.shape->size()) {
    fail(node, "weight has shape ", to_string(weight), " but the input has rank ", x.shape->size());
  }
  int64_t group = node.get_int("group", 1);
  if (group <= 0) fail(node, "group must be positive, got ", group);
  check_conv_channels(node, *x.shape, weight, group);
  std::vector<int64_t> kernel(weight.begin() + 2, weight.end());
  if (node.has("kernel_shape")) {
    std::vector<int64_t> attribute = node.get_ints("kernel_shape");
    if (attribute.size() != spatial)
      fail(node, "kernel_shape has ", attribute.size(), " values, expected ", spatial);
    for (size_t i = 0; i < spatial; ++i) {
      kernel[i] = merge_dims(node, kernel[i], attribute[i], "kernel_shape does not match the weight");
    }
  }
  if (node.input_or_none(2) != kNoValue) check_bias(node, input_type(graph, node, 2), weight[0]);
  Shape out = {(*x.shape)[0], weight[0]};
  for (int64_t dim : spatial_output(node, read_window(node, kernel), *x.shape)) out.push_back(dim);
  return {{x.dtype, out}};
}

std::vector<ValueType> pool(const Graph& graph, const Node& node) {
  ValueType x = input_type(graph, node, 0);
  if (!node.has("kernel_shape")) fail(node, "missing attribute 'kernel_shape'");
  std::vector<int64_t> kernel = node.get_ints("kernel_shape");
  ValueType out{x.dtype, std::nullopt};
  if (x.shape) {
    if (x.shape->size() != kernel.size() + 2) {
      fail(node, "kernel_shape has ", kernel.size(), " values but the input has shape ", to_string(*x.shape));
    }
    Shape dims = {(*x.shape)[0], (*x.shape)[1]};
    for (int64_t dim : spatial_output(node, read_window(node, kernel), *x.shape)) dims.push_back(dim);
    out.shape = dims;
  }
  return {out, {DataType::kInt64, out.shape}};  // MaxPool's optional second output holds indices
}

std::vector<ValueType> global_pool(const Graph& graph, const Node& node) {
  ValueType x = input_type(graph, node, 0);
  if (!x.shape) return {x};
  if (x.shape->size() < 3) fail(node, "input has shape ", to_string(*x.shape), ", expected [N,C,spatial...]");
  Shape out = {(*x.shape)[0], (*x.shape)[1]};
  out.resize(x.shape->size(), 1);
  return {{x.dtype, out}};
}

}  // namespace nacre::shape_rules
