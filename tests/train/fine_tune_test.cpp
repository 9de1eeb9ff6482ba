// Fine-tuning on a 512-example Fashion-MNIST subset: tiny_cnn (random weights) first learns the labels
// (cross-entropy alone), then serves as the teacher of a perturbed copy of itself, which learns to agree
// with it again by knowledge distillation. BN is added for training and folded back.
#include <gtest/gtest.h>

#include "train/fine_tune.h"
#include "train/teacher_activations.h"
#include "train_test_helpers.h"
#include "util/error.h"

namespace nacre {
namespace {

struct KdSetup {
  Graph untrained, teacher, student;
  FineTuneData data;
  Tensor check_inputs;  // other examples (the test split), to measure agreement and accuracy on
  std::vector<int64_t> check_labels;
};

FineTuneOptions quick_options() {
  FineTuneOptions options;
  options.epochs = 4;
  options.batch_size = 32;
  options.learning_rate = 0.02;
  options.threads = 2;
  return options;
}

double accuracy(const Graph& model, const Tensor& inputs, const std::vector<int64_t>& labels) {
  std::vector<int64_t> predicted = testing::argmax_rows(InferenceSession(model).run({inputs})[0]);
  int64_t correct = 0;
  for (size_t i = 0; i < labels.size(); ++i) correct += predicted[i] == labels[i];
  return static_cast<double>(correct) / labels.size();
}

// The teacher: tiny_cnn trained on the labels alone (alpha 0: the teacher logits are not used).
Graph train_teacher(const Graph& untrained, const testing::ModelInputs& train) {
  FineTuneData labeled{train.images, Tensor(DataType::kFloat32, {train.images.shape()[0], 10}), train.labels};
  FineTuneOptions options = quick_options();
  options.epochs = 6;
  options.alpha = 0.0;
  return fine_tune(untrained, labeled, options).trained;
}

const KdSetup& setup() {
  static const KdSetup value = [] {
    KdSetup setup;
    testing::ModelInputs train = testing::fashion_mnist_inputs(Split::kTrain, 512);
    testing::ModelInputs test = testing::fashion_mnist_inputs(Split::kTest, 512);
    setup.untrained = testing::tiny_cnn();
    setup.teacher = train_teacher(setup.untrained, train);
    setup.student = testing::perturbed(setup.teacher, 1.0);
    setup.data.inputs = train.images;
    setup.data.labels = train.labels;
    setup.data.teacher_logits =
        teacher_activations(setup.teacher, {setup.teacher.outputs[0]}, train.images)[0];
    setup.check_inputs = test.images;
    setup.check_labels = test.labels;
    return setup;
  }();
  return value;
}

TEST(FineTune, CrossEntropyAloneLearnsTheLabels) {
  const KdSetup& kd = setup();
  const double before = accuracy(kd.untrained, kd.check_inputs, kd.check_labels);
  const double after = accuracy(kd.teacher, kd.check_inputs, kd.check_labels);
  EXPECT_GT(after, before + 0.2) << "test accuracy before " << before << ", after " << after;
}

TEST(FineTune, KnowledgeDistillationIncreasesAgreementWithTheTeacher) {
  const KdSetup& kd = setup();
  const double before = testing::agreement(kd.student, kd.teacher, kd.check_inputs);
  FineTuneOptions options = quick_options();
  int64_t calls = 0;
  options.progress = [&](int64_t step, int64_t total, double loss) {
    ++calls;
    EXPECT_EQ(total, 4 * 512 / 32);
  };
  FineTuneResult result = fine_tune(kd.student, kd.data, options);

  EXPECT_EQ(result.steps, 64);
  EXPECT_EQ(calls, 64);
  ASSERT_EQ(result.loss_history.size(), 64u);
  EXPECT_FALSE(result.diverged);
  EXPECT_FALSE(result.stopped_by_time);
  const double after = testing::agreement(result.trained, kd.teacher, kd.check_inputs);
  EXPECT_GT(after, before + 0.1) << "agreement before " << before << ", after " << after;
  double early = 0, late = 0;
  for (int i = 0; i < 8; ++i) early += result.loss_history[i], late += result.loss_history[56 + i];
  EXPECT_LT(late, early);
  EXPECT_EQ(testing::count_ops(result.trained, "BatchNormalization"), 0);
  EXPECT_EQ(result.trained.node_count(), kd.student.node_count());
}

TEST(FineTune, WorksWithoutLabelsAndWithAugmentation) {
  const KdSetup& kd = setup();
  FineTuneData unlabeled = kd.data;
  unlabeled.labels.clear();
  FineTuneOptions options = quick_options();
  options.augment = true;
  options.optimizer = OptimizerKind::kAdam;
  options.learning_rate = 2e-3;
  FineTuneResult result = fine_tune(kd.student, unlabeled, options);
  EXPECT_GT(testing::agreement(result.trained, kd.teacher, kd.check_inputs),
            testing::agreement(kd.student, kd.teacher, kd.check_inputs));
}

TEST(FineTune, LabelsAddACrossEntropyTerm) {
  const KdSetup& kd = setup();
  FineTuneOptions options = quick_options();
  options.max_steps = 1;
  options.alpha = 0.0;  // cross-entropy alone
  FineTuneData labeled = kd.data;
  const double with_labels = fine_tune(kd.student, labeled, options).loss_history.at(0);
  options.alpha = 1.0;
  const double teacher_only = fine_tune(kd.student, labeled, options).loss_history.at(0);
  EXPECT_NE(with_labels, teacher_only);
  EXPECT_GT(with_labels, 0.0);
}

TEST(FineTune, ATimeBudgetStopsCleanly) {
  const KdSetup& kd = setup();
  FineTuneOptions options = quick_options();
  options.time_budget_seconds = 1e-9;  // over before the first step
  FineTuneResult result = fine_tune(kd.student, kd.data, options);
  EXPECT_TRUE(result.stopped_by_time);
  EXPECT_LT(result.steps, 64);
  EXPECT_EQ(testing::count_ops(result.trained, "BatchNormalization"), 0);
  EXPECT_TRUE(testing::all_finite(InferenceSession(result.trained).run({kd.check_inputs})[0]));
}

TEST(FineTune, DivergenceIsRolledBackToFiniteWeights) {
  const KdSetup& kd = setup();
  FineTuneOptions options = quick_options();
  options.learning_rate = 1e5;
  options.max_rollbacks = 2;
  FineTuneResult result = fine_tune(kd.student, kd.data, options);
  EXPECT_EQ(result.rollbacks, 2);
  EXPECT_TRUE(result.diverged);
  for (double loss : result.loss_history) EXPECT_TRUE(std::isfinite(loss));
  EXPECT_TRUE(testing::all_finite(InferenceSession(result.trained).run({kd.check_inputs})[0]));
}

TEST(FineTune, ChannelsLastBatchesTrainAsContiguousOnesDo) {
  const KdSetup& kd = setup();
  FineTuneOptions options = quick_options();
  options.max_steps = 12;
  options.memory_layout = MemoryLayout::kContiguous;
  FineTuneResult contiguous = fine_tune(kd.student, kd.data, options);
  options.memory_layout = MemoryLayout::kChannelsLast;
  FineTuneResult channels_last = fine_tune(kd.student, kd.data, options);
  EXPECT_EQ(contiguous.memory_layout, MemoryLayout::kContiguous);
  EXPECT_EQ(channels_last.memory_layout, MemoryLayout::kChannelsLast);
  ASSERT_EQ(contiguous.loss_history.size(), channels_last.loss_history.size());
  for (size_t i = 0; i < contiguous.loss_history.size(); ++i)
    EXPECT_NEAR(channels_last.loss_history[i], contiguous.loss_history[i], 1e-3 * contiguous.loss_history[0])
        << "step " << i;
  EXPECT_GT(testing::agreement(channels_last.trained, contiguous.trained, kd.check_inputs), 0.99);

  options.memory_layout = MemoryLayout::kMeasured;  // the default: the trial's choice is reported
  FineTuneResult measured = fine_tune(kd.student, kd.data, options);
  EXPECT_NE(measured.memory_layout, MemoryLayout::kMeasured);
  EXPECT_EQ(measured.steps, 12);
}

TEST(FineTune, RejectsDataThatDoNotFit) {
  const KdSetup& kd = setup();
  FineTuneData bad = kd.data;
  bad.labels.pop_back();
  EXPECT_THROW(fine_tune(kd.student, bad, quick_options()), Error);
  bad = kd.data;
  bad.labels[0] = 10;  // tiny_cnn has 10 classes
  EXPECT_THROW(fine_tune(kd.student, bad, quick_options()), Error);
  bad = kd.data;
  bad.teacher_logits = Tensor(DataType::kFloat32, {512, 7});
  EXPECT_THROW(fine_tune(kd.student, bad, quick_options()), Error);
}

}  // namespace
}  // namespace nacre
