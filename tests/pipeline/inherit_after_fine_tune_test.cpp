// Weight sharing survives real fine-tuning: BatchNorm is unfolded for training and folded back, and the
// trained model's nodes must still be found by name, so an architecture inheriting from its own fine-tuned
// model reproduces it.
#include <gtest/gtest.h>

#include "exec/inference_session.h"
#include "io/onnx/load_model.h"
#include "space/inherit_trained_weights.h"
#include "test_paths.h"
#include "train/fine_tune.h"

namespace nacre {
namespace {

Tensor random_tensor(Shape shape, uint32_t seed) {
  Tensor tensor(DataType::kFloat32, shape);
  uint32_t state = seed;
  for (int64_t i = 0; i < tensor.numel(); ++i) {
    state = state * 1664525u + 1013904223u;
    tensor.mutable_data<float>()[i] = static_cast<float>(state >> 8) / static_cast<float>(1u << 24) - 0.5f;
  }
  return tensor;
}

TEST(InheritAfterFineTune, AFineTunedArchitectureHandsEveryWeightBack) {
  SearchSpace space = build_search_space(load_model(testing::fixture("resnet18_dynamic_batch.onnx")));
  Architecture architecture = keep_everything(space);
  for (size_t b = 0; b < space.candidates.size(); ++b) {
    architecture.choices[b] = static_cast<int>(space.candidates[b].size()) / 2;
  }
  Graph start = materialize(space, architecture);
  Shape input_shape = start.value(start.inputs[0]).shape.value();
  input_shape[0] = 8;
  FineTuneData data{random_tensor(input_shape, 1), random_tensor({8, 1000}, 2), {}};
  FineTuneOptions options;
  options.max_steps = 2;
  options.batch_size = 4;
  Graph trained = fine_tune(start, data, options).trained;

  Graph inherited = materialize(space, architecture);
  EXPECT_GT(inherit_trained_weights(inherited, space, architecture, trained, architecture), 0);
  input_shape[0] = 2;
  Tensor input = random_tensor(input_shape, 3);
  Tensor expected = InferenceSession(trained).run({input})[0];
  Tensor actual = InferenceSession(inherited).run({input})[0];
  ASSERT_EQ(actual.shape(), expected.shape());
  float worst = 0;
  for (int64_t i = 0; i < actual.numel(); ++i) {
    worst = std::max(worst, std::abs(actual.data<float>()[i] - expected.data<float>()[i]));
  }
  EXPECT_EQ(worst, 0.0f);
  // and the fine-tuned weights differ from the starting ones, so the comparison means something
  Tensor before = InferenceSession(start).run({input})[0];
  float moved = 0;
  for (int64_t i = 0; i < before.numel(); ++i) {
    moved = std::max(moved, std::abs(before.data<float>()[i] - expected.data<float>()[i]));
  }
  EXPECT_GT(moved, 0.0f);
}

}  // namespace
}  // namespace nacre
