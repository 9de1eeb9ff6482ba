// Conv, Gemm, MatMul, BatchNormalization and the pools as TorchScript, with the executor's ONNX semantics:
// padding LibTorch cannot express (asymmetric, or beyond half a pool kernel) becomes an explicit pad first.
#include <algorithm>

#include "exec/spatial_geometry.h"
#include "exec/torchscript_op_writers.h"
#include "util/error.h"

namespace nacre::torchscript {

namespace {

std::vector<int64_t> filled(size_t count, int64_t value) { return std::vector<int64_t>(count, value); }

// The shared rules, with errors reported against the node being written.
SpatialPadding resolve_padding(const NodeContext& c, const std::vector<int64_t>& kernel,
                               const std::vector<int64_t>& strides, const std::vector<int64_t>& dilations) {
  SpatialPadding padding;
  try {
    padding = resolve_spatial_padding(c.node(), c.input_shape(0), kernel, strides, dilations);
  } catch (const Error& error) {
    c.fail(error.what());
  }
  return padding;
}

PoolGeometry pool_geometry(const NodeContext& c) {
  if (c.node().outputs.size() > 1) c.fail("a pool that also returns indices");
  PoolGeometry geometry;
  try {
    geometry = read_pool_geometry(c.node(), c.input_shape(0));
  } catch (const Error& error) {
    c.fail(error.what());
  }
  return geometry;
}

std::string spatial_suffix(const PoolGeometry& geometry) {
  return std::to_string(geometry.kernel.size()) + "d";
}

std::string average_pool(const std::string& input, const PoolGeometry& geometry,
                         const std::vector<int64_t>& padding, bool count_include_pad) {
  return call("torch.avg_pool" + spatial_suffix(geometry),
              {input, int_list(geometry.kernel), int_list(geometry.strides), int_list(padding),
               geometry.ceil_mode ? "True" : "False", count_include_pad ? "True" : "False"});
}

std::vector<int64_t> spatial_dims(size_t rank) {
  std::vector<int64_t> dims;
  for (size_t dim = 2; dim < rank; ++dim) dims.push_back(static_cast<int64_t>(dim));
  return dims;
}

}  // namespace

NodeCode write_conv(const NodeContext& c) {
  const Shape& weight = c.input_shape(1);
  if (weight.size() < 3 || weight.size() > 5) c.fail("Conv with 1 to 3 spatial dimensions only");
  const size_t spatial = weight.size() - 2;
  std::vector<int64_t> strides = c.node().get_ints("strides", filled(spatial, 1));
  std::vector<int64_t> dilations = c.node().get_ints("dilations", filled(spatial, 1));
  std::vector<int64_t> kernel(weight.begin() + 2, weight.end());
  SpatialPadding padding = resolve_padding(c, kernel, strides, dilations);
  std::string input = c.operand(0);
  std::vector<int64_t> torch_padding = padding.begin;
  if (!padding.symmetric()) {
    input = constant_pad(input, padding.begin, padding.end, "0.0");
    torch_padding = filled(spatial, 0);
  }
  std::string bias = c.has_input(2) ? c.operand(2) : "None";
  return single(call("torch.conv" + std::to_string(spatial) + "d",
                     {input, c.operand(1), bias, int_list(strides), int_list(torch_padding),
                      int_list(dilations), std::to_string(c.node().get_int("group", 1))}));
}

NodeCode write_gemm(const NodeContext& c) {
  const bool trans_a = c.node().get_int("transA", 0) != 0;
  const bool trans_b = c.node().get_int("transB", 0) != 0;
  const double alpha = c.node().get_float("alpha", 1.0);
  const double beta = c.node().get_float("beta", 1.0);
  std::string a = trans_a ? call("torch.t", {c.operand(0)}) : c.operand(0);
  const bool vector_bias = c.has_input(2) && c.input_shape(2).size() == 1;
  // The usual Linear layer: aten::linear, which freezing and oneDNN optimise.
  if (alpha == 1.0 && (beta == 1.0 || !c.has_input(2)) && (!c.has_input(2) || vector_bias)) {
    std::string weight = trans_b ? c.operand(1) : call("torch.t", {c.operand(1)});
    return single(call("torch.linear", {a, weight, c.has_input(2) ? c.operand(2) : "None"}));
  }
  std::string b = trans_b ? call("torch.t", {c.operand(1)}) : c.operand(1);
  if (c.has_input(2)) {
    return single(call("torch.addmm",
                       {c.operand(2), a, b, "beta=" + float_literal(beta), "alpha=" + float_literal(alpha)}));
  }
  return single(call("torch.mul", {call("torch.mm", {a, b}), float_literal(alpha)}));
}

NodeCode write_matmul(const NodeContext& c) {
  return single(call("torch.matmul", {c.operand(0), c.operand(1)}));
}

NodeCode write_batch_normalization(const NodeContext& c) {
  if (c.node().get_int("training_mode", 0) != 0 || c.node().outputs.size() > 1) {
    c.fail("BatchNormalization in training mode (inference only)");
  }
  return single(
      call("torch.batch_norm", {c.operand(0), c.operand(1), c.operand(2), c.operand(3), c.operand(4), "False",
                                float_literal(1.0 - c.node().get_float("momentum", 0.9)),
                                float_literal(c.node().get_float("epsilon", 1e-5)), "False"}));
}

NodeCode write_max_pool(const NodeContext& c) {
  PoolGeometry geometry = pool_geometry(c);
  std::string input = c.operand(0);
  std::vector<int64_t> padding = geometry.padding.begin;
  if (!geometry.torch_can_pad()) {
    input = constant_pad(input, geometry.padding.begin, geometry.padding.end, "float('-inf')");
    padding = filled(geometry.kernel.size(), 0);
  }
  return single(call("torch.max_pool" + spatial_suffix(geometry),
                     {input, int_list(geometry.kernel), int_list(geometry.strides), int_list(padding),
                      int_list(geometry.dilations), geometry.ceil_mode ? "True" : "False"}));
}

NodeCode write_average_pool(const NodeContext& c) {
  PoolGeometry geometry = pool_geometry(c);
  for (int64_t dilation : geometry.dilations) {
    if (dilation != 1) c.fail("AveragePool with dilations (LibTorch's avg_pool has none)");
  }
  const bool count_include_pad = c.node().get_int("count_include_pad", 0) != 0;
  if (geometry.torch_can_pad()) {
    return single(average_pool(c.operand(0), geometry, geometry.padding.begin, count_include_pad));
  }
  const std::vector<int64_t> no_padding = filled(geometry.kernel.size(), 0);
  const SpatialPadding& pads = geometry.padding;
  std::string sums =
      average_pool(constant_pad(c.operand(0), pads.begin, pads.end, "0.0"), geometry, no_padding, true);
  if (count_include_pad) return single(sums);
  // Divide by the share of each window inside the unpadded input (a constant once frozen).
  Shape mask_shape = c.input_shape(0);
  mask_shape[0] = mask_shape[1] = 1;
  std::string mask = constant_pad(call("torch.ones", {int_list(mask_shape)}), pads.begin, pads.end, "0.0");
  return single(call("torch.div", {sums, average_pool(mask, geometry, no_padding, true)}));
}

NodeCode write_global_average_pool(const NodeContext& c) {
  const size_t rank = c.input_shape(0).size();
  if (rank <= 2) return single(c.operand(0));
  // adaptive_avg_pool2d stays in oneDNN's layout after optimize_for_inference; mean would not.
  if (rank == 4) return single(call("torch.adaptive_avg_pool2d", {c.operand(0), "[1, 1]"}));
  return single(call("torch.mean", {c.operand(0), int_list(spatial_dims(rank)), "True"}));
}

NodeCode write_global_max_pool(const NodeContext& c) {
  const size_t rank = c.input_shape(0).size();
  if (rank <= 2) return single(c.operand(0));
  return single(call("torch.amax", {c.operand(0), int_list(spatial_dims(rank)), "True"}));
}

}  // namespace nacre::torchscript
