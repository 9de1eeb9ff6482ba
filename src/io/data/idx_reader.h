// IDX files (the MNIST format), gzipped or plain: unsigned-byte images and labels.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ir/tensor.h"

namespace nacre {

// uint8 [N, 1, H, W] from an idx3-ubyte file (magic 0x00000803).
Tensor read_idx_images(const std::string& path);
// N labels from an idx1-ubyte file (magic 0x00000801).
std::vector<int64_t> read_idx_labels(const std::string& path);

}  // namespace nacre
