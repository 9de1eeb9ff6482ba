// Pieces shared by the training loops of src/train (LibTorch-facing, used only by its .cpp files):
// weight snapshots for rollback and best-so-far, divergence detection, optimizers, thread-count scope.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <vector>

#include "train/memory_layout.h"
#include "train/optimizer_kind.h"

namespace nacre {

// Sets LibTorch's intra-op thread count for a scope and restores the previous count (0: leave as is).
class ThreadCountScope {
 public:
  explicit ThreadCountScope(int threads);
  ~ThreadCountScope();

 private:
  int previous_ = 0;
};

// A copy of a module's parameters and buffers (BatchNorm running statistics included).
class ModuleSnapshot {
 public:
  ModuleSnapshot() = default;
  explicit ModuleSnapshot(const torch::nn::Module& module);
  void restore_into(torch::nn::Module& module) const;
  bool empty() const { return tensors_.empty(); }

 private:
  std::vector<torch::Tensor> tensors_;
};

// A loss diverges when it is not finite, or above factor x the reference: the first loss seen, but not
// less than `floor` (so that a nearly perfect start does not make ordinary noise look like divergence).
class DivergenceDetector {
 public:
  DivergenceDetector(double factor, double floor) : factor_(factor), floor_(floor) {}
  bool diverged(double loss);

 private:
  double factor_, floor_, reference_ = -1;
};

std::unique_ptr<torch::optim::Optimizer> make_optimizer(OptimizerKind kind,
                                                        std::vector<torch::Tensor> parameters,
                                                        double learning_rate, double momentum,
                                                        double weight_decay);
void set_learning_rate(torch::optim::Optimizer& optimizer, double learning_rate);

// True when every parameter and buffer of `module` is finite.
bool all_finite(const torch::nn::Module& module);

// Rows `indices` of `tensor` (dimension 0).
torch::Tensor take_rows(const torch::Tensor& tensor, const std::vector<int64_t>& indices);

// `batch` in `layout` when it is [N, C, H, W] and the layout is channels-last; otherwise `batch` as it is.
// Convolutions keep their input's layout, so a whole network follows its input batch's.
torch::Tensor in_layout(const torch::Tensor& batch, MemoryLayout layout);

}  // namespace nacre
