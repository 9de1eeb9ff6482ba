#include "train/example_split.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "util/error.h"

namespace nacre {

ExampleSplit split_examples(int64_t count, double holdout_fraction, uint64_t seed) {
  if (holdout_fraction < 0 || holdout_fraction >= 1) {
    throw make_error("the held-out fraction must be in [0, 1), got ", holdout_fraction);
  }
  std::vector<int64_t> order(count);
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 random(seed);
  std::shuffle(order.begin(), order.end(), random);
  int64_t held = static_cast<int64_t>(std::llround(holdout_fraction * count));
  if (holdout_fraction > 0 && count >= 2) held = std::clamp<int64_t>(held, 1, count - 1);
  ExampleSplit split;
  split.holdout.assign(order.begin(), order.begin() + held);
  split.train.assign(order.begin() + held, order.end());
  std::sort(split.holdout.begin(), split.holdout.end());
  std::sort(split.train.begin(), split.train.end());
  return split;
}

MinibatchSampler::MinibatchSampler(std::vector<int64_t> examples, int64_t batch_size, uint64_t seed)
    : examples_(std::move(examples)),
      batch_size_(std::clamp<int64_t>(batch_size, 1, std::max<int64_t>(1, examples_.size()))),
      position_(examples_.size()),
      random_(seed) {
  if (examples_.empty()) throw make_error("no training examples to draw minibatches from");
}

std::vector<int64_t> MinibatchSampler::next() {
  if (position_ + batch_size_ > examples_.size()) {
    std::shuffle(examples_.begin(), examples_.end(), random_);
    position_ = 0;
  }
  std::vector<int64_t> batch(examples_.begin() + position_, examples_.begin() + position_ + batch_size_);
  position_ += batch_size_;
  return batch;
}

}  // namespace nacre
