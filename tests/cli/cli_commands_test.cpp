// The subcommands end to end on fixtures and real data: output files, JSON keys, printed figures.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "io/data/npy.h"
#include "test_paths.h"

namespace nacre {
namespace {

using testing::run_nacre;

TEST(CliCommands, VersionNamesTheCommitBuiltFrom) {
  auto result = run_nacre("--version");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  // "nacre 4eae029" or "nacre 4eae029-dirty"; "nacre unknown" only outside a git checkout.
  EXPECT_TRUE(std::regex_search(result.output, std::regex("^nacre ([0-9a-f]{7,}(-dirty)?|unknown)\n")))
      << result.output;
}

TEST(CliCommands, InspectWritesJsonWithCounts) {
  std::string json_path = testing::scratch_dir("inspect_json") + "/info.json";
  auto result = run_nacre("inspect " + testing::fixture("resnet18.onnx") + " --verbose --json " + json_path);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  nlohmann::json json = testing::read_json_file(json_path);
  EXPECT_EQ(json["ops"]["Conv"], 20);
  EXPECT_EQ(json["ops"]["Gemm"], 1);
  EXPECT_GT(json["parameters"].get<int64_t>(), 11'000'000);  // resnet18 with 1000 classes: 11.7 M
  EXPECT_LT(json["parameters"].get<int64_t>(), 12'000'000);
  EXPECT_GT(json["macs"].get<int64_t>(), 0);
  EXPECT_EQ(json["nodes"].size(), json["node_count"].get<size_t>());
  EXPECT_NE(result.output.find("Conv 20"), std::string::npos) << result.output;
}

TEST(CliCommands, RunReproducesPyTorchOutput) {
  std::string out = testing::scratch_dir("run_output") + "/y.npy";
  auto result = run_nacre("run " + testing::fixture("mobilenet_v2.onnx") + " --input " +
                          testing::fixture("mobilenet_v2.input.npy") + " --output " + out);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  Tensor ours = read_npy(out);
  Tensor expected = read_npy(testing::fixture("mobilenet_v2.output.npy"));
  ASSERT_EQ(ours.shape(), expected.shape());
  float scale = 1, worst = 0;
  for (int64_t i = 0; i < expected.numel(); ++i) scale = std::max(scale, std::abs(expected.data<float>()[i]));
  for (int64_t i = 0; i < expected.numel(); ++i) {
    worst = std::max(worst, std::abs(ours.data<float>()[i] - expected.data<float>()[i]));
  }
  EXPECT_LE(worst, 1e-4f * scale);
}

TEST(CliCommands, EvaluateWritesTheDocumentedKeys) {
  std::string json_path = testing::scratch_dir("evaluate_json") + "/result.json";
  auto result = run_nacre("evaluate " + testing::shared_dir() + "/baselines/resnet18_fmnist.onnx --data " +
                          testing::fashion_mnist_dir() + " --split val --limit 300 --json " + json_path);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  nlohmann::json json = testing::read_json_file(json_path);
  EXPECT_EQ(json["split"], "val");
  EXPECT_EQ(json["examples"], 300);
  // A trained model: far above chance (10%) even on a few hundred examples.
  EXPECT_GT(json["accuracy"].get<double>(), 0.8);
  EXPECT_GE(json["top5"].get<double>(), json["accuracy"].get<double>());
  EXPECT_NE(result.output.find("top-1"), std::string::npos);
}

TEST(CliCommands, HelpShowsExamples) {
  for (const char* command : {"inspect", "run", "evaluate"}) {
    auto result = run_nacre(std::string(command) + " --help");
    EXPECT_EQ(result.exit_code, 0) << command;
    EXPECT_NE(result.output.find("Examples:"), std::string::npos) << command << ":\n" << result.output;
  }
}

}  // namespace
}  // namespace nacre
