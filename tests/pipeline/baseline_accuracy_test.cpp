// The trained baselines in ../shared: nacre reproduces PyTorch's logits and the recorded accuracies.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "exec/inference_session.h"
#include "io/data/npy.h"
#include "io/onnx/load_model.h"
#include "pipeline/evaluate_classifier.h"
#include "pipeline/model_preprocessing.h"
#include "test_paths.h"

namespace nacre {
namespace {

struct Baseline {
  std::string name;
  std::string data_dir;
};

std::vector<Baseline> baselines() {
  return {{"resnet18_cifar10", testing::cifar10_dir()},
          {"mobilenet_v2_cifar10", testing::cifar10_dir()},
          {"resnet18_fmnist", testing::fashion_mnist_dir()}};
}

class BaselineTest : public ::testing::TestWithParam<Baseline> {
 protected:
  std::string model_path() const { return testing::shared_dir() + "/baselines/" + GetParam().name + ".onnx"; }
  nlohmann::json metadata() const {
    std::ifstream file(testing::shared_dir() + "/baselines/" + GetParam().name + ".json");
    return nlohmann::json::parse(file);
  }
};

TEST_P(BaselineTest, LogitsMatchPyTorchOnTheProbeImages) {
  Graph graph = load_model(model_path());
  Preprocessing preprocessing = preprocessing_for_model(graph, model_path(), {}, {}).preprocessing;
  DatasetOptions options;
  options.split = Split::kTest;
  LabeledImages test = load_dataset(GetParam().data_dir, options);
  Tensor probe = read_npy(testing::shared_dir() + "/baselines/" + GetParam().name + ".probe_logits.npy");
  int64_t count = probe.shape()[0];
  Tensor logits = InferenceSession(graph).run({preprocess_batch(test, 0, count, preprocessing)})[0];
  ASSERT_EQ(logits.shape(), probe.shape());
  float scale = 1, worst = 0;
  for (int64_t i = 0; i < probe.numel(); ++i) scale = std::max(scale, std::abs(probe.data<float>()[i]));
  for (int64_t i = 0; i < probe.numel(); ++i) {
    worst = std::max(worst, std::abs(logits.data<float>()[i] - probe.data<float>()[i]));
  }
  EXPECT_LE(worst, 1e-4f * scale) << "largest logit difference " << worst;
}

TEST_P(BaselineTest, AccuracyMatchesTheRecordedFigures) {
  Graph graph = load_model(model_path());
  Preprocessing preprocessing = preprocessing_for_model(graph, model_path(), {}, {}).preprocessing;
  nlohmann::json recorded = metadata();
  for (auto [split, key, count_key] : {std::tuple{Split::kVal, "val_top1", "val_examples"},
                                       std::tuple{Split::kTest, "test_top1", "test_examples"}}) {
    DatasetOptions options;
    options.split = split;
    LabeledImages data = load_dataset(GetParam().data_dir, options);
    EXPECT_EQ(data.size(), recorded[count_key].get<int64_t>()) << to_string(split);
    EvaluationOptions evaluation;
    evaluation.show_progress = false;
    EvaluationResult result = evaluate_classifier(graph, data, preprocessing, evaluation);
    // Within 0.3 points: JPEG decoders may differ from PIL's by a level in a few pixels.
    EXPECT_NEAR(result.top1, recorded[key].get<double>(), 0.003) << to_string(split);
  }
}

INSTANTIATE_TEST_SUITE_P(SharedBaselines, BaselineTest, ::testing::ValuesIn(baselines()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace nacre
