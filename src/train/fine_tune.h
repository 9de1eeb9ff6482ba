// End-to-end fine-tuning with knowledge distillation from the baseline (the teacher), whose logits are
// computed once by the caller (teacher_activations at the output) and may be cached on disk.
//   loss = alpha * KL(softmax(t / T) || softmax(s / T)) * T^2 + (1 - alpha) * CE(s, labels)
// Without labels (tasks that have none) the loss is the teacher term alone.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "ir/graph.h"
#include "train/memory_layout.h"
#include "train/optimizer_kind.h"

namespace nacre {

struct FineTuneData {
  Tensor inputs;          // float32 [N, ...]: the model's preprocessed inputs (N x example size in memory)
  Tensor teacher_logits;  // float32 [N, K]: the teacher's outputs for `inputs`
  std::vector<int64_t> labels;  // N class indices, or empty
};

struct FineTuneOptions {
  OptimizerKind optimizer = OptimizerKind::kSgdMomentum;
  double learning_rate = 0.01;  // cosine-decayed to 0 over the budget
  double momentum = 0.9;        // SGD only
  double weight_decay = 5e-4;
  int64_t batch_size = 64;
  double epochs = 1;               // the step budget, in passes over the data, when max_steps <= 0
  int64_t max_steps = 0;           // the step budget when > 0
  double time_budget_seconds = 0;  // stops cleanly at whichever budget ends first (<= 0: none)
  double temperature = 4;
  // Weight of the teacher term (ignored without labels). 0.5: the same architecture from the same start,
  // 10 minutes on one thread, reached 77.72% validation at 0.5 and 75.70% at 0.9 against a teacher of 77.14%
  // (resnet18_cifar10, bench/RESULTS.md, 2026-12-02): the labels let a student pass a weak teacher.
  double alpha = 0.5;
  bool augment = false;  // random crop with zero padding and horizontal flip, on [N, C, H, W]
  int64_t crop_padding = 4;
  bool horizontal_flip = true;
  bool train_with_batchnorm = true;  // unfold BN after each Conv for training, fold it back at the end
  int64_t checkpoint_every = 25;     // steps between snapshots of the last good weights
  int max_rollbacks = 3;             // divergences survived (each rolls back and halves the rate)
  double divergence_factor = 10;     // a loss above this x the initial loss is divergence
  uint64_t seed = 0;
  int threads = 0;  // LibTorch intra-op threads (0: leave as set)
  // Of [N, C, H, W] batches: measured by default (memory_layout.h); other inputs stay contiguous.
  MemoryLayout memory_layout = MemoryLayout::kMeasured;
  // After each step; total is the step budget (0 when only a time budget is given).
  std::function<void(int64_t step, int64_t total, double loss)> progress;
};

struct FineTuneResult {
  Graph trained;                     // BN folded when trained with BN
  std::vector<double> loss_history;  // the loss of every step taken
  int64_t steps = 0;
  double seconds = 0;
  int rollbacks = 0;
  bool diverged = false;         // diverged more than max_rollbacks times: `trained` is the last good weights
  bool stopped_by_time = false;  // the time budget ended training before the step budget
  // Of the batches after the layout trial (when training ended within it: the layout it would have tried
  // next).
  MemoryLayout memory_layout = MemoryLayout::kContiguous;
};

// `student` has one runtime input and one output [N, K] like the teacher's logits. Throws Error when the
// data do not fit (counts, shapes, labels out of range).
FineTuneResult fine_tune(const Graph& student, const FineTuneData& data, const FineTuneOptions& options = {});

}  // namespace nacre
