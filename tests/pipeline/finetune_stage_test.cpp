// The fine-tuning stage's aims: corrected by what verification measured, moved by what each slot met; and
// where a slot looks: the front (with the brief fine-tunes within reach), then single changes of what met the
// constraint, probed; and how long each slot trains.
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

// A brief calibration fine-tune of `architecture` measured at `accuracy`, predicted at `latency_ms`.
VerifiedArchitecture brief(const std::string& architecture, double accuracy, double latency_ms) {
  VerifiedArchitecture verified;
  verified.architecture = architecture;
  verified.val_accuracy = accuracy;
  verified.predicted_latency_ms = latency_ms;
  return verified;
}

TEST(BriefFineTunesWithinReach, LeavesOutOneFarBelowTheOthers) {
  // A resnet18_cifar10 run's four brief fine-tunes (rounded): the all-skip one collapsed.
  auto points = brief_fine_tunes_within_reach(
      {brief("0.4.0.4.4.4.7.4.0.0", 0.672, 0.50), brief("0.2.4.4.7.4.7.4.2.0", 0.691, 0.45),
       brief("4.7.8.8.7.8.7.8.8.0", 0.6635, 0.60), brief("0.4.4.4.4.4.4.4.1.0", 0.2475, 0.30)});
  ASSERT_EQ(points.size(), 3u);
  for (const ParetoPoint& point : points) EXPECT_GE(point.accuracy, 0.66);
  EXPECT_EQ(points[1].choices, (std::vector<int>{0, 2, 4, 4, 7, 4, 7, 4, 2, 0}));
  EXPECT_DOUBLE_EQ(points[1].latency, 0.45);
}

TEST(BriefFineTunesWithinReach, KeepsCloseOnesAndDropsThoseWithoutAPrediction) {
  auto points = brief_fine_tunes_within_reach(
      {brief("0.1", 0.80, 1.0), brief("1.0", 0.71, 0.5), brief("1.1", 0.95, 0)});
  // 1.1 has no predicted latency, so it neither counts nor sets the best: 0.71 is within 0.10 of 0.80.
  ASSERT_EQ(points.size(), 2u);
  EXPECT_TRUE(brief_fine_tunes_within_reach({}).empty());
}

TEST(FirstAim, NoFurtherThanTheFastestBriefFineTuneWithinReachWhenAFasterOneCollapsed) {
  // Keep-everything is predicted at 2 ms. Within reach: 3x (0.667 ms) and 2.5x; collapsed: 5x.
  std::vector<VerifiedArchitecture> briefs = {brief("0.1", 0.67, 2.0 / 3), brief("1.0", 0.69, 0.8),
                                              brief("1.1", 0.25, 0.4)};
  EXPECT_NEAR(first_aim(4.0, briefs, 2.0), 3.0, 1e-12);
  EXPECT_DOUBLE_EQ(first_aim(2.0, briefs, 2.0), 2.0);  // a milder aim stays
}

TEST(FirstAim, TheWantedAimWhenNothingFasterCollapsed) {
  // The collapsed one is slower than those within reach: it says nothing about the fast end.
  EXPECT_DOUBLE_EQ(first_aim(4.0, {brief("0.1", 0.85, 0.4), brief("1.0", 0.40, 1.0)}, 2.0), 4.0);
  EXPECT_DOUBLE_EQ(first_aim(4.0, {brief("0.1", 0.85, 0.4), brief("1.0", 0.88, 0.5)}, 2.0), 4.0);
  EXPECT_DOUBLE_EQ(first_aim(4.0, {}, 2.0), 4.0);
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

TEST(NextAim, HalfwayFromKeepEverythingToTheMissAfterAClearMissWhenNothingMet) {
  EXPECT_NEAR(next_aim(3.0, {verified_at(2.8, 0.70, 0.77)}, 0.77, 1.0), std::sqrt(2.8), 1e-12);
  EXPECT_NEAR(next_aim(2.0, {verified_at(1.3, 0.70, 0.77)}, 0.77, 1.0), 1.2, 1e-12);  // not below the mildest
  // Mobilenet run 6: aimed at 4x, the front's end measured 1.99x and missed; half the aim, 2x, was no lower.
  EXPECT_LT(next_aim(4.0, {verified_at(1.99, 0.7492, 0.7642)}, 0.7642, 1.0), 1.99 * 0.75);
  // A miss slower than keep-everything says nothing about where to aim: half the aim.
  EXPECT_NEAR(next_aim(3.0, {verified_at(0.9, 0.70, 0.77)}, 0.77, 1.0), 1.5, 1e-12);
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

// resnet18_cifar10 run 16's plan: 3600 s, three slots, four 27 s probes, 30 s verifications.
BudgetPlan three_slot_plan() {
  BudgetPlan plan;
  plan.finetune_architectures = 3;
  plan.finetune_seconds_per_architecture = 600;
  plan.neighbour_probes = 4;
  plan.neighbour_probe_seconds = 27;
  plan.verify_seconds = 30;
  return plan;
}

TEST(SlotSeconds, TheFirstSlotHalfAndTheLaterOnesEqualPartsOfWhatTheProbesAndVerificationsLeave) {
  BudgetPlan plan = three_slot_plan();
  double left = 2487;  // when run 16's fine-tuning began
  std::vector<double> slots;
  for (int slot = 0; slot < 3; ++slot) {
    slots.push_back(slot_seconds(plan, 3600, left, slot));
    left -= slots.back() + plan.verify_seconds + 10;  // the slot and its verification
    if (slot < 2) left -= plan.neighbour_probes * plan.neighbour_probe_seconds;  // the next slot's probes
  }
  // Before: 1150, 600 (the plan's time per architecture, over the second slot's share) and 383 s.
  EXPECT_NEAR(slots[0], (2487 - 5 * 40 - 2 * 108) / 2.0, 1e-9);
  EXPECT_NEAR(slots[1], slots[2], 0.01 * slots[2]);
  EXPECT_GT(slots[2], 500);
  EXPECT_GE(left, 2 * 40 - 1e-9);  // the final result's verification still fits
}

TEST(SlotSeconds, ThePlansTimePerArchitectureIsAFloorForTheLastSlotOnly) {
  BudgetPlan plan = three_slot_plan();
  // Earlier stages overran: shares fall below the plan's 600 s.
  EXPECT_DOUBLE_EQ(slot_seconds(plan, 3600, 700, 1), (700 - 4 * 40 - 108) / 2.0);
  EXPECT_DOUBLE_EQ(slot_seconds(plan, 3600, 200, 2), 100);  // half of the time left, under the plan's 600 s
  EXPECT_DOUBLE_EQ(slot_seconds(plan, 3600, 1500, 2), 1500 - 3 * 40);
  EXPECT_DOUBLE_EQ(slot_seconds(plan, 3600, 100, 0), 1.0);  // at least a second
}

TEST(ReachableAim, TheWantedSpeedupWhenTheFrontReachesIt) {
  EXPECT_DOUBLE_EQ(reachable_aim(3.0, 4.0, 2.0), 3.0);
  EXPECT_DOUBLE_EQ(reachable_aim(3.0, 0, 0), 3.0);  // nothing untried: the lookup finds nothing either way
}

TEST(ReachableAim, TheFrontsFastestEndForTheFirstSlotHalfwayToItForALaterOne) {
  // Run 14: the first slot wanted 4.0x and the front reached 3.99x; halfway from keep-everything gave 2.0x.
  EXPECT_DOUBLE_EQ(reachable_aim(4.0, 3.99, 0), 3.99);
  EXPECT_NEAR(reachable_aim(6.0, 4.0, 2.0), std::sqrt(8.0), 1e-12);
  EXPECT_NEAR(reachable_aim(6.0, 4.0, 0.5), 2.0, 1e-12);  // never from below keep-everything
}

// Three blocks; option 1 skips each (latency 0, an accuracy penalty), option 0 costs 1 ms.
SearchProblem three_blocks() {
  SearchProblem problem;
  problem.options_per_block = {2, 2, 2};
  problem.latency = [](const Choices& c) { return 0.1 + (c[0] == 0) + (c[1] == 0) + (c[2] == 0); };
  problem.accuracy = [](const Choices& c) { return 0.9 - 0.1 * (c[0] + c[1] + c[2]); };
  return problem;
}

// A probe that measures `from` at 0.8, a neighbour changing block 0 or 1 at 0.75 and one changing block 2 at
// 0.6; it counts its calls.
NeighbourProbe counting_probe(int& calls) {
  return [&calls](const VerifiedArchitecture& from, const std::vector<ParetoPoint>& neighbours) {
    ++calls;
    Choices from_choices = Architecture::decode(from.architecture).choices;
    ProbedNeighbours probed{0.8, neighbours};
    for (ParetoPoint& point : probed.points)
      for (size_t b = 0; b < from_choices.size(); ++b)
        if (point.choices[b] != from_choices[b]) point.accuracy = 0.8 - (b == 2 ? 0.2 : 0.05);
    return probed;
  };
}

TEST(WhereToLook, TheFrontUntilAnArchitectureMeetsTheConstraint) {
  std::vector<ParetoPoint> front = {{{1, 1, 0}, 1.1, 0.7}, {{0, 0, 0}, 3.1, 0.9}};
  VerifiedArchitecture missed = verified_at(2.0, 0.70, 0.77);
  missed.architecture = "0.0.0";
  int probes = 0;
  SlotLookup where = where_to_look(front, {missed}, 1.0, 0.77, three_blocks(), counting_probe(probes));
  EXPECT_EQ(where.changed_from, "");
  ASSERT_EQ(where.points.size(), 2u);
  EXPECT_EQ(where.points[0].choices, (Choices{1, 1, 0}));
  EXPECT_EQ(probes, 0);
}

TEST(WhereToLook, ThenSingleChangesOfTheFastestThatMetThatProbeWithinReach) {
  std::vector<ParetoPoint> front = {{{1, 1, 0}, 1.1, 0.7}};
  VerifiedArchitecture slower = verified_at(1.5, 0.78, 0.77), faster = verified_at(2.0, 0.78, 0.77),
                       missed = verified_at(4.0, 0.70, 0.77);
  slower.architecture = "0.0.0";
  faster.architecture = "0.0.1";
  missed.architecture = "1.1.1";
  int probes = 0;
  SlotLookup where =
      where_to_look(front, {slower, faster, missed}, 1.0, 0.77, three_blocks(), counting_probe(probes));
  EXPECT_EQ(probes, 1);
  EXPECT_EQ(where.changed_from, "0.0.1");
  // Blocks 0 and 1 can change to their faster option (block 2 is already at it); both probe at 0.75, equally
  // fast: the front keeps the first.
  ASSERT_EQ(where.points.size(), 1u);
  EXPECT_EQ(where.points[0].choices, (Choices{1, 0, 1}));
  EXPECT_DOUBLE_EQ(where.points[0].accuracy, 0.75);
}

TEST(WhereToLook, LeavesOutNeighboursProbedFarBelowUnlessAllAre) {
  VerifiedArchitecture met = verified_at(2.0, 0.78, 0.77);
  met.architecture = "1.1.0";
  int probes = 0;
  // The only faster neighbour changes block 2, probed 0.2 below: more than kMostProbedLoss, but all there is.
  SlotLookup where = where_to_look({}, {met}, 1.0, 0.77, three_blocks(), counting_probe(probes));
  ASSERT_EQ(where.points.size(), 1u);
  EXPECT_EQ(where.points[0].choices, (Choices{1, 1, 1}));
  met.architecture = "0.1.0";
  where = where_to_look({}, {met}, 1.0, 0.77, three_blocks(), counting_probe(probes));
  ASSERT_EQ(where.points.size(), 1u);  // {1, 1, 0} at 0.75 stays; {0, 1, 1} at 0.6 is left out
  EXPECT_EQ(where.points[0].choices, (Choices{1, 1, 0}));
}

// `architecture`, verified at 2x with `val_accuracy` against `accuracy_needed`.
VerifiedArchitecture verified_as(const std::string& architecture, double val_accuracy,
                                 double accuracy_needed) {
  VerifiedArchitecture verified = verified_at(2.0, val_accuracy, accuracy_needed);
  verified.architecture = architecture;
  return verified;
}

// Three blocks whose options 1 save 1, 2 and 3 ms; the counting probe reads blocks 0 and 1 changed at 0.75
// and block 2 at 0.6.
SearchProblem unequal_blocks() {
  SearchProblem problem = three_blocks();
  problem.latency = [](const Choices& c) { return 0.1 + (c[0] == 0) + 2 * (c[1] == 0) + 3 * (c[2] == 0); };
  return problem;
}

TEST(WhereToLook, TheFastestNeighbourExpectedToMeetTheConstraintWhenOneIs) {
  VerifiedArchitecture met = verified_as("0.0.0", 0.80, 0.77);
  int probes = 0;
  // Probe losses 0.05 (blocks 0 and 1) and 0.2 (block 2): expected 0.78 and 0.705 after a slot. Block 1's
  // change is the faster of the two expected to meet 0.77; block 2's, faster still, is not.
  SlotLookup where = where_to_look({}, {met}, 1.0, 0.77, unequal_blocks(), counting_probe(probes));
  EXPECT_EQ(where.changed_from, "0.0.0");
  ASSERT_EQ(where.points.size(), 1u);
  EXPECT_EQ(where.points[0].choices, (Choices{0, 1, 0}));
  EXPECT_NEAR(where.expected_accuracy, 0.78, 1e-12);
  // Needing 0.79, none is expected to meet: the front of those probed within reach, no expectation.
  where = where_to_look({}, {met}, 1.0, 0.79, unequal_blocks(), counting_probe(probes));
  ASSERT_EQ(where.points.size(), 1u);
  EXPECT_EQ(where.points[0].choices, (Choices{0, 1, 0}));
  EXPECT_EQ(where.expected_accuracy, 0);
  EXPECT_EQ(probes, 2);
}

TEST(WhereToLook, APairOfProbedChangesWhenTheirLossesTogetherStillMeetTheConstraint) {
  VerifiedArchitecture met = verified_as("0.0.0", 0.80, 0.74);
  int probes = 0;
  // Blocks 0 and 1 changed together: 0.1 lost in the probes, 0.76 expected; faster than either alone.
  SlotLookup where = where_to_look({}, {met}, 1.0, 0.74, unequal_blocks(), counting_probe(probes));
  ASSERT_EQ(where.points.size(), 1u);
  EXPECT_EQ(where.points[0].choices, (Choices{1, 1, 0}));
  EXPECT_DOUBLE_EQ(where.points[0].latency, 3.1);
  EXPECT_NEAR(where.points[0].accuracy, 0.7, 1e-12);  // as if probed: the losses summed
  EXPECT_NEAR(where.expected_accuracy, 0.76, 1e-12);
  // A pair already trained is not tried again: block 1's change alone is.
  where = where_to_look({}, {met, verified_as("1.1.0", 0.70, 0.74)}, 1.0, 0.74, unequal_blocks(),
                        counting_probe(probes));
  ASSERT_EQ(where.points.size(), 1u);
  EXPECT_EQ(where.points[0].choices, (Choices{0, 1, 0}));
}

// A measurement of single changes that reads `ratio_by_block[b]` for a change of block b; it keeps what it
// was asked to measure in `measured`.
ChangeLatency measuring(const std::vector<double>& ratio_by_block, std::vector<Choices>& measured) {
  return [ratio_by_block, &measured](const VerifiedArchitecture& from, const std::vector<Choices>& changes) {
    Choices from_choices = Architecture::decode(from.architecture).choices;
    std::vector<double> ratios;
    for (const Choices& change : changes) {
      measured.push_back(change);
      for (size_t b = 0; b < from_choices.size(); ++b)
        if (change[b] != from_choices[b]) ratios.push_back(ratio_by_block[b]);
    }
    return ratios;
  };
}

TEST(WhereToLook, ChangesMeasuredToSaveTooLittleAreNotProbed) {
  VerifiedArchitecture met = verified_as("0.0.0", 0.80, 0.77);
  int probes = 0;
  std::vector<Choices> measured;
  std::vector<Choices> probed;
  NeighbourProbe probe = [&](const VerifiedArchitecture& from, const std::vector<ParetoPoint>& neighbours) {
    for (const ParetoPoint& point : neighbours) probed.push_back(point.choices);
    return counting_probe(probes)(from, neighbours);
  };
  // Block 1's change, the one predicted to save most among those expected to meet, measures within
  // kLeastMeasuredSaving of the latency it changes: block 0's is taken.
  SlotLookup where = where_to_look({}, {met}, 1.0, 0.77, unequal_blocks(), probe,
                                   measuring({0.8, 1 - kLeastMeasuredSaving / 2, 0.5}, measured));
  EXPECT_EQ(measured.size(), 3u);
  EXPECT_EQ(probed, (std::vector<Choices>{{0, 0, 1}, {1, 0, 0}}));
  ASSERT_EQ(where.points.size(), 1u);
  EXPECT_EQ(where.points[0].choices, (Choices{1, 0, 0}));
  EXPECT_DOUBLE_EQ(where.points[0].latency, 5.1);  // the prediction, for the measured/predicted factor
  // None measured faster: the front.
  where = where_to_look({{{1, 1, 1}, 0.1, 0.5}}, {met}, 1.0, 0.77, unequal_blocks(), probe,
                        measuring({1.0, 1.0, 1.1}, measured));
  EXPECT_EQ(where.changed_from, "");
  EXPECT_EQ(probes, 1);
}

TEST(WhereToLook, TheChangeOrPairMeasuredToSaveMostWhenSeveralAreExpectedToMeet) {
  VerifiedArchitecture met = verified_as("0.0.0", 0.80, 0.77);
  int probes = 0;
  std::vector<Choices> measured;
  // Predicted, block 1's change saves more than block 0's; measured, block 0's does.
  SlotLookup where = where_to_look({}, {met}, 1.0, 0.77, unequal_blocks(), counting_probe(probes),
                                   measuring({0.7, 0.9, 0.5}, measured));
  ASSERT_EQ(where.points.size(), 1u);
  EXPECT_EQ(where.points[0].choices, (Choices{1, 0, 0}));
  // Needing 0.74 the pair of both is expected to meet and saves their sum.
  where = where_to_look({}, {met}, 1.0, 0.74, unequal_blocks(), counting_probe(probes),
                        measuring({0.7, 0.9, 0.5}, measured));
  ASSERT_EQ(where.points.size(), 1u);
  EXPECT_EQ(where.points[0].choices, (Choices{1, 1, 0}));
}

TEST(ExpectedAfterSlot, TheValidationAccuracyLessPartOfEachProbesLossBeyondWhatASlotWinsBack) {
  VerifiedArchitecture from;
  from.val_accuracy = 0.80;
  EXPECT_NEAR(expected_after_slot(from, {0.08}), 0.80 - kProbeCarry * (0.08 - kRecoveredProbeLoss), 1e-12);
  EXPECT_NEAR(expected_after_slot(from, {0.08, 0.03}),
              0.80 - kProbeCarry * (0.08 - kRecoveredProbeLoss) - kProbeCarry * (0.03 - kRecoveredProbeLoss),
              1e-12);
  EXPECT_DOUBLE_EQ(expected_after_slot(from, {kRecoveredProbeLoss / 2}), 0.80);  // won back by the slot
  EXPECT_DOUBLE_EQ(expected_after_slot(from, {-0.01}), 0.80);  // a probe above its source promises no gain
  EXPECT_DOUBLE_EQ(expected_after_slot(from, {}), 0.80);
}

TEST(WhereToLook, TheFrontWhenNothingIsFasterOrThereAreNoPredictions) {
  std::vector<ParetoPoint> front = {{{1, 1, 0}, 1.1, 0.7}};
  VerifiedArchitecture met = verified_at(2.0, 0.78, 0.77);
  met.architecture = "1.1.1";
  int probes = 0;
  EXPECT_EQ(where_to_look(front, {met}, 1.0, 0.77, three_blocks(), counting_probe(probes)).changed_from, "");
  met.architecture = "0.0.0";
  EXPECT_EQ(where_to_look(front, {met}, 1.0, 0.77, SearchProblem{}, counting_probe(probes)).changed_from, "");
  EXPECT_EQ(probes, 0);
}

}  // namespace
}  // namespace nacre
