// Blockwise distillation: a candidate block trained to reproduce its teacher block's output from the
// teacher block's input (both the teacher's activations at the cuts), starting from its inherited weights.
// One call is one independent unit of work: it depends only on its arguments (and the seed).
#pragma once

#include <cstdint>
#include <functional>

#include "ir/graph.h"

namespace nacre {

struct DistillOptions {
  double learning_rate = 1e-3;  // Adam, cosine-decayed over the budget
  int64_t batch_size = 32;
  int64_t max_steps = 300;           // the step budget (<= 0: none; then a time budget is required)
  double time_budget_seconds = 0;    // stops at whichever budget ends first (<= 0: none)
  double holdout_fraction = 0.2;     // examples kept out of training to measure NSR (0: measure on all)
  int64_t evaluate_every = 25;       // steps between held-out evaluations (best weights are kept)
  bool train_with_batchnorm = true;  // unfold BN after each Conv for training, fold it back at the end
  int max_rollbacks = 3;             // divergences survived (each rolls back and halves the rate)
  double divergence_factor = 10;     // a loss above this x the initial loss is divergence
  uint64_t seed = 0;
  int threads = 0;  // LibTorch intra-op threads (0: leave as set)
  // After each step; total is the step budget (0 when only a time budget is given).
  std::function<void(int64_t step, int64_t total, double loss)> progress;
};

struct DistillResult {
  Graph trained;          // the best weights seen (by held-out NSR), BN folded when trained with BN
  double nsr_before = 0;  // held-out NSR of the candidate as given
  double nsr_after = 0;   // held-out NSR of `trained` (never above nsr_before)
  int steps = 0;
  double seconds = 0;
  int rollbacks = 0;
  bool diverged = false;  // training diverged more than max_rollbacks times and was stopped
};

// `candidate` has one runtime input and one output; `inputs` [N, ...] and `targets` [N, ...] are float32
// with the same N >= 2 (inputs fitting the candidate's input, targets its output). Throws Error for
// mismatched shapes; a target that cannot be fit ends at the budget with its NSR reported.
DistillResult distill_block(const Graph& candidate, const Tensor& inputs, const Tensor& targets,
                            const DistillOptions& options = {});

}  // namespace nacre
