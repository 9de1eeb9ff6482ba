// Copies between nacre::Tensor and LibTorch tensors, declared without torch/torch.h for the kernel files.
// (graph_module_torch.h declares the same two functions for users of the module.)
#pragma once

#include <ATen/core/Tensor.h>

#include "ir/tensor.h"

namespace nacre {

at::Tensor to_torch(const Tensor& tensor);    // copies
Tensor from_torch(const at::Tensor& tensor);  // copies (contiguous, CPU)

at::ScalarType to_scalar_type(DataType dtype);
DataType to_data_type(at::ScalarType scalar_type);  // throws for types nacre does not hold

}  // namespace nacre
