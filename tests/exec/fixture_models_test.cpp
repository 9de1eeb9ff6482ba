// Every fixture model, imported and run by InferenceSession, reproduces PyTorch's output.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "exec/graph_module_torch.h"
#include "exec/inference_session.h"
#include "io/data/npy.h"
#include "io/onnx/load_model.h"
#include "test_paths.h"

namespace nacre {
namespace {

struct FixtureCase {
  std::string model;   // path of the .onnx under fixtures/
  std::string prefix;  // <prefix>.input.npy and <prefix>.output.npy
};

void PrintTo(const FixtureCase& fixture_case, std::ostream* out) { *out << fixture_case.prefix; }

class FixtureModels : public ::testing::TestWithParam<FixtureCase> {};

TEST_P(FixtureModels, OutputMatchesPyTorchWithin1e4Relative) {
  const FixtureCase& param = GetParam();
  const std::string model_path = testing::fixture(param.model);
  ASSERT_TRUE(std::filesystem::exists(model_path))
      << model_path << " is missing: run tests/fixtures/make_fixtures.py " << testing::fixtures_dir();
  Graph graph = load_model(model_path);
  Tensor input = read_npy(testing::fixture(param.prefix + ".input.npy"));
  Tensor expected = read_npy(testing::fixture(param.prefix + ".output.npy"));

  InferenceSession session(graph);
  std::vector<Tensor> outputs = session.run({input});
  ASSERT_FALSE(outputs.empty());
  ASSERT_EQ(outputs[0].shape(), expected.shape());
  std::vector<double> actual = outputs[0].as_doubles();
  std::vector<double> reference = expected.as_doubles();
  double largest = 0, worst = 0;
  for (size_t i = 0; i < reference.size(); ++i) {
    largest = std::max(largest, std::abs(reference[i]));
    worst = std::max(worst, std::abs(actual[i] - reference[i]));
  }
  EXPECT_LE(worst, 1e-4 * std::max(1.0, largest)) << "largest |output| " << largest;
}

std::vector<FixtureCase> fixture_cases() {
  std::vector<FixtureCase> cases;
  for (const char* name :
       {"resnet18", "mobilenet_v2", "squeezenet1_1", "mobilenet_v3_small", "shufflenet_v2_x0_5", "ops_zoo",
        "tiny_cnn", "resnet18_opset11", "resnet18_opset17", "resnet18_dynamic_batch"}) {
    cases.push_back({std::string(name) + ".onnx", name});
  }
  cases.push_back({"mobilenet_v2_external/model.onnx", "mobilenet_v2_external"});
  return cases;
}

INSTANTIATE_TEST_SUITE_P(AllFixtures, FixtureModels, ::testing::ValuesIn(fixture_cases()),
                         [](const auto& info) { return info.param.prefix; });

// The same rows give the same outputs whatever the batch they are run in: shapes are computed at run time.
TEST(DynamicBatchFixture, RunsAtBatchOneAndFive) {
  const std::string model_path = testing::fixture("resnet18_dynamic_batch.onnx");
  ASSERT_TRUE(std::filesystem::exists(model_path)) << model_path << " is missing";
  InferenceSession session(load_model(model_path));
  torch::Tensor input = to_torch(read_npy(testing::fixture("resnet18_dynamic_batch.input.npy")));
  torch::Tensor expected = to_torch(read_npy(testing::fixture("resnet18_dynamic_batch.output.npy")));
  const double tolerance = 1e-4 * std::max(1.0, expected.abs().max().item<double>());
  torch::Tensor one = to_torch(session.run({from_torch(input.slice(0, 0, 1))}).at(0));
  EXPECT_LE((one - expected.slice(0, 0, 1)).abs().max().item<double>(), tolerance);
  torch::Tensor five = to_torch(session.run({from_torch(torch::cat({input, input.slice(0, 0, 2)}))}).at(0));
  ASSERT_EQ(five.size(0), 5);
  EXPECT_LE((five - torch::cat({expected, expected.slice(0, 0, 2)})).abs().max().item<double>(), tolerance);
}

}  // namespace
}  // namespace nacre
