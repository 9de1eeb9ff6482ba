// NumPy .npy files (format 1.0-3.0, little-endian, C order): float32/64, int8/32/64, uint8, bool.
#pragma once

#include <string>

#include "ir/tensor.h"

namespace nacre {

Tensor read_npy(const std::string& path);
void write_npy(const std::string& path, const Tensor& tensor);

}  // namespace nacre
