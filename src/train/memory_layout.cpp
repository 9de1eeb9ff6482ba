#include "train/memory_layout.h"

#include "util/error.h"
#include "util/quantile.h"

namespace nacre {

std::string to_string(MemoryLayout layout) {
  switch (layout) {
    case MemoryLayout::kMeasured:
      return "measured";
    case MemoryLayout::kContiguous:
      return "contiguous";
    case MemoryLayout::kChannelsLast:
      return "channels_last";
  }
  return "unknown";
}

MemoryLayout memory_layout_named(const std::string& name) {
  for (MemoryLayout layout :
       {MemoryLayout::kMeasured, MemoryLayout::kContiguous, MemoryLayout::kChannelsLast})
    if (to_string(layout) == name) return layout;
  throw make_error("unknown memory layout '", name, "' (measured, contiguous or channels_last)");
}

LayoutTrial::LayoutTrial(MemoryLayout wanted, int steps_per_layout)
    : wanted_(wanted), steps_per_layout_(std::max(1, steps_per_layout)) {
  if (wanted_ != MemoryLayout::kMeasured) chosen_ = wanted_;
}

bool LayoutTrial::decided() const {
  return wanted_ != MemoryLayout::kMeasured || steps_ >= 2 * (1 + steps_per_layout_);
}

MemoryLayout LayoutTrial::next() const {
  if (decided()) return chosen_;
  return steps_ % 2 == 0 ? MemoryLayout::kContiguous : MemoryLayout::kChannelsLast;
}

void LayoutTrial::record(double step_seconds) {
  if (decided()) return;
  bool warm_up = steps_ < 2;
  if (!warm_up)
    (next() == MemoryLayout::kContiguous ? contiguous_seconds_ : channels_last_seconds_)
        .push_back(step_seconds);
  ++steps_;
  if (decided())
    chosen_ = median(channels_last_seconds_) < median(contiguous_seconds_) ? MemoryLayout::kChannelsLast
                                                                           : MemoryLayout::kContiguous;
}

}  // namespace nacre
