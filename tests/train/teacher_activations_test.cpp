// Teacher activations at cuts: equal to running the model with those values as outputs, in any batching.
#include <gtest/gtest.h>

#include "train/teacher_activations.h"
#include "train_test_helpers.h"
#include "util/error.h"

namespace nacre {
namespace {

Tensor run_with_output(const Graph& model, ValueId output, const Tensor& inputs) {
  Graph graph = model.clone();
  graph.outputs = {output};
  return InferenceSession(graph).run({inputs})[0];
}

TEST(TeacherActivations, EqualRunningTheModelWithTheCutsAsOutputs) {
  const Graph model = testing::tiny_cnn();
  const Tensor inputs = testing::fashion_mnist_inputs(Split::kTrain, 10).images;
  const std::vector<ValueId> cuts = {model.find_value("/MaxPool_output_0"),
                                     model.find_value("/Relu_1_output_0"), model.outputs[0]};
  ActivationOptions options;
  options.batch_size = 3;  // 3 + 3 + 3 + 1: the last batch is short
  std::vector<int64_t> reported;
  options.progress = [&](int64_t done, int64_t total) {
    EXPECT_EQ(total, 10);
    reported.push_back(done);
  };
  std::vector<Tensor> activations = teacher_activations(model, cuts, inputs, options);

  EXPECT_EQ(reported, (std::vector<int64_t>{3, 6, 9, 10}));
  ASSERT_EQ(activations.size(), cuts.size());
  for (size_t k = 0; k < cuts.size(); ++k) {
    const Tensor expected = run_with_output(model, cuts[k], inputs);
    ASSERT_EQ(activations[k].shape(), expected.shape()) << model.value(cuts[k]).name;
    EXPECT_EQ(activations[k].shape()[0], 10);
    const std::vector<float> got = activations[k].to_vector<float>(), want = expected.to_vector<float>();
    for (size_t i = 0; i < got.size(); ++i)
      ASSERT_NEAR(got[i], want[i], 1e-5) << model.value(cuts[k]).name << " " << i;
  }
  int64_t total_bytes = 0;
  for (const Tensor& activation : activations) total_bytes += static_cast<int64_t>(activation.byte_size());
  EXPECT_EQ(activation_bytes(model, cuts, 10), total_bytes);
}

TEST(TeacherActivations, ACutAtTheModelInputReturnsTheInputs) {
  const Graph model = testing::tiny_cnn();
  const Tensor inputs = testing::fashion_mnist_inputs(Split::kTrain, 5).images;
  std::vector<Tensor> activations = teacher_activations(model, {model.inputs[0]}, inputs);
  EXPECT_EQ(activations[0].to_vector<float>(), inputs.to_vector<float>());
}

TEST(TeacherActivations, RefusesToExceedTheMemoryLimitAndRejectsBadCuts) {
  const Graph model = testing::tiny_cnn();
  const Tensor inputs = testing::fashion_mnist_inputs(Split::kTrain, 4).images;
  ActivationOptions options;
  options.max_bytes = 1000;  // the logits alone take 4 x 10 x 4 = 160 bytes, the conv output far more
  EXPECT_THROW(teacher_activations(model, {model.find_value("/MaxPool_output_0")}, inputs, options), Error);
  EXPECT_NO_THROW(teacher_activations(model, {model.outputs[0]}, inputs, options));
  EXPECT_THROW(teacher_activations(model, {}, inputs), Error);
  EXPECT_THROW(teacher_activations(model, {static_cast<ValueId>(model.value_count())}, inputs), Error);
  EXPECT_THROW(teacher_activations(model, {model.find_value("conv1.weight")}, inputs), Error);
}

}  // namespace
}  // namespace nacre
