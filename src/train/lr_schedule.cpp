#include "train/lr_schedule.h"

#include <algorithm>
#include <cmath>

namespace nacre {

double CosineSchedule::at(double progress) const {
  progress = std::clamp(progress, 0.0, 1.0);
  if (warmup_fraction > 0 && progress < warmup_fraction) return base_lr * (progress / warmup_fraction);
  const double span = 1.0 - warmup_fraction;
  const double t = span > 0 ? (progress - warmup_fraction) / span : 1.0;
  const double cosine = 0.5 * (1.0 + std::cos(M_PI * t));
  return base_lr * (final_fraction + (1.0 - final_fraction) * cosine);
}

double budget_progress(int64_t steps_done, int64_t max_steps, double seconds, double time_budget_seconds) {
  double progress = 0.0;
  if (max_steps > 0) progress = std::max(progress, static_cast<double>(steps_done) / max_steps);
  if (time_budget_seconds > 0) progress = std::max(progress, seconds / time_budget_seconds);
  return std::min(progress, 1.0);
}

}  // namespace nacre
