// Decodes image files (anything OpenCV's imgcodecs reads) into one uint8 [N, C, H, W] tensor, in parallel.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ir/tensor.h"

namespace nacre {

struct DecodeProgress {
  void (*callback)(int64_t done, int64_t total, void* context) = nullptr;
  void* context = nullptr;
};

// Channels: gray stays C=1, colour becomes RGB (C=3), alpha is dropped; 16-bit images are scaled to 8 bits.
// Every image must have the first one's size and channel count, else Error naming the first odd file.
// `files` must not be empty. Progress is reported from the calling thread, about ten times a second.
Tensor decode_images(const std::vector<std::string>& files, DecodeProgress progress, int threads = 2);

}  // namespace nacre
