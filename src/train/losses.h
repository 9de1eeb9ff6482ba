// Training losses on LibTorch tensors (for src/train's .cpp files), and the noise-to-signal ratio that
// measures how well a block reproduces its teacher, also on nacre Tensors for callers without LibTorch.
#pragma once

#include <ATen/core/Tensor.h>

#include "ir/tensor.h"

namespace nacre {

// Hinton's distillation term: KL(softmax(teacher / T) || softmax(student / T)) * T^2, averaged over the
// batch. Logits are [N, K]; the T^2 keeps gradient magnitudes comparable across temperatures.
at::Tensor distillation_loss(const at::Tensor& student_logits, const at::Tensor& teacher_logits,
                             double temperature);
// Mean cross-entropy of logits [N, K] against int64 class indices [N].
at::Tensor label_cross_entropy(const at::Tensor& logits, const at::Tensor& labels);
// Mean squared error between a block's output and its teacher's activations (same shape).
at::Tensor feature_mse_loss(const at::Tensor& prediction, const at::Tensor& target);

// NSR = MSE(prediction, target) / Var(target), the variance over all of target's elements. 0 is a perfect
// copy, 1 is as good as predicting the target's mean. A constant target (variance 0) divides by 1e-12.
double noise_to_signal(const at::Tensor& prediction, const at::Tensor& target);
double noise_to_signal(const Tensor& prediction, const Tensor& target);  // float tensors of equal shape

}  // namespace nacre
