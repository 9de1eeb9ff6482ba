// The cmd target with real scripts: a valid JSON record, garbage, a failing command, a missing one.
#include <gtest/gtest.h>

#include <fstream>

#include "io/onnx/load_model.h"
#include "latency/target_registry.h"
#include "latency_test_helpers.h"
#include "test_paths.h"
#include "util/error.h"

namespace nacre {
namespace {

std::string error_of(Target& target, const Graph& graph) {
  try {
    measure_latency(graph, target, testing::quick_request());
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

TEST(CommandTarget, ReadsTheRecordAndPassesModelBatchThreads) {
  std::string dir = testing::scratch_dir("CommandTargetValid");
  // Records its arguments and checks the model file exists, then reports fixed times.
  std::string script = testing::write_script(
      dir, "bench.sh",
      "#!/bin/bash\n"
      "echo \"$@\" > " +
          dir +
          "/args.txt\n"
          "[ -s \"$2\" ] || { echo 'no model' >&2; exit 2; }\n"
          "echo 'some log line'\n"
          "echo '{\"median_ms\": 2.0, \"runs\": 7, \"times_ms\": [1.9,2,2,2,2,2,2,2,2,2.1]}'\n");
  std::unique_ptr<Target> target = find_target("cmd:" + script);
  ASSERT_TRUE(target->availability().available);
  LatencyRequest request = testing::quick_request(4);
  request.threads = 3;
  LatencyMeasurement measurement =
      measure_latency(load_model(testing::fixture("tiny_cnn.onnx")), *target, request);
  EXPECT_DOUBLE_EQ(measurement.stats.median_ms, 2.0);
  EXPECT_NEAR(measurement.stats.p10_ms, 1.99, 1e-12);
  EXPECT_EQ(measurement.stats.runs, 10);
  EXPECT_FALSE(measurement.outputs_checked);
  std::ifstream args(dir + "/args.txt");
  std::string flag_model, model, flag_batch, batch, flag_threads, threads;
  args >> flag_model >> model >> flag_batch >> batch >> flag_threads >> threads;
  EXPECT_EQ(flag_model, "--model");
  EXPECT_NE(model.find(".onnx"), std::string::npos);
  EXPECT_EQ(flag_batch + " " + batch + " " + flag_threads + " " + threads, "--batch 4 --threads 3");
}

TEST(CommandTarget, CommandWithOnlyAMedianIsRepeated) {
  std::string dir = testing::scratch_dir("CommandTargetMedianOnly");
  std::string script = testing::write_script(dir, "median.py",
                                             "#!/usr/bin/python3\n"
                                             "import json\n"
                                             "print(json.dumps({'median_ms': 5.0}))\n");
  std::unique_ptr<Target> target = find_target("cmd:" + script);
  LatencyMeasurement measurement =
      measure_latency(load_model(testing::fixture("tiny_cnn.onnx")), *target, testing::quick_request());
  EXPECT_DOUBLE_EQ(measurement.stats.median_ms, 5.0);
  EXPECT_EQ(measurement.stats.runs, 6);  // one sample per invocation, until the interval exists
  EXPECT_TRUE(measurement.stats.converged);
}

TEST(CommandTarget, GarbageOutputIsAClearError) {
  std::string dir = testing::scratch_dir("CommandTargetGarbage");
  std::string script = testing::write_script(dir, "garbage.sh", "#!/bin/bash\necho 'fast, trust me'\n");
  std::unique_ptr<Target> target = find_target("cmd:" + script);
  std::string message = error_of(*target, load_model(testing::fixture("tiny_cnn.onnx")));
  EXPECT_NE(message.find("printed no JSON line"), std::string::npos) << message;
  EXPECT_NE(message.find("fast, trust me"), std::string::npos) << message;
  EXPECT_NE(message.find("median_ms"), std::string::npos) << message;
}

TEST(CommandTarget, JsonWithoutMedianIsAClearError) {
  std::string dir = testing::scratch_dir("CommandTargetNoMedian");
  std::string script = testing::write_script(dir, "bad.sh", "#!/bin/bash\necho '{\"mean\": 3}'\n");
  std::string message =
      error_of(*find_target("cmd:" + script), load_model(testing::fixture("tiny_cnn.onnx")));
  EXPECT_NE(message.find("without a positive number 'median_ms'"), std::string::npos) << message;
}

TEST(CommandTarget, NonZeroExitIsAClearErrorWithStderr) {
  std::string dir = testing::scratch_dir("CommandTargetFails");
  std::string script = testing::write_script(
      dir, "fails.sh", "#!/bin/bash\necho 'device not found: adb offline' >&2\nexit 1\n");
  std::string message =
      error_of(*find_target("cmd:" + script), load_model(testing::fixture("tiny_cnn.onnx")));
  EXPECT_NE(message.find("exit code 1"), std::string::npos) << message;
  EXPECT_NE(message.find("device not found: adb offline"), std::string::npos) << message;
}

TEST(CommandTarget, MissingCommandIsUnavailableWithHint) {
  std::unique_ptr<Target> target = find_target("cmd:/nonexistent/bench.sh");
  TargetAvailability availability = target->availability();
  EXPECT_FALSE(availability.available);
  EXPECT_NE(availability.reason.find("/nonexistent/bench.sh"), std::string::npos);
  EXPECT_NE(availability.install_hint.find("--model PATH --batch B --threads T"), std::string::npos);
  EXPECT_FALSE(find_target("cmd")->availability().available);
}

}  // namespace
}  // namespace nacre
