// Blockwise distillation on a real block of tiny_cnn (conv2 -> Relu -> MaxPool) whose weights were
// perturbed: training brings it back towards the original block's activations.
#include <gtest/gtest.h>

#include "train/distill_block.h"
#include "train/losses.h"
#include "train/teacher_activations.h"
#include "train_test_helpers.h"
#include "util/error.h"

namespace nacre {
namespace {

struct BlockData {
  Graph original_block;
  Tensor inputs, targets;
};

// The teacher's activations at tiny_cnn's block cuts on 256 Fashion-MNIST training images.
const BlockData& block_data() {
  static const BlockData data = [] {
    const Graph model = testing::tiny_cnn();
    const Tensor images = testing::fashion_mnist_inputs(Split::kTrain, 256).images;
    std::vector<Tensor> activations = teacher_activations(
        model, {model.find_value("/MaxPool_output_0"), model.find_value("/MaxPool_1_output_0")}, images);
    return BlockData{testing::cut_block(model, "/MaxPool_output_0", "/MaxPool_1_output_0"), activations[0],
                     activations[1]};
  }();
  return data;
}

Tensor gaussian_noise(const Shape& shape, unsigned seed) {
  std::mt19937 random(seed);
  std::normal_distribution<float> normal(0.f, 1.f);
  std::vector<float> values(element_count(shape));
  for (float& value : values) value = normal(random);
  return Tensor::from_vector<float>(shape, values);
}

DistillOptions quick_options() {
  DistillOptions options;
  options.learning_rate = 3e-3;
  options.max_steps = 150;
  options.threads = 2;
  return options;
}

TEST(DistillBlock, BringsAPerturbedBlockBackTowardsItsTeacher) {
  const BlockData& data = block_data();
  const Graph candidate = testing::perturbed(data.original_block, 0.7);
  int64_t last_step = 0;
  DistillOptions options = quick_options();
  options.progress = [&](int64_t step, int64_t total, double loss) {
    EXPECT_EQ(step, last_step + 1);
    EXPECT_EQ(total, options.max_steps);
    EXPECT_TRUE(std::isfinite(loss));
    last_step = step;
  };
  DistillResult result = distill_block(candidate, data.inputs, data.targets, options);

  EXPECT_GT(result.nsr_before, 0.05);
  EXPECT_LT(result.nsr_after, result.nsr_before / 2) << "before " << result.nsr_before;
  EXPECT_EQ(result.steps, options.max_steps);
  EXPECT_EQ(last_step, options.max_steps);
  EXPECT_FALSE(result.diverged);
  // BatchNorm was added for training and folded back: the result has the candidate's form and runs.
  EXPECT_EQ(testing::count_ops(result.trained, "BatchNormalization"), 0);
  EXPECT_EQ(result.trained.node_count(), candidate.node_count());
  Tensor output = InferenceSession(result.trained).run({data.inputs})[0];
  Tensor untrained_output = InferenceSession(candidate).run({data.inputs})[0];
  EXPECT_LT(noise_to_signal(output, data.targets), noise_to_signal(untrained_output, data.targets) / 2);
}

TEST(DistillBlock, IsDeterministicGivenASeed) {
  const BlockData& data = block_data();
  const Graph candidate = testing::perturbed(data.original_block, 0.7);
  DistillOptions options = quick_options();
  options.max_steps = 30;
  DistillResult first = distill_block(candidate, data.inputs, data.targets, options);
  DistillResult second = distill_block(candidate, data.inputs, data.targets, options);
  EXPECT_EQ(first.nsr_after, second.nsr_after);
  Tensor a = InferenceSession(first.trained).run({data.inputs})[0];
  Tensor b = InferenceSession(second.trained).run({data.inputs})[0];
  EXPECT_EQ(a.to_vector<float>(), b.to_vector<float>());
  options.seed = 1;
  DistillResult other_seed = distill_block(candidate, data.inputs, data.targets, options);
  EXPECT_NE(other_seed.nsr_after, first.nsr_after);
}

TEST(DistillBlock, ATargetThatCannotBeFitEndsAtTheBudgetAndReportsIt) {
  const BlockData& data = block_data();
  // Noise unrelated to the inputs: nothing better than its mean can be learnt.
  const Tensor noise = gaussian_noise(data.targets.shape(), 3);
  DistillOptions options = quick_options();
  options.max_steps = 40;
  DistillResult result = distill_block(data.original_block, data.inputs, noise, options);
  EXPECT_EQ(result.steps, 40);
  EXPECT_TRUE(std::isfinite(result.nsr_after));
  EXPECT_GT(result.nsr_after, 0.9);
  EXPECT_LE(result.nsr_after, result.nsr_before);
}

TEST(DistillBlock, AnAbsurdLearningRateIsRolledBackAndTheResultStaysFinite) {
  const BlockData& data = block_data();
  const Graph candidate = testing::perturbed(data.original_block, 0.7);
  DistillOptions options = quick_options();
  options.learning_rate = 1e6;
  options.max_steps = 60;
  options.max_rollbacks = 2;
  DistillResult result = distill_block(candidate, data.inputs, data.targets, options);
  // Each try blows up at once: two rollbacks at half the rate each, then the run is reported diverged.
  EXPECT_EQ(result.rollbacks, 2);
  EXPECT_TRUE(result.diverged);
  EXPECT_TRUE(std::isfinite(result.nsr_after));
  EXPECT_LE(result.nsr_after, result.nsr_before);
  EXPECT_TRUE(testing::all_finite(InferenceSession(result.trained).run({data.inputs})[0]));
}

TEST(DistillBlock, RejectsTargetsThatDoNotMatch) {
  const BlockData& data = block_data();
  EXPECT_THROW(distill_block(data.original_block, data.inputs, data.inputs, quick_options()), Error);
  Tensor fewer = Tensor(DataType::kFloat32, {3, 1});
  EXPECT_THROW(distill_block(data.original_block, data.inputs, fewer, quick_options()), Error);
}

}  // namespace
}  // namespace nacre

namespace nacre {
namespace {

// An identity skip has nothing to train: its quality is measured and it comes back unchanged.
TEST(DistillBlock, ABlockWithoutParametersIsMeasuredNotTrained) {
  Graph identity;
  ValueId input = identity.add_input("x", DataType::kFloat32, {-1, 4});
  NodeId relu = identity.add_node("Relu", "relu", {input});
  identity.outputs = {identity.node(relu).outputs[0]};
  Tensor inputs = gaussian_noise({16, 4}, 3);
  Tensor targets = gaussian_noise({16, 4}, 4);
  DistillResult result = distill_block(identity, inputs, targets, quick_options());
  EXPECT_EQ(result.steps, 0);
  EXPECT_GT(result.nsr_before, 0.5);
  EXPECT_EQ(result.nsr_after, result.nsr_before);
  EXPECT_EQ(result.trained.node_count(), 1u);
}

}  // namespace
}  // namespace nacre
