// The fine-tuning stage's aims: corrected by what verification measured, moved by what each slot met.
#include <gtest/gtest.h>

#include <cmath>

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

// A verified architecture `speedup` times faster than keep-everything (keep-everything is the baseline).
VerifiedArchitecture verified_at(double speedup, double val_accuracy, double accuracy_needed) {
  VerifiedArchitecture verified;
  verified.baseline_latency_ms = 2.0;
  verified.latency_ms = 2.0 / speedup;
  verified.val_accuracy = val_accuracy;
  verified.meets_constraint = val_accuracy >= accuracy_needed;
  return verified;
}

TEST(NextAim, BolderAfterASuccessAndMuchBolderWithAWideMargin) {
  EXPECT_NEAR(next_aim(3.0, {verified_at(2.5, 0.775, 0.77)}, 0.77, 1.0), 4.5, 1e-12);
  EXPECT_NEAR(next_aim(3.0, {verified_at(2.5, 0.785, 0.77)}, 0.77, 1.0), 5.25, 1e-12);
}

TEST(NextAim, HalvesAfterAClearMissWhenNothingMet) {
  EXPECT_NEAR(next_aim(3.0, {verified_at(2.8, 0.70, 0.77)}, 0.77, 1.0), 1.5, 1e-12);
  EXPECT_NEAR(next_aim(2.0, {verified_at(1.9, 0.70, 0.77)}, 0.77, 1.0), 1.2, 1e-12);  // not below the mildest
}

TEST(NextAim, BisectsBetweenWhatMetAndWhatMissed) {
  // Met at 2x, then missed clearly at 8x: the next aim is 4x, not half of the missed aim.
  EXPECT_NEAR(next_aim(8.0, {verified_at(2.0, 0.78, 0.77), verified_at(8.0, 0.70, 0.77)}, 0.77, 1.0), 4.0,
              1e-12);
  // Missed at 5x, then met at 3x: 1.75 times bolder would pass the miss, so halfway between instead.
  EXPECT_NEAR(next_aim(3.0, {verified_at(5.0, 0.70, 0.77), verified_at(3.0, 0.79, 0.77)}, 0.77, 1.0),
              std::sqrt(15.0), 1e-12);
}

TEST(NextAim, MeasuresAgainstKeepEverything) {
  // Keep-everything runs 1.5x faster than the baseline: 6x over the baseline is 4x over keep-everything.
  VerifiedArchitecture met = verified_at(1.5 * 2.0, 0.78, 0.77);
  VerifiedArchitecture missed = verified_at(1.5 * 8.0, 0.70, 0.77);
  EXPECT_NEAR(next_aim(8.0, {met, missed}, 0.77, 1 / 1.5), 4.0, 1e-12);
  EXPECT_NEAR(measured_speedup_over_keep(missed, 1 / 1.5), 8.0, 1e-12);
}

}  // namespace
}  // namespace nacre
