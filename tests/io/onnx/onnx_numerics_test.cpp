// Imported and re-exported models compute what PyTorch computed for the fixture's input.
#include <gtest/gtest.h>

#include <cmath>

#include "exec/inference_session.h"
#include "io/data/npy.h"
#include "io/onnx/load_model.h"
#include "io/onnx/onnx_export.h"
#include "io/onnx/onnx_import.h"
#include "io/onnx/onnx_test_support.h"
#include "test_paths.h"

namespace nacre {
namespace {

using testing::fixture;
using testing::max_relative_error;

constexpr double kTolerance = 1e-4;

Tensor run_single(const Graph& graph, const Tensor& input) {
  InferenceSession session(graph);
  std::vector<Tensor> outputs = session.run({input});
  EXPECT_EQ(outputs.size(), 1u);
  return outputs.at(0);
}

struct NumericsCase {
  std::string model_file;   // relative to the fixtures folder
  std::string data_prefix;  // <prefix>.input.npy / <prefix>.output.npy
};

class ModelNumerics : public ::testing::TestWithParam<NumericsCase> {};

TEST_P(ModelNumerics, LoadedModelMatchesPyTorch) {
  const NumericsCase& param = GetParam();
  Tensor input = read_npy(fixture(param.data_prefix + ".input.npy"));
  Tensor expected = read_npy(fixture(param.data_prefix + ".output.npy"));
  ImportOptions options;
  options.input_shape = input.shape();  // fixes a symbolic batch to the fixture's
  Graph graph = load_model(fixture(param.model_file), options);
  Tensor actual = run_single(graph, input);
  EXPECT_EQ(actual.shape(), expected.shape());
  EXPECT_LT(max_relative_error(actual, expected), kTolerance);
}

TEST_P(ModelNumerics, ExportedModelMatchesPyTorch) {
  const NumericsCase& param = GetParam();
  Tensor input = read_npy(fixture(param.data_prefix + ".input.npy"));
  Tensor expected = read_npy(fixture(param.data_prefix + ".output.npy"));
  ImportOptions options;
  options.input_shape = input.shape();
  Graph graph = load_model(fixture(param.model_file), options);
  std::string path = testing::scratch_dir("ExportedModelMatchesPyTorch_" + param.data_prefix) + "/model.onnx";
  export_onnx(graph, path);
  Tensor actual = run_single(load_model(path, options), input);
  EXPECT_LT(max_relative_error(actual, expected), kTolerance);
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, ModelNumerics,
    ::testing::Values(NumericsCase{"resnet18.onnx", "resnet18"},
                      NumericsCase{"mobilenet_v2.onnx", "mobilenet_v2"},
                      NumericsCase{"squeezenet1_1.onnx", "squeezenet1_1"},
                      NumericsCase{"mobilenet_v3_small.onnx", "mobilenet_v3_small"},
                      NumericsCase{"shufflenet_v2_x0_5.onnx", "shufflenet_v2_x0_5"},
                      NumericsCase{"ops_zoo.onnx", "ops_zoo"}, NumericsCase{"tiny_cnn.onnx", "tiny_cnn"},
                      NumericsCase{"resnet18_opset11.onnx", "resnet18_opset11"},
                      NumericsCase{"resnet18_opset17.onnx", "resnet18_opset17"},
                      NumericsCase{"resnet18_dynamic_batch.onnx", "resnet18_dynamic_batch"},
                      NumericsCase{"mobilenet_v2_external/model.onnx", "mobilenet_v2_external"}),
    [](const auto& info) { return info.param.data_prefix; });

// Before opset 13 Softmax normalised over all axes from `axis` on; the import must keep that meaning.
TEST(CanonicalFormNumerics, OldSoftmaxNormalisesOverTheFlattenedTrailingAxes) {
  testing::OnnxModelBuilder builder(11);
  builder.input("x", {2, 2, 3});
  testing::set_int(builder.node("Softmax", {"x"}, {"y"}), "axis", 1);
  builder.output("y", {2, 2, 3});
  std::string path = testing::scratch_dir("OldSoftmaxNumerics") + "/softmax.onnx";
  testing::write_file(path, builder.bytes());

  std::vector<float> values = {0.1f, 2.0f, -1.0f, 0.5f, 0.0f, 3.0f, 1.0f, 1.0f, 1.0f, -2.0f, 0.3f, 0.7f};
  Tensor output = run_single(load_model(path), Tensor::from_vector<float>({2, 2, 3}, values));
  std::vector<float> actual = output.to_vector<float>();
  ASSERT_EQ(actual.size(), values.size());
  for (size_t batch = 0; batch < 2; ++batch) {
    double sum = 0;
    for (size_t i = 0; i < 6; ++i) sum += std::exp(values[batch * 6 + i]);
    for (size_t i = 0; i < 6; ++i) {
      EXPECT_NEAR(actual[batch * 6 + i], std::exp(values[batch * 6 + i]) / sum, 1e-6);
    }
  }
}

}  // namespace
}  // namespace nacre
