// Losses against their textbook definitions, computed here independently.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "exec/graph_module_torch.h"
#include "train/losses.h"
#include "util/error.h"

namespace nacre {
namespace {

TEST(Losses, DistillationIsTemperatureScaledKlFromTheTeacher) {
  torch::manual_seed(1);
  torch::Tensor student = torch::randn({5, 4}, torch::kDouble),
                teacher = torch::randn({5, 4}, torch::kDouble);
  const double temperature = 3;
  torch::Tensor p = torch::softmax(teacher / temperature, 1), q = torch::softmax(student / temperature, 1);
  const double expected = (p * (p.log() - q.log())).sum(1).mean().item<double>() * temperature * temperature;
  EXPECT_NEAR(distillation_loss(student, teacher, temperature).item<double>(), expected, 1e-12);
  EXPECT_NEAR(distillation_loss(teacher, teacher, temperature).item<double>(), 0.0, 1e-12);
  EXPECT_THROW(distillation_loss(student, teacher, 0.0), Error);
  EXPECT_THROW(distillation_loss(student, teacher.slice(1, 0, 3), 1.0), Error);
}

TEST(Losses, DistillationGradientsReachOnlyTheStudent) {
  torch::Tensor student = torch::randn({3, 4}).requires_grad_(),
                teacher = torch::randn({3, 4}).requires_grad_();
  distillation_loss(student, teacher, 2.0).backward();
  EXPECT_TRUE(student.grad().defined());
  EXPECT_GT(student.grad().abs().sum().item<double>(), 0);
  EXPECT_FALSE(teacher.grad().defined());
}

TEST(Losses, CrossEntropyAndFeatureMse) {
  torch::Tensor logits = torch::tensor({{2.0, 0.0}, {0.0, 1.0}}, torch::kDouble);
  torch::Tensor labels = torch::tensor({0, 0}, torch::kLong);
  const double expected = 0.5 * (std::log(1 + std::exp(-2.0)) + std::log(1 + std::exp(1.0)));
  EXPECT_NEAR(label_cross_entropy(logits, labels).item<double>(), expected, 1e-12);
  torch::Tensor a = torch::tensor({1.0, 2.0, 3.0}), b = torch::tensor({1.0, 0.0, 6.0});
  EXPECT_NEAR(feature_mse_loss(a, b).item<double>(), (0 + 4 + 9) / 3.0, 1e-6);
  EXPECT_THROW(feature_mse_loss(a, b.slice(0, 0, 2)), Error);
}

TEST(Losses, NoiseToSignalIsMseOverTargetVariance) {
  torch::Tensor target = torch::tensor({1.0f, 2.0f, 3.0f, 6.0f});  // mean 3, variance 3.5
  EXPECT_NEAR(noise_to_signal(target, target), 0.0, 1e-12);
  EXPECT_NEAR(noise_to_signal(torch::full({4}, 3.0f), target), 1.0, 1e-9);  // predicting the mean
  torch::Tensor off = target + 1.0f;                                        // MSE 1
  EXPECT_NEAR(noise_to_signal(off, target), 1.0 / 3.5, 1e-9);
  EXPECT_NEAR(noise_to_signal(from_torch(off), from_torch(target)), 1.0 / 3.5, 1e-9);
}

}  // namespace
}  // namespace nacre
