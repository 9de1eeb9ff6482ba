// Data augmentation on a float image batch [N, C, H, W] (already normalised), drawn from LibTorch's
// global generator (seeded by the training loop).
#pragma once

#include <torch/torch.h>

namespace nacre {

// Per example: a random H x W crop of the image zero-padded by `padding` on each side (zero is the mean
// pixel after normalisation), then a horizontal flip with probability 1/2 when `flip` is set.
torch::Tensor augment_images(const torch::Tensor& batch, int64_t padding, bool flip);

}  // namespace nacre
