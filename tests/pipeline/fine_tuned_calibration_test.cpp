// Which architectures are fine-tuned briefly to calibrate the accuracy predictor.
#include "pipeline/fine_tuned_calibration.h"

#include <gtest/gtest.h>

namespace nacre {
namespace {

ParetoPoint point(std::vector<int> choices, double latency, double accuracy) {
  return {std::move(choices), latency, accuracy, 0};
}

// Keep-everything takes 9 ms. Front a (few blocks changed, drastically) and front b (many changed mildly).
const std::vector<ParetoPoint> kFewChanged = {point({4, 4, 0}, 1.0, 0.50), point({4, 0, 0}, 2.0, 0.70),
                                              point({0, 4, 0}, 2.5, 0.75), point({0, 0, 0}, 9.0, 0.90)};
const std::vector<ParetoPoint> kManyNarrowed = {point({1, 1, 1}, 2.2, 0.80), point({1, 1, 0}, 2.9, 0.85),
                                                point({0, 1, 0}, 6.0, 0.88)};

TEST(PickCalibrationArchitectures, TakesEachFrontsMostAccurateAtEachSpeedup) {
  auto picked = pick_calibration_architectures({kFewChanged, kManyNarrowed}, 9.0, {3.0, 4.0}, 4);
  // At 3x (3 ms or less): a's most accurate is {0,4,0}, b's {1,1,0}; at 4x (2.25 ms): {4,0,0} and {1,1,1}.
  std::vector<std::vector<int>> expected = {{0, 4, 0}, {1, 1, 0}, {4, 0, 0}, {1, 1, 1}};
  EXPECT_EQ(picked, expected);
}

TEST(PickCalibrationArchitectures, StopsAtTheCount) {
  auto picked = pick_calibration_architectures({kFewChanged, kManyNarrowed}, 9.0, {3.0, 4.0}, 2);
  std::vector<std::vector<int>> expected = {{0, 4, 0}, {1, 1, 0}};
  EXPECT_EQ(picked, expected);
}

TEST(PickCalibrationArchitectures, NeverPicksKeepEverythingOrTheSameTwice) {
  // The same front twice: the second pick at each speed-up is the next best, not a repeat.
  auto picked = pick_calibration_architectures({kFewChanged, kFewChanged}, 9.0, {3.0}, 4);
  std::vector<std::vector<int>> expected = {{0, 4, 0}, {4, 0, 0}};
  EXPECT_EQ(picked, expected);
  for (const auto& choices : picked) EXPECT_NE(choices, (std::vector<int>{0, 0, 0}));
}

TEST(PickCalibrationArchitectures, FallsBackToTheFastestWhenNothingIsThatFast) {
  // At 4x b has {1,1,1}; nothing on it is 8x faster (1.125 ms): its fastest point not yet picked stands in.
  auto picked = pick_calibration_architectures({kManyNarrowed}, 9.0, {4.0, 8.0}, 4);
  std::vector<std::vector<int>> expected = {{1, 1, 1}, {1, 1, 0}};
  EXPECT_EQ(picked, expected);
}

TEST(PickCalibrationArchitectures, NothingToPickFromEmptyOrUnchangedFronts) {
  EXPECT_TRUE(pick_calibration_architectures({{}, {point({0, 0, 0}, 9.0, 0.9)}}, 9.0, {3.0}, 4).empty());
}

CalibrationSample sample(std::vector<double> block_nsr, double accuracy) {
  return {{std::move(block_nsr), {}, {}}, accuracy};
}

TEST(RefitMayReplaceStitched, RejectsAFlatRefitThatRanksNoBetterThanChance) {
  // A 60-minute resnet18_cifar10 run's calibration (rounded): keep-everything, then four skip-heavy brief
  // fine-tunes. The ridge refit came out flat (leave-one-out Kendall -0.2) and sent the search to latency
  // alone.
  std::vector<CalibrationSample> samples = {
      sample({0, 0, 0, 0, 0, 0, 0, 0, 0}, 0.7585),
      sample({0, 0, 0.36, 0.24, 0.61, 0.12, 0.05, 0.23, 4.13}, 0.6765),
      sample({0, 0.03, 0.36, 0.24, 0.12, 0.12, 0.68, 0.23, 0.09}, 0.579),
      sample({0.64, 0.54, 0.36, 0.24, 0.61, 0.12, 0.68, 0.23, 4.13}, 0.2005),
      sample({0.20, 0.54, 0.36, 0.24, 0.61, 0.12, 0.68, 0.23, 4.13}, 0.243)};
  PredictorOptions options;
  options.baseline_accuracy = 0.7585;
  AccuracyPredictor refit = AccuracyPredictor::fit(samples, options);
  ASSERT_EQ(refit.method(), "ridge");
  ASSERT_TRUE(refit.validation().has_value());
  EXPECT_LE(refit.validation()->kendall, 0);
  EXPECT_FALSE(refit_may_replace_stitched(refit));
}

TEST(RefitMayReplaceStitched, AcceptsARefitThatRanksItsHeldOutSamples) {
  std::vector<CalibrationSample> samples;
  for (int i = 0; i < 6; ++i) {
    double nsr = 0.1 * i;
    samples.push_back(sample({nsr, nsr / 2, 0}, 0.9 - 0.3 * nsr - 0.01 * (i % 2)));
  }
  PredictorOptions options;
  options.baseline_accuracy = 0.9;
  AccuracyPredictor refit = AccuracyPredictor::fit(samples, options);
  ASSERT_EQ(refit.method(), "ridge");
  EXPECT_GT(refit.validation()->kendall, 0);
  EXPECT_TRUE(refit_may_replace_stitched(refit));
}

TEST(RefitMayReplaceStitched, AcceptsTheMonotonePriorOfTooFewSamples) {
  PredictorOptions options;
  options.baseline_accuracy = 0.9;
  AccuracyPredictor prior = AccuracyPredictor::fit({sample({0, 0}, 0.9), sample({0.5, 0.2}, 0.7)}, options);
  ASSERT_EQ(prior.method(), "monotone_prior");
  EXPECT_TRUE(refit_may_replace_stitched(prior));
}

}  // namespace
}  // namespace nacre
