// The memory layout of the image batches fine-tuning feeds its model. LibTorch 1.13's oneDNN convolutions
// run depthwise and narrow convolutions much faster on channels-last (NHWC) batches, and dense 3x3 ones no
// faster or slower: a training step of torchvision's MobileNetV2 on 32x32 images took 0.53 s channels-last
// against 0.81 s contiguous, one of its ResNet-18 (CIFAR stem) 5.0 s against 4.7 s (batch 64, one thread).
// So fine-tuning measures its first steps in both layouts and goes on in the faster (LayoutTrial); every
// step trains either way, so the trial wastes none. The price: the same seed may train in another layout
// on another run, equal up to floating-point rounding (bench/bench_training_layout.sh measures the gain).
#pragma once

#include <string>
#include <vector>

namespace nacre {

enum class MemoryLayout { kMeasured, kContiguous, kChannelsLast };

std::string to_string(MemoryLayout layout);                 // "measured", "contiguous", "channels_last"
MemoryLayout memory_layout_named(const std::string& name);  // to_string's inverse; throws Error otherwise

// Decides the layout from measured step times. The first 2 * (1 + steps_per_layout) steps alternate
// between the layouts, contiguous first; each layout's first step is a warm-up (oneDNN prepares its
// primitives) and is not counted. Then the layout whose counted steps took less time at the median is
// kept (contiguous on a tie).
class LayoutTrial {
 public:
  explicit LayoutTrial(MemoryLayout wanted = MemoryLayout::kMeasured, int steps_per_layout = 3);

  MemoryLayout next() const;         // the layout of the next step: kContiguous or kChannelsLast
  void record(double step_seconds);  // the time of the step just taken in next()'s layout
  bool decided() const;              // the trial is over (or there was none)

 private:
  MemoryLayout wanted_;
  int steps_per_layout_;
  int steps_ = 0;
  std::vector<double> contiguous_seconds_, channels_last_seconds_;
  MemoryLayout chosen_ = MemoryLayout::kContiguous;
};

}  // namespace nacre
