// Learning-rate schedules driven by the fraction of the training budget used, so that a step budget and a
// time budget (whichever ends first) decay the rate the same way.
#pragma once

#include <cstdint>

namespace nacre {

// Cosine decay from base_lr at progress 0 to final_fraction * base_lr at progress 1, after a linear
// warm-up over the first warmup_fraction of the budget.
struct CosineSchedule {
  double base_lr = 1e-3;
  double final_fraction = 0.0;
  double warmup_fraction = 0.0;

  double at(double progress) const;  // progress is clamped to [0, 1]
};

// The fraction of the budget used: the larger of steps done / max_steps and seconds / time_budget_seconds
// (a budget <= 0 is no limit). Returns 0 when neither budget is set.
double budget_progress(int64_t steps_done, int64_t max_steps, double seconds, double time_budget_seconds);

}  // namespace nacre
