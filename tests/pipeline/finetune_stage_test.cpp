// The fine-tuning stage's aims: corrected by what verification measured, moved by what each slot met; and
// where a slot looks: the front, then blocks dropped from what met the constraint.
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

// Three blocks; option 1 skips each (latency 0, an accuracy penalty), option 0 costs 1 ms.
SearchProblem three_blocks() {
  SearchProblem problem;
  problem.options_per_block = {2, 2, 2};
  problem.latency = [](const Choices& c) { return 0.1 + (c[0] == 0) + (c[1] == 0) + (c[2] == 0); };
  problem.accuracy = [](const Choices& c) { return 0.9 - 0.1 * (c[0] + c[1] + c[2]); };
  return problem;
}

TEST(WhereToLook, TheFrontUntilAnArchitectureMeetsTheConstraint) {
  std::vector<ParetoPoint> front = {{{1, 1, 0}, 1.1, 0.7}, {{0, 0, 0}, 3.1, 0.9}};
  VerifiedArchitecture missed = verified_at(2.0, 0.70, 0.77);
  missed.architecture = "0.0.0";
  SlotLookup where = where_to_look(front, {missed}, 1.0, three_blocks(), {1, 1, 1});
  EXPECT_EQ(where.dropped_from, "");
  ASSERT_EQ(where.points.size(), 2u);
  EXPECT_EQ(where.points[0].choices, (Choices{1, 1, 0}));
}

TEST(WhereToLook, ThenBlocksDroppedFromTheFastestThatMet) {
  std::vector<ParetoPoint> front = {{{1, 1, 0}, 1.1, 0.7}};
  VerifiedArchitecture slower = verified_at(1.5, 0.78, 0.77), faster = verified_at(2.0, 0.78, 0.77),
                       missed = verified_at(4.0, 0.70, 0.77);
  slower.architecture = "0.0.0";
  faster.architecture = "0.0.1";
  missed.architecture = "1.1.1";
  SlotLookup where = where_to_look(front, {slower, faster, missed}, 1.0, three_blocks(), {1, 1, -1});
  EXPECT_EQ(where.dropped_from, "0.0.1");
  // Blocks 0 and 1 can drop (block 2 is already skipped): fastest first.
  ASSERT_EQ(where.points.size(), 2u);
  EXPECT_EQ(where.points[0].choices, (Choices{1, 1, 1}));
  EXPECT_EQ(where.points[1].choices[2], 1);
  // Without predictions, or with nothing left to drop, the front again.
  EXPECT_EQ(where_to_look(front, {faster}, 1.0, SearchProblem{}, {1, 1, 1}).dropped_from, "");
  EXPECT_EQ(where_to_look(front, {faster}, 1.0, three_blocks(), {-1, -1, 1}).dropped_from, "");
}

}  // namespace
}  // namespace nacre
