// `nacre inspect --blocks` and `nacre space`: the segmentation and the candidates, as text and JSON, and
// sampled architectures exported as ONNX files that load again.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "test_paths.h"

namespace nacre {
namespace {

using testing::run_nacre;

TEST(SpaceCommand, InspectBlocksListsEveryBlockWithShapesAndMacs) {
  std::string json_path = testing::scratch_dir("inspect_blocks") + "/blocks.json";
  auto result = run_nacre("inspect " + testing::fixture("resnet18.onnx") + " --blocks --json " + json_path);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  nlohmann::json blocks = testing::read_json_file(json_path)["blocks"];
  ASSERT_EQ(blocks.size(), 10u);  // stem, eight basic blocks, head
  EXPECT_EQ(blocks[1]["name"], "layer1.0");
  EXPECT_FALSE(blocks.back()["replaceable"].get<bool>());
  for (size_t i = 0; i + 1 < blocks.size(); ++i) {
    EXPECT_EQ(blocks[i]["output_shape"], blocks[i + 1]["input_shape"]) << i;
    EXPECT_GT(blocks[i]["macs"].get<int64_t>(), 0) << i;
  }
  EXPECT_NE(result.output.find("layer4.1"), std::string::npos);
}

TEST(SpaceCommand, ListsCandidatesAndExportsSampledArchitectures) {
  std::string dir = testing::scratch_dir("space_samples");
  auto result = run_nacre("space " + testing::fixture("small_fmnist.onnx") + " --sample 2 --export " + dir +
                          "/archs --json " + dir + "/space.json");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  nlohmann::json space = testing::read_json_file(dir + "/space.json");
  for (const auto& block : space["blocks"]) EXPECT_EQ(block["candidates"][0]["generator"], "keep");
  ASSERT_EQ(space["samples"].size(), 2u);
  for (const auto& sample : space["samples"]) {
    auto inspected = run_nacre("inspect " + sample["file"].get<std::string>());
    EXPECT_EQ(inspected.exit_code, 0) << inspected.output;
  }
  auto mismatched = run_nacre("space " + testing::fixture("small_fmnist.onnx") + " --sample 2");
  EXPECT_EQ(mismatched.exit_code, 1) << mismatched.output;
}

TEST(SpaceCommand, ExportsUniformChannelPruningOfTheWholeModel) {
  std::string dir = testing::scratch_dir("space_uniform_channels");
  auto result = run_nacre("space " + testing::fixture("resnet18.onnx") +
                          " --uniform-channels 0.25 --export " + dir + " --json " + dir + "/space.json");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  nlohmann::json samples = testing::read_json_file(dir + "/space.json")["samples"];
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_EQ(samples[0]["channel_groups"][0], (nlohmann::json{64, 16}));
  std::string inspected_json = dir + "/inspected.json";
  auto inspected =
      run_nacre("inspect " + samples[0]["file"].get<std::string>() + " --json " + inspected_json);
  ASSERT_EQ(inspected.exit_code, 0) << inspected.output;
  EXPECT_EQ(testing::read_json_file(inspected_json)["outputs"][0]["shape"].back(), 1000);

  auto without_export = run_nacre("space " + testing::fixture("resnet18.onnx") + " --uniform-channels 0.5");
  EXPECT_NE(without_export.exit_code, 0);
  EXPECT_NE(without_export.output.find("--export"), std::string::npos) << without_export.output;
}

TEST(SpaceCommand, ShowsEachCandidatesInPlaceLatencyFromALatencyModelTable) {
  std::string dir = testing::scratch_dir("space_table");
  std::string model = testing::fixture("tiny_cnn.onnx");
  auto measured = run_nacre("latency-model " + model + " --target torchscript --max-seconds 0.2 --table " +
                            dir + "/table.json");
  ASSERT_EQ(measured.exit_code, 0) << measured.output;
  auto result = run_nacre("space " + model + " --target torchscript --table " + dir + "/table.json --json " +
                          dir + "/space.json");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  nlohmann::json space = testing::read_json_file(dir + "/space.json");
  EXPECT_EQ(space["latency"]["placement"], "in place");
  EXPECT_EQ(space["latency"]["target"], "torchscript");
  for (const auto& block : space["blocks"]) {
    for (const auto& candidate : block["candidates"]) {
      ASSERT_TRUE(candidate["latency_ms"].is_number()) << candidate["id"];
    }
  }
  EXPECT_NE(result.output.find(" ms "), std::string::npos) << result.output;
  auto missing = run_nacre("space " + model + " --table " + dir + "/no_such_table.json");
  EXPECT_EQ(missing.exit_code, 1) << missing.output;
}

}  // namespace
}  // namespace nacre
