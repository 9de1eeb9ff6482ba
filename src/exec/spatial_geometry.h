// ONNX's spatial rules that the executor and the TorchScript writer share: padding from pads or auto_pad, and
// a pool's geometry. Torch-free; errors are nacre::Error, to which callers add the node.
#pragma once

#include <cstdint>
#include <vector>

#include "ir/graph.h"

namespace nacre {

// Padding of the spatial dimensions (those after batch and channel) of Conv and the pools.
struct SpatialPadding {
  std::vector<int64_t> begin, end;
  bool symmetric() const { return begin == end; }
};

// From the node's pads or auto_pad (SAME_UPPER, SAME_LOWER, VALID) on a static input shape [N, C, ...];
// `kernel` is the undilated kernel size.
SpatialPadding resolve_spatial_padding(const Node& node, const Shape& input,
                                       const std::vector<int64_t>& kernel,
                                       const std::vector<int64_t>& strides,
                                       const std::vector<int64_t>& dilations);

struct PoolGeometry {
  std::vector<int64_t> kernel, strides, dilations;
  SpatialPadding padding;
  bool ceil_mode = false;
  // LibTorch pads only symmetrically and by at most half the kernel; otherwise the input is padded first.
  bool torch_can_pad() const;
};

// MaxPool / AveragePool attributes (1 to 3 spatial dimensions) on a static input shape.
PoolGeometry read_pool_geometry(const Node& node, const Shape& input);

}  // namespace nacre
