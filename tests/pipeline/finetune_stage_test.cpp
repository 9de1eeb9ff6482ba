// The fine-tuning stage's correction of its aims by what verification measured.
#include <gtest/gtest.h>

#include "pipeline/finetune_stage.h"

namespace nacre {
namespace {

TEST(MeasuredPerPredicted, ComparesMeasuredAndPredictedSpeedupsOverKeepEverything) {
  VerifiedArchitecture verified;
  verified.predicted_latency_ms = 0.5;  // predicted 4x over keep-everything's 2 ms
  verified.baseline_latency_ms = 3.0;
  verified.latency_ms = 1.0;  // 3x over the baseline, which keep-everything runs 1.5x faster: 2x over keep
  EXPECT_NEAR(measured_per_predicted(verified, 2.0 / 3.0, 2.0), 0.5, 1e-12);
  // Keep-everything is the baseline: 3x measured against 4x predicted.
  EXPECT_NEAR(measured_per_predicted(verified, 1.0, 2.0), 0.75, 1e-12);
}

TEST(MeasuredPerPredicted, ClampedAndNeutralWithoutData) {
  VerifiedArchitecture verified;
  verified.predicted_latency_ms = 1.0;
  verified.baseline_latency_ms = 100.0;
  verified.latency_ms = 1.0;
  EXPECT_DOUBLE_EQ(measured_per_predicted(verified, 1.0, 1.0), 3.0);
  verified.latency_ms = 0;
  EXPECT_DOUBLE_EQ(measured_per_predicted(verified, 1.0, 1.0), 1.0);
  verified.latency_ms = 1.0;
  verified.predicted_latency_ms = 0;
  EXPECT_DOUBLE_EQ(measured_per_predicted(verified, 1.0, 1.0), 1.0);
}

}  // namespace
}  // namespace nacre
