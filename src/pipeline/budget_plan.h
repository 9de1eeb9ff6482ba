// How a time budget is spent: each stage's share, and what that means in examples, steps and seconds.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>

namespace nacre {

struct BudgetPlan {
  double total_seconds = 0;
  int64_t distill_examples = 0;  // teacher activations are taken on this many training examples
  double distill_seconds_per_candidate = 0;
  double latency_seconds_per_candidate = 0;    // time cap of each candidate's measurement
  int latency_calibration_architectures = 0;   // measured end to end to correct the block sum
  int accuracy_calibration_architectures = 0;  // stitched and evaluated to calibrate the accuracy predictor
  int accuracy_finetune_architectures = 0;  // fine-tuned briefly to calibrate it on accuracy after training
  double accuracy_finetune_seconds = 0;     // each
  int64_t calibration_val_examples = 0;
  double search_seconds = 0;
  int finetune_architectures = 0;
  double finetune_seconds_per_architecture = 0;
  // After a slot met the constraint, the fastest of its single-change neighbours are trained this briefly
  // from its weights and measured, to choose the next slot's architecture (neighbour_probe.h).
  int neighbour_probes = 0;
  double neighbour_probe_seconds = 0;  // each
  double verify_seconds = 0;           // the final interleaved measurement's time cap
};

// `candidates` counts non-keep candidates over all blocks; `train_examples` what the training split holds;
// `fine_tune_slots` > 0 replaces the number of fine-tuning slots the budget would give.
BudgetPlan plan_budget(double total_seconds, int64_t candidates, int64_t train_examples,
                       int fine_tune_slots = 0);
nlohmann::json to_json(const BudgetPlan& plan);

}  // namespace nacre
