#include "train/training_state_torch.h"

#include <cmath>

namespace nacre {

ThreadCountScope::ThreadCountScope(int threads) : previous_(torch::get_num_threads()) {
  if (threads > 0) torch::set_num_threads(threads);
}

ThreadCountScope::~ThreadCountScope() {
  if (torch::get_num_threads() != previous_) torch::set_num_threads(previous_);
}

ModuleSnapshot::ModuleSnapshot(const torch::nn::Module& module) {
  torch::NoGradGuard no_grad;
  for (const torch::Tensor& parameter : module.parameters()) tensors_.push_back(parameter.detach().clone());
  for (const torch::Tensor& buffer : module.buffers()) tensors_.push_back(buffer.detach().clone());
}

void ModuleSnapshot::restore_into(torch::nn::Module& module) const {
  torch::NoGradGuard no_grad;
  size_t index = 0;
  for (torch::Tensor& parameter : module.parameters()) parameter.copy_(tensors_.at(index++));
  for (torch::Tensor& buffer : module.buffers()) buffer.copy_(tensors_.at(index++));
}

bool DivergenceDetector::diverged(double loss) {
  if (!std::isfinite(loss)) return true;
  if (reference_ < 0) reference_ = std::max(loss, floor_);
  return loss > factor_ * reference_;
}

std::unique_ptr<torch::optim::Optimizer> make_optimizer(OptimizerKind kind,
                                                        std::vector<torch::Tensor> parameters,
                                                        double learning_rate, double momentum,
                                                        double weight_decay) {
  if (kind == OptimizerKind::kSgdMomentum) {
    return std::make_unique<torch::optim::SGD>(parameters, torch::optim::SGDOptions(learning_rate)
                                                               .momentum(momentum)
                                                               .weight_decay(weight_decay)
                                                               .nesterov(momentum > 0));
  }
  return std::make_unique<torch::optim::Adam>(
      parameters, torch::optim::AdamOptions(learning_rate).weight_decay(weight_decay));
}

void set_learning_rate(torch::optim::Optimizer& optimizer, double learning_rate) {
  for (auto& group : optimizer.param_groups()) group.options().set_lr(learning_rate);
}

bool all_finite(const torch::nn::Module& module) {
  for (const torch::Tensor& parameter : module.parameters()) {
    if (!torch::isfinite(parameter).all().item<bool>()) return false;
  }
  for (const torch::Tensor& buffer : module.buffers()) {
    if (buffer.is_floating_point() && !torch::isfinite(buffer).all().item<bool>()) return false;
  }
  return true;
}

torch::Tensor take_rows(const torch::Tensor& tensor, const std::vector<int64_t>& indices) {
  return tensor.index_select(0, torch::tensor(indices, torch::kLong));
}

torch::Tensor in_layout(const torch::Tensor& batch, MemoryLayout layout) {
  if (layout != MemoryLayout::kChannelsLast || batch.dim() != 4) return batch;
  return batch.contiguous(at::MemoryFormat::ChannelsLast);
}

}  // namespace nacre
