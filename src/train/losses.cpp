#include "train/losses.h"

#include <torch/torch.h>

#include "exec/graph_module_torch.h"
#include "util/error.h"

namespace nacre {

at::Tensor distillation_loss(const at::Tensor& student_logits, const at::Tensor& teacher_logits,
                             double temperature) {
  if (!(temperature > 0)) throw make_error("distillation_loss: temperature must be > 0, got ", temperature);
  if (student_logits.sizes() != teacher_logits.sizes()) {
    throw make_error("distillation_loss: student logits ", student_logits.sizes(), " and teacher logits ",
                     teacher_logits.sizes(), " differ in shape");
  }
  at::Tensor student_log_p = torch::log_softmax(student_logits / temperature, 1);
  at::Tensor teacher_log_p = torch::log_softmax(teacher_logits.detach() / temperature, 1);
  at::Tensor kl = (teacher_log_p.exp() * (teacher_log_p - student_log_p)).sum(1).mean();
  return kl * (temperature * temperature);
}

at::Tensor label_cross_entropy(const at::Tensor& logits, const at::Tensor& labels) {
  return torch::nn::functional::cross_entropy(logits, labels);
}

at::Tensor feature_mse_loss(const at::Tensor& prediction, const at::Tensor& target) {
  if (prediction.sizes() != target.sizes()) {
    throw make_error("feature_mse_loss: prediction ", prediction.sizes(), " and target ", target.sizes(),
                     " differ in shape");
  }
  return torch::mse_loss(prediction, target);
}

double noise_to_signal(const at::Tensor& prediction, const at::Tensor& target) {
  torch::NoGradGuard no_grad;
  at::Tensor p = prediction.to(torch::kDouble), t = target.to(torch::kDouble);
  const double mse = feature_mse_loss(p, t).item<double>();
  const double variance = t.var(/*unbiased=*/false).item<double>();
  return mse / std::max(variance, 1e-12);
}

double noise_to_signal(const Tensor& prediction, const Tensor& target) {
  return noise_to_signal(to_torch(prediction), to_torch(target));
}

}  // namespace nacre
