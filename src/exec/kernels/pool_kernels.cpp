// MaxPool, AveragePool (1-3 spatial dimensions) and the global pools.
#include <ATen/ATen.h>

#include <limits>

#include "exec/kernels/kernel.h"
#include "util/error.h"

namespace nacre::kernels {

namespace {

PoolGeometry pool_geometry(const KernelContext& context) {
  return read_pool_geometry(context.node, sizes_of(context.input(0)));
}

at::Tensor max_pool(const at::Tensor& input, const PoolGeometry& geometry,
                    const std::vector<int64_t>& padding) {
  switch (geometry.kernel.size()) {
    case 1:
      return at::max_pool1d(input, geometry.kernel, geometry.strides, padding, geometry.dilations,
                            geometry.ceil_mode);
    case 2:
      return at::max_pool2d(input, geometry.kernel, geometry.strides, padding, geometry.dilations,
                            geometry.ceil_mode);
    case 3:
      return at::max_pool3d(input, geometry.kernel, geometry.strides, padding, geometry.dilations,
                            geometry.ceil_mode);
  }
  throw make_error("MaxPool supports 1 to 3 spatial dimensions, got ", geometry.kernel.size());
}

at::Tensor average_pool(const at::Tensor& input, const PoolGeometry& geometry,
                        const std::vector<int64_t>& padding, bool count_include_pad) {
  switch (geometry.kernel.size()) {
    case 1:
      return at::avg_pool1d(input, geometry.kernel, geometry.strides, padding, geometry.ceil_mode,
                            count_include_pad);
    case 2:
      return at::avg_pool2d(input, geometry.kernel, geometry.strides, padding, geometry.ceil_mode,
                            count_include_pad);
    case 3:
      return at::avg_pool3d(input, geometry.kernel, geometry.strides, padding, geometry.ceil_mode,
                            count_include_pad);
  }
  throw make_error("AveragePool supports 1 to 3 spatial dimensions, got ", geometry.kernel.size());
}

std::vector<int64_t> spatial_dims(const at::Tensor& input) {
  std::vector<int64_t> dims;
  for (int64_t dim = 2; dim < input.dim(); ++dim) dims.push_back(dim);
  return dims;
}

}  // namespace

Tensors run_max_pool(const KernelContext& context) {
  PoolGeometry geometry = pool_geometry(context);
  const at::Tensor& input = context.input(0);
  if (geometry.torch_can_pad()) return {max_pool(input, geometry, geometry.padding.begin)};
  at::Tensor padded = pad_spatial(input, geometry.padding, -std::numeric_limits<double>::infinity());
  return {max_pool(padded, geometry, std::vector<int64_t>(geometry.kernel.size(), 0))};
}

Tensors run_average_pool(const KernelContext& context) {
  PoolGeometry geometry = pool_geometry(context);
  const at::Tensor& input = context.input(0);
  const bool count_include_pad = context.node.get_int("count_include_pad", 0) != 0;
  if (geometry.torch_can_pad()) {
    return {average_pool(input, geometry, geometry.padding.begin, count_include_pad)};
  }
  const std::vector<int64_t> no_padding(geometry.kernel.size(), 0);
  at::Tensor padded = pad_spatial(input, geometry.padding, 0.0);
  at::Tensor sums = average_pool(padded, geometry, no_padding, true);
  if (count_include_pad) return {sums};
  // Divide by the share of each window that lies inside the unpadded input.
  std::vector<int64_t> mask_shape(input.dim(), 1);
  for (int64_t dim = 2; dim < input.dim(); ++dim) mask_shape[dim] = input.size(dim);
  at::Tensor mask = pad_spatial(at::ones(mask_shape, input.options()), geometry.padding, 0.0);
  return {sums / average_pool(mask, geometry, no_padding, true)};
}

Tensors run_global_average_pool(const KernelContext& context) {
  const at::Tensor& input = context.input(0);
  if (input.dim() <= 2) return {input};
  return {input.mean(spatial_dims(input), /*keepdim=*/true)};
}

Tensors run_global_max_pool(const KernelContext& context) {
  const at::Tensor& input = context.input(0);
  if (input.dim() <= 2) return {input};
  return {input.amax(spatial_dims(input), /*keepdim=*/true)};
}

}  // namespace nacre::kernels
