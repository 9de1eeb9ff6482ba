#include "search/front_lookup.h"

#include <gtest/gtest.h>

namespace nacre {
namespace {

// A front fastest first: latency 1 to 4, accuracy rising with latency.
std::vector<ParetoPoint> front() {
  return {{{3, 3}, 1.0, 0.50}, {{2, 2}, 2.0, 0.70}, {{1, 1}, 3.0, 0.80}, {{0, 0}, 4.0, 0.90}};
}

bool any(const ParetoPoint&) { return true; }

TEST(MostAccurateAt, TakesTheMostAccuratePointFastEnough) {
  std::vector<ParetoPoint> points = front();
  // 2x faster than 4.0 means latency at most 2.0.
  EXPECT_EQ(most_accurate_at(points, 2.0, 4.0, any)->choices, (std::vector<int>{2, 2}));
  EXPECT_EQ(most_accurate_at(points, 4.0, 4.0, any)->choices, (std::vector<int>{3, 3}));
  EXPECT_EQ(most_accurate_at(points, 0.0, 4.0, any)->choices, (std::vector<int>{0, 0}));
}

TEST(MostAccurateAt, SkipsRejectedPointsAndIsNullWhenNoneIsLeft) {
  std::vector<ParetoPoint> points = front();
  auto not_two = [](const ParetoPoint& p) { return p.choices[0] != 2; };
  EXPECT_EQ(most_accurate_at(points, 2.0, 4.0, not_two)->choices, (std::vector<int>{3, 3}));
  EXPECT_EQ(most_accurate_at(points, 5.0, 4.0, any), nullptr);
}

TEST(MostAccurateAtWithMeasurements, AMeasurementReplacesThePredictionOfItsArchitecture) {
  std::vector<ParetoPoint> points = front();
  // {2, 2} was predicted at 0.70 but measured at 0.40: at 2x the front's next best fast enough is {3, 3}.
  std::vector<ParetoPoint> measured = {{{2, 2}, 2.0, 0.40}};
  EXPECT_EQ(most_accurate_at(points, measured, 2.0, 1.0, 4.0, any)->choices, (std::vector<int>{3, 3}));
  // Measured at 0.75 instead, it beats every prediction fast enough.
  measured[0].accuracy = 0.75;
  const ParetoPoint* pick = most_accurate_at(points, measured, 2.0, 1.0, 4.0, any);
  EXPECT_EQ(pick, &measured[0]);
}

TEST(MostAccurateAtWithMeasurements, MeasuredPointsCompeteWithinTheirReach) {
  std::vector<ParetoPoint> points = front();
  // A measured architecture predicted at 2.4 (1.67x) with 0.72 measured: at 2x it is out of reach 1 ...
  std::vector<ParetoPoint> measured = {{{5, 5}, 2.4, 0.72}};
  EXPECT_EQ(most_accurate_at(points, measured, 2.0, 1.0, 4.0, any)->choices, (std::vector<int>{2, 2}));
  // ... within reach 0.8 (1.6x wanted of it), and more accurate than the prediction at 2x.
  EXPECT_EQ(most_accurate_at(points, measured, 2.0, 0.8, 4.0, any), &measured[0]);
  // Less accurate than the prediction, it loses.
  measured[0].accuracy = 0.60;
  EXPECT_EQ(most_accurate_at(points, measured, 2.0, 0.8, 4.0, any)->choices, (std::vector<int>{2, 2}));
}

TEST(MostAccurateAtWithMeasurements, RespectsTheFilterAndIsNullWhenNothingIsFastEnough) {
  std::vector<ParetoPoint> points = front();
  std::vector<ParetoPoint> measured = {{{5, 5}, 2.0, 0.95}};
  auto not_five = [](const ParetoPoint& p) { return p.choices[0] != 5; };
  EXPECT_EQ(most_accurate_at(points, measured, 2.0, 1.0, 4.0, not_five)->choices, (std::vector<int>{2, 2}));
  EXPECT_EQ(most_accurate_at(points, measured, 5.0, 1.0, 4.0, any), nullptr);
  EXPECT_EQ(most_accurate_at({}, measured, 2.0, 1.0, 4.0, any), &measured[0]);
}

TEST(FastestPoint, TakesTheLowestLatencyAccepted) {
  std::vector<ParetoPoint> points = front();
  EXPECT_EQ(fastest_point(points, any)->choices, (std::vector<int>{3, 3}));
  auto slower_than_1_5 = [](const ParetoPoint& p) { return p.latency > 1.5; };
  EXPECT_EQ(fastest_point(points, slower_than_1_5)->choices, (std::vector<int>{2, 2}));
  EXPECT_EQ(fastest_point({}, any), nullptr);
}

TEST(ChangesNothing, OnlyWhenEveryChoiceIsZero) {
  EXPECT_TRUE(changes_nothing({0, 0, 0}));
  EXPECT_TRUE(changes_nothing({}));
  EXPECT_FALSE(changes_nothing({0, 1, 0}));
}

}  // namespace
}  // namespace nacre
