// Fine-tuning for a time budget, as optimize trains its architectures and as `nacre finetune` trains the
// alternatives: augmentation for images of 16 pixels and more, progress shown in seconds of the budget.
#pragma once

#include <string>

#include "train/fine_tune.h"

namespace nacre {

struct BudgetedFineTune {
  double seconds = 60;
  int64_t max_steps = 0;  // a step budget too when > 0 (whichever ends first)
  double learning_rate = FineTuneOptions{}.learning_rate;
  double teacher_weight = FineTuneOptions{}.alpha;  // of the distillation term; the rest goes to the labels
  MemoryLayout memory_layout = MemoryLayout::kMeasured;  // of the training batches
  int64_t image_height = 0;  // of the model's input: random crops and flips from 16 pixels up
  int threads = 0;
  uint64_t seed = 0;
  std::string label;  // shown beside the progress, e.g. "fine-tune 0.3.1.0"
  bool show_progress = true;
};

FineTuneResult fine_tune_for_budget(const Graph& start, const FineTuneData& data,
                                    const BudgetedFineTune& plan);

}  // namespace nacre
