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

}  // namespace
}  // namespace nacre
