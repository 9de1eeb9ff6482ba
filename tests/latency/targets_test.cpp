// Every available target runs the fixture models, checked against the executor; unavailable ones say why.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "io/onnx/load_model.h"
#include "latency/target_registry.h"
#include "latency/temp_dir.h"
#include "latency_test_helpers.h"
#include "test_paths.h"
#include "util/error.h"

namespace nacre {
namespace {

struct TargetModel {
  std::string target;
  std::string model;
};

void PrintTo(const TargetModel& param, std::ostream* out) { *out << param.target << "/" << param.model; }

class TargetRunsFixtures : public ::testing::TestWithParam<TargetModel> {};

TEST_P(TargetRunsFixtures, OutputsMatchTheExecutorAndAreTimed) {
  std::unique_ptr<Target> target = find_target(GetParam().target);
  TargetAvailability availability = target->availability();
  if (!availability.available) GTEST_SKIP() << availability.reason << ". " << availability.install_hint;
  Graph graph = load_model(testing::fixture(GetParam().model + ".onnx"));
  LatencyMeasurement measurement = measure_latency(graph, *target, testing::quick_request(2));
  EXPECT_TRUE(measurement.outputs_checked);
  EXPECT_FALSE(measurement.from_cache);
  EXPECT_GT(measurement.stats.median_ms, 0);
  EXPECT_LE(measurement.stats.p10_ms, measurement.stats.median_ms);
  EXPECT_GE(measurement.stats.p90_ms, measurement.stats.median_ms);
  EXPECT_GE(measurement.stats.runs, 6);
}

std::vector<TargetModel> all_cases() {
  std::vector<TargetModel> cases;
  for (const char* target : {"ort", "opencv"}) {
    for (const char* model : {"tiny_cnn", "resnet18", "mobilenet_v2", "squeezenet1_1", "mobilenet_v3_small",
                              "shufflenet_v2_x0_5", "resnet18_dynamic_batch"}) {
      cases.push_back({target, model});
    }
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, TargetRunsFixtures, ::testing::ValuesIn(all_cases()),
                         [](const ::testing::TestParamInfo<TargetModel>& info) {
                           return info.param.target + "_" + info.param.model;
                         });

// ops_zoo (every op nacre knows) exposes two runtime defects; the check must turn both into clear errors.
// ort: ONNX Runtime's PadFusion folds Pad(0) into MaxPool, which pads with -inf instead (ORT 1.22, 1.23).
// opencv: OpenCV 4.6's DNN cannot run one of its shape-manipulation chains.
TEST(Targets, RuntimeDefectsOnOpsZooAreErrorsNotLatencies) {
  Graph graph = load_model(testing::fixture("ops_zoo.onnx"));
  for (auto [name, expected] : std::vector<std::pair<std::string, std::string>>{
           {"ort", "target 'ort' computes output 'output' wrongly"},
           {"opencv", "OpenCV DNN failed to run"}}) {
    std::unique_ptr<Target> target = find_target(name);
    if (!target->availability().available) continue;
    try {
      measure_latency(graph, *target, testing::quick_request(2));
      ADD_FAILURE() << name << " now runs ops_zoo correctly: move ops_zoo back into the fixture list";
    } catch (const Error& error) {
      EXPECT_NE(std::string(error.what()).find(expected), std::string::npos) << error.what();
    }
  }
}

TEST(Targets, RegistryListsEachTargetOnceWithOpsAndPrecisions) {
  std::vector<std::unique_ptr<Target>> targets = all_targets();
  std::vector<std::string> names;
  for (const auto& target : targets) {
    names.push_back(target->name());
    EXPECT_FALSE(target->description().empty());
    EXPECT_FALSE(target->supported_op_types().empty()) << target->name();
    EXPECT_FALSE(target->supported_precisions().empty()) << target->name();
  }
  for (const char* expected : {"ort", "opencv", "cmd"}) {
    EXPECT_EQ(std::count(names.begin(), names.end(), expected), 1) << expected;
  }
  EXPECT_THROW(find_target("tensorrt"), Error);
}

TEST(Targets, OrtWithoutNodeSaysSoAndHowToInstall) {
  TargetConfig config;
  config.node_binary = "/nonexistent/node";
  std::unique_ptr<Target> target = find_target("ort", config);
  TargetAvailability availability = target->availability();
  EXPECT_FALSE(availability.available);
  EXPECT_NE(availability.reason.find("/nonexistent/node"), std::string::npos) << availability.reason;
  EXPECT_NE(availability.install_hint.find("npm ci --ignore-scripts"), std::string::npos);
  EXPECT_NE(availability.install_hint.find("apt-get install nodejs"), std::string::npos);
  try {
    measure_latency(load_model(testing::fixture("tiny_cnn.onnx")), *target, testing::quick_request());
    FAIL() << "measuring on an unavailable target must throw";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("not available here"), std::string::npos) << error.what();
  }
}

TEST(Targets, OrtWithoutThePackageSaysToRunNpmCi) {
  // A runner script outside the source tree cannot find node_modules/onnxruntime-node.
  TempDir outside_the_source_tree("nacre-ort-test");  // node would find the repository's node_modules above
  std::string dir = outside_the_source_tree.path();
  std::filesystem::create_directories(dir + "/tools/ort_runner");
  std::filesystem::copy_file(std::string(NACRE_SOURCE_DIR) + "/tools/ort_runner/ort_runner.js",
                             dir + "/tools/ort_runner/ort_runner.js");
  TargetConfig config;
  config.ort_runner = dir + "/tools/ort_runner/ort_runner.js";
  TargetAvailability availability = find_target("ort", config)->availability();
  if (availability.reason.find("cannot be started") != std::string::npos) GTEST_SKIP() << "no node here";
  EXPECT_FALSE(availability.available);
  EXPECT_NE(availability.reason.find("onnxruntime-node"), std::string::npos) << availability.reason;
  EXPECT_NE(availability.install_hint.find("npm ci --ignore-scripts"), std::string::npos);
}

}  // namespace
}  // namespace nacre
