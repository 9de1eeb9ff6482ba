// Deterministic shuffling of example indices: held-out splits and minibatch order.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace nacre {

struct ExampleSplit {
  std::vector<int64_t> train, holdout;  // holdout empty when the fraction is 0
};

// A seeded random split of [0, count): round(fraction * count) held out, at least one of each when
// fraction > 0 and count >= 2.
ExampleSplit split_examples(int64_t count, double holdout_fraction, uint64_t seed);

// Endless minibatches over `examples`: each pass a fresh seeded permutation; a batch never spans passes.
class MinibatchSampler {
 public:
  MinibatchSampler(std::vector<int64_t> examples, int64_t batch_size, uint64_t seed);
  std::vector<int64_t> next();

 private:
  std::vector<int64_t> examples_;
  int64_t batch_size_;
  size_t position_;
  std::mt19937_64 random_;
};

}  // namespace nacre
