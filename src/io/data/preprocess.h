// Turns uint8 images into a model's float input: scale to [0,1], per-channel (x - mean) / std, and fit to
// the model's spatial size. Fit kAuto: centre pad when the image fits inside the model's H x W, else resize
// (bilinear, cv::INTER_LINEAR); kPad: pad, Error if an image is larger; kResize: always resize. Padding adds
// zero pixels to the raw image (as torchvision's Pad before Normalize), so padded values are -mean / std.
#pragma once

#include <cstdint>
#include <vector>

#include "io/data/dataset.h"

namespace nacre {

struct Preprocessing {
  std::vector<float> mean;                      // one per channel, or one for all; empty = 0
  std::vector<float> std;                       // one per channel, or one for all; empty = 1
  int64_t channels = 0, height = 0, width = 0;  // the model's input [C, H, W]
  enum class Fit { kAuto, kResize, kPad } fit = Fit::kAuto;
};

// Checks that the dataset fits (channel count equal, mean/std length 1 or C); throws Error saying what
// differs.
void check_fits(const LabeledImages& data, const Preprocessing& preprocessing);
// Float32 [end - begin, C, H, W] for examples [begin, end).
Tensor preprocess_batch(const LabeledImages& data, int64_t begin, int64_t end,
                        const Preprocessing& preprocessing);
// The same, zero-padded to `rows` rows when fewer examples are left (a model with a fixed batch size).
Tensor preprocess_padded_batch(const LabeledImages& data, int64_t begin, int64_t end,
                               const Preprocessing& preprocessing, int64_t rows);

}  // namespace nacre
