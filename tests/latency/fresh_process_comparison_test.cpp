#include "latency/fresh_process_comparison.h"

#include <gtest/gtest.h>

#include "latency/latency_test_helpers.h"
#include "latency/target_registry.h"
#include "test_paths.h"
#include "util/error.h"

namespace nacre {
namespace {

TEST(FreshProcessComparison, ReadsBackTheChildsInterleavedRatio) {
  std::unique_ptr<Target> target = find_target("torchscript");
  LatencyRequest request = testing::quick_request();
  std::string small = testing::fixture("tiny_cnn.onnx");
  std::string other = testing::fixture("small_fmnist.onnx");
  LatencyComparison comparison =
      compare_latency_in_fresh_process(NACRE_BINARY, small, other, *target, request);
  EXPECT_GT(comparison.a.stats.median_ms, 0);
  EXPECT_GT(comparison.b.stats.median_ms, 0);
  EXPECT_GE(comparison.a.stats.runs, request.protocol.min_runs);
  EXPECT_TRUE(comparison.a.outputs_checked);
  EXPECT_EQ(comparison.a.target, "torchscript");
  EXPECT_LE(comparison.ratio.interval.low, comparison.ratio.ratio);
  EXPECT_GE(comparison.ratio.interval.high, comparison.ratio.ratio);
}

TEST(FreshProcessComparison, AChildThatFailsIsAnErrorWithItsMessage) {
  std::unique_ptr<Target> target = find_target("torchscript");
  try {
    compare_latency_in_fresh_process(NACRE_BINARY, "/nonexistent/model.onnx",
                                     testing::fixture("tiny_cnn.onnx"), *target, testing::quick_request());
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("/nonexistent/model.onnx"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("exit code"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace nacre
