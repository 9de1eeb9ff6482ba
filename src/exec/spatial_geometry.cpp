#include "exec/spatial_geometry.h"

#include <algorithm>
#include <string>

#include "util/error.h"

namespace nacre {

namespace {

std::vector<int64_t> filled(size_t count, int64_t value) { return std::vector<int64_t>(count, value); }

// ONNX auto_pad SAME_*: output size ceil(input / stride); the odd pixel goes at the end (UPPER) or start.
SpatialPadding same_padding(const Shape& input, const std::vector<int64_t>& kernel,
                            const std::vector<int64_t>& strides, const std::vector<int64_t>& dilations,
                            bool upper) {
  SpatialPadding padding;
  for (size_t i = 0; i < kernel.size(); ++i) {
    int64_t size = input[i + 2];
    int64_t output = (size + strides[i] - 1) / strides[i];
    int64_t extent = (kernel[i] - 1) * dilations[i] + 1;
    int64_t total = std::max<int64_t>(0, (output - 1) * strides[i] + extent - size);
    int64_t smaller = total / 2;
    padding.begin.push_back(upper ? smaller : total - smaller);
    padding.end.push_back(upper ? total - smaller : smaller);
  }
  return padding;
}

}  // namespace

SpatialPadding resolve_spatial_padding(const Node& node, const Shape& input,
                                       const std::vector<int64_t>& kernel,
                                       const std::vector<int64_t>& strides,
                                       const std::vector<int64_t>& dilations) {
  const size_t spatial = kernel.size();
  if (input.size() != spatial + 2) {
    throw make_error("expected an input of rank ", spatial + 2, " for a kernel of ", spatial,
                     " spatial dimensions, got rank ", input.size());
  }
  const std::string auto_pad = node.get_string("auto_pad", "NOTSET");
  if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    return same_padding(input, kernel, strides, dilations, auto_pad == "SAME_UPPER");
  }
  if (auto_pad == "VALID") return {filled(spatial, 0), filled(spatial, 0)};
  if (auto_pad != "NOTSET") throw make_error("unknown auto_pad '", auto_pad, "'");
  std::vector<int64_t> pads = node.get_ints("pads", filled(2 * spatial, 0));
  if (pads.size() != 2 * spatial)
    throw make_error("pads has ", pads.size(), " values; expected ", 2 * spatial);
  return {std::vector<int64_t>(pads.begin(), pads.begin() + spatial),
          std::vector<int64_t>(pads.begin() + spatial, pads.end())};
}

bool PoolGeometry::torch_can_pad() const {
  if (!padding.symmetric()) return false;
  for (size_t i = 0; i < kernel.size(); ++i) {
    if (padding.begin[i] > kernel[i] / 2) return false;
  }
  return true;
}

PoolGeometry read_pool_geometry(const Node& node, const Shape& input) {
  PoolGeometry geometry;
  geometry.kernel = node.get_ints("kernel_shape");
  if (geometry.kernel.empty() || geometry.kernel.size() > 3) {
    throw make_error("kernel_shape must have 1 to 3 values");
  }
  const size_t spatial = geometry.kernel.size();
  geometry.strides = node.get_ints("strides", filled(spatial, 1));
  geometry.dilations = node.get_ints("dilations", filled(spatial, 1));
  geometry.padding =
      resolve_spatial_padding(node, input, geometry.kernel, geometry.strides, geometry.dilations);
  geometry.ceil_mode = node.get_int("ceil_mode", 0) != 0;
  return geometry;
}

}  // namespace nacre
