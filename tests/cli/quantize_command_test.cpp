// nacre quantize on the small_fmnist fixture with Fashion-MNIST: the int8 model keeps the float model's
// accuracy within a few points, ONNX Runtime runs it (its outputs checked against nacre's executor), the
// sidecar carries the normalisation, TorchScript refuses it by name, and nothing the user has is overwritten.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "test_paths.h"
#include "util/cpu_features.h"

namespace nacre {
namespace {

using testing::run_nacre;

std::string model() { return testing::fixture("small_fmnist.onnx"); }

std::string quantize_command(const std::string& out, const std::string& extra = "") {
  return "quantize " + model() + " --data " + testing::fashion_mnist_dir() +
         " --mean 0.286 --std 0.353 --out " + out + " --calibration-examples 256 " + extra;
}

double validation_accuracy(const std::string& model_path, const std::string& json, const std::string& extra) {
  auto evaluation = run_nacre("evaluate " + model_path + " --data " + testing::fashion_mnist_dir() +
                              " --split val --limit 500 " + extra + " --json " + json);
  EXPECT_EQ(evaluation.exit_code, 0) << evaluation.output;
  return testing::read_json_file(json)["accuracy"].get<double>();
}

TEST(QuantizeCommand, KeepsTheAccuracyAndRunsOnOnnxRuntime) {
  std::string dir = testing::scratch_dir("quantize_small_fmnist");
  std::string out = dir + "/int8.onnx";
  auto result = run_nacre(quantize_command(out, "--json " + dir + "/quantize.json"));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  nlohmann::json summary = testing::read_json_file(dir + "/quantize.json");
  EXPECT_GT(summary["quantized_nodes"].get<int>(), 0);
  EXPECT_GT(summary["quantized_activations"].get<int>(), 0);
  // The sidecar holds the normalisation, so evaluating needs no --mean/--std.
  nlohmann::json sidecar = testing::read_json_file(dir + "/int8.json");
  EXPECT_EQ(sidecar["input"]["mean"].size(), 1u);

  double float_accuracy = validation_accuracy(model(), dir + "/float.json", "--mean 0.286 --std 0.353");
  double int8_accuracy = validation_accuracy(out, dir + "/int8_eval.json", "");
  EXPECT_GT(float_accuracy, 0.5);
  EXPECT_NEAR(int8_accuracy, float_accuracy, 0.03);

  auto latency = run_nacre("latency " + out + " --target ort --vs " + model() +
                           " --max-seconds 1 --no-cache --json " + dir + "/latency.json");
  ASSERT_EQ(latency.exit_code, 0) << latency.output;
  EXPECT_TRUE(testing::read_json_file(dir + "/latency.json")["outputs_checked"].get<bool>());
  // nacre's TorchScript writer has no int8 ops: a clear refusal naming them, not a crash.
  auto torchscript = run_nacre("latency " + out + " --target torchscript --max-seconds 1 --no-cache");
  EXPECT_NE(torchscript.exit_code, 0);
  EXPECT_NE(torchscript.output.find("does not support QuantizeLinear, DequantizeLinear"), std::string::npos)
      << torchscript.output;
}

TEST(QuantizeCommand, WeightBitsAreSevenExactlyWhereOnnxRuntimesKernelsCouldSaturate) {
  std::string dir = testing::scratch_dir("quantize_weight_bits");
  auto automatic = run_nacre(quantize_command(dir + "/auto.onnx", "--json " + dir + "/auto.json"));
  ASSERT_EQ(automatic.exit_code, 0) << automatic.output;
  nlohmann::json summary = testing::read_json_file(dir + "/auto.json");
  EXPECT_EQ(summary["weights_bits"].get<int>(), cpu_has_vnni() ? 8 : 7);
  EXPECT_EQ(summary["weights_bits_reason"].get<std::string>().rfind("auto", 0), 0u);

  auto eight =
      run_nacre(quantize_command(dir + "/eight.onnx", "--weight-bits 8 --json " + dir + "/eight.json"));
  ASSERT_EQ(eight.exit_code, 0) << eight.output;
  EXPECT_EQ(testing::read_json_file(dir + "/eight.json")["weights_bits"].get<int>(), 8);

  auto six = run_nacre(quantize_command(dir + "/six.onnx", "--weight-bits 6"));
  EXPECT_NE(six.exit_code, 0);
  EXPECT_NE(six.output.find("--weight-bits"), std::string::npos) << six.output;
  EXPECT_FALSE(std::filesystem::exists(dir + "/six.onnx"));
}

TEST(QuantizeCommand, NeverOverwritesAnExistingFile) {
  std::string dir = testing::scratch_dir("quantize_existing");
  std::string out = dir + "/int8.onnx";
  std::ofstream(out) << "mine";
  auto result = run_nacre(quantize_command(out));
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.output.find("already exists"), std::string::npos) << result.output;
  std::ifstream kept(out);
  std::string content((std::istreambuf_iterator<char>(kept)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "mine");
}

TEST(QuantizeCommand, RefusesDataThatDoesNotFitTheModel) {
  std::string dir = testing::scratch_dir("quantize_mismatch");
  auto result = run_nacre("quantize " + model() + " --data " + testing::cifar10_dir() + " --out " + dir +
                          "/int8.onnx --calibration-examples 64");
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.output.find("channel"), std::string::npos) << result.output;
  EXPECT_FALSE(std::filesystem::exists(dir + "/int8.onnx"));
}

}  // namespace
}  // namespace nacre
