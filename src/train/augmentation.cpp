#include "train/augmentation_torch.h"

namespace nacre {

torch::Tensor augment_images(const torch::Tensor& batch, int64_t padding, bool flip) {
  if (batch.dim() != 4 || (padding <= 0 && !flip)) return batch;
  const int64_t count = batch.size(0), height = batch.size(2), width = batch.size(3);
  torch::Tensor padded =
      padding > 0 ? torch::constant_pad_nd(batch, {padding, padding, padding, padding}, 0) : batch;
  torch::Tensor offsets = torch::randint(0, 2 * padding + 1, {count, 2}, torch::kLong);
  torch::Tensor flips = torch::rand({count}) < 0.5;
  std::vector<torch::Tensor> examples;
  for (int64_t i = 0; i < count; ++i) {
    const int64_t top = offsets[i][0].item<int64_t>(), left = offsets[i][1].item<int64_t>();
    torch::Tensor example = padded[i].slice(1, top, top + height).slice(2, left, left + width);
    if (flip && flips[i].item<bool>()) example = example.flip({2});
    examples.push_back(example);
  }
  return torch::stack(examples);
}

}  // namespace nacre
