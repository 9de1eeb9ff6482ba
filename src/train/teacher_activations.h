// The teacher's activations at chosen cuts, for blockwise distillation (a block's input and output cuts)
// and for knowledge distillation (the output cut: the teacher's logits).
//
// Memory: the result holds N x (per-example size of each cut) floats, all in memory at once; e.g. 10,000
// CIFAR-10 examples at a ResNet-18 cut of 128 x 16 x 16 take 10,000 x 32,768 x 4 B = 1.3 GB.
// activation_bytes() says the size before running; options.max_bytes refuses a run that would exceed it.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "ir/graph.h"

namespace nacre {

struct ActivationOptions {
  int64_t batch_size = 64;
  int threads = 0;        // sets LibTorch's intra-op threads for the process (0: leave as set)
  int64_t max_bytes = 0;  // refuse (Error) when the activations would take more (0: no limit)
  std::function<void(int64_t done, int64_t total)> progress;  // examples done, after each batch
};

// The model's preprocessed inputs for examples [begin, end): float32 [end - begin, ...].
using InputBatches = std::function<Tensor(int64_t begin, int64_t end)>;

// Runs `model` once over examples [0, example_count) in batches and returns, per cut (a ValueId of
// `model`), a float32 tensor [example_count, ...] of that value. The model's first input takes the batch
// (its batch dimension must accept any size); it must have no other runtime inputs.
std::vector<Tensor> teacher_activations(const Graph& model, const std::vector<ValueId>& cuts,
                                        int64_t example_count, const InputBatches& batches,
                                        const ActivationOptions& options = {});
// The same for inputs already in memory: float32 [N, ...].
std::vector<Tensor> teacher_activations(const Graph& model, const std::vector<ValueId>& cuts,
                                        const Tensor& inputs, const ActivationOptions& options = {});

// Bytes the activations at `cuts` take for `example_count` examples, from the inferred shapes (the batch
// dimension excluded); -1 when a cut's shape is not known.
int64_t activation_bytes(const Graph& model, const std::vector<ValueId>& cuts, int64_t example_count);

}  // namespace nacre
