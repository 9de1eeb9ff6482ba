// The architectures one block change away from a trained one, predicted faster.
#include "search/single_changes.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace nacre {
namespace {

// Three blocks; latency sums a per-(block, option) cost, accuracy is 1 less the options' sum over 100.
SearchProblem three_blocks() {
  SearchProblem problem;
  problem.options_per_block = {3, 2, 1};
  problem.latency = [](const Choices& c) {
    const double cost[3][3] = {{4, 1, 6}, {3, 2, 0}, {1, 0, 0}};
    return cost[0][c[0]] + cost[1][c[1]] + cost[2][c[2]];
  };
  problem.accuracy = [](const Choices& c) { return 1 - (c[0] + c[1] + c[2]) / 100.0; };
  return problem;
}

TEST(FasterSingleChanges, ChangesOneBlockAndKeepsOnlyWhatIsPredictedFasterFastestFirst) {
  // From {0, 0, 0} (latency 8): block 0 to option 1 (5) is faster, to option 2 (10) is not; block 1 to
  // option 1 (7) is faster; block 2 has no other option.
  std::vector<ParetoPoint> faster = faster_single_changes(three_blocks(), {0, 0, 0});
  ASSERT_EQ(faster.size(), 2u);
  EXPECT_EQ(faster[0].choices, (Choices{1, 0, 0}));
  EXPECT_DOUBLE_EQ(faster[0].latency, 5);
  EXPECT_DOUBLE_EQ(faster[0].accuracy, 0.99);
  EXPECT_EQ(faster[1].choices, (Choices{0, 1, 0}));
  EXPECT_DOUBLE_EQ(faster[1].latency, 7);
}

TEST(FasterSingleChanges, IsEmptyAtTheFastestArchitecture) {
  EXPECT_TRUE(faster_single_changes(three_blocks(), {1, 1, 0}).empty());
}

TEST(FasterSingleChanges, LeavesAccuracyAtZeroWithoutAnAccuracyPrediction) {
  SearchProblem problem = three_blocks();
  problem.accuracy = nullptr;
  for (const ParetoPoint& point : faster_single_changes(problem, {2, 0, 0})) EXPECT_EQ(point.accuracy, 0);
}

TEST(FasterSingleChanges, RefusesChoicesThatDoNotFitTheProblem) {
  EXPECT_THROW(faster_single_changes(three_blocks(), {0, 0}), Error);
  EXPECT_THROW(faster_single_changes(three_blocks(), {0, 2, 0}), Error);
  EXPECT_THROW(faster_single_changes(SearchProblem{{3, 2, 1}, nullptr, nullptr, 0}, {0, 0, 0}), Error);
}

TEST(CombinedChanges, BothChangesWhenTheyAreInDifferentBlocks) {
  EXPECT_EQ(combined_changes({0, 0, 0}, {2, 0, 0}, {0, 0, 1}), (Choices{2, 0, 1}));
  EXPECT_TRUE(combined_changes({0, 0, 0}, {2, 0, 0}, {1, 0, 0}).empty());  // the same block
  EXPECT_TRUE(combined_changes({0, 0, 0}, {2, 1, 0}, {0, 0, 1}).empty());  // not a single change
  EXPECT_TRUE(combined_changes({0, 0, 0}, {0, 0, 0}, {0, 0, 1}).empty());  // no change
  EXPECT_TRUE(combined_changes({0, 0, 0}, {1, 0}, {0, 0, 1}).empty());     // does not fit
}

// Points at (latency, accuracy); the choices only tell them apart.
std::vector<ParetoPoint> trade_off(const std::vector<std::pair<double, double>>& at) {
  std::vector<ParetoPoint> points;
  for (size_t i = 0; i < at.size(); ++i) points.push_back({{static_cast<int>(i)}, at[i].first, at[i].second});
  return points;
}

std::vector<int> first_choices(const std::vector<ParetoPoint>& points) {
  std::vector<int> firsts;
  for (const ParetoPoint& point : points) firsts.push_back(point.choices[0]);
  return firsts;
}

TEST(SpreadAlongFront, TakesBothEndsOfTheFrontAndEvenlySpacedPointsBetween) {
  // Front: 1 (1 ms), 3, 4, 5, 6 (5 ms, most accurate); 0 and 2 are dominated.
  std::vector<ParetoPoint> points =
      trade_off({{2, 0.5}, {1, 0.6}, {2.5, 0.6}, {2, 0.7}, {3, 0.8}, {4, 0.85}, {5, 0.9}});
  EXPECT_EQ(first_choices(spread_along_front(points, 3)), (std::vector<int>{1, 4, 6}));
  EXPECT_EQ(first_choices(spread_along_front(points, 2)), (std::vector<int>{1, 6}));
  EXPECT_EQ(first_choices(spread_along_front(points, 1)), (std::vector<int>{1}));
  EXPECT_TRUE(spread_along_front(points, 0).empty());
}

TEST(SpreadAlongFront, FillsWithTheFastestOthersWhenTheFrontIsShort) {
  // Without accuracy predictions the front is the fastest point alone: the fastest ones, as before.
  std::vector<ParetoPoint> points = trade_off({{3, 0}, {1, 0}, {2, 0}, {4, 0}});
  EXPECT_EQ(first_choices(spread_along_front(points, 3)), (std::vector<int>{1, 2, 0}));
  EXPECT_EQ(first_choices(spread_along_front(points, 9)), (std::vector<int>{1, 2, 0, 3}));
}

TEST(SpreadAlongFront, OneChangePerBlockWhileAnotherBlockHasOne) {
  // Single changes of {0, 0}: three of block 0 make the front; block 1's, slower and less accurate, is
  // dominated. Two probes: block 0's fastest, then block 1's rather than block 0's most accurate.
  std::vector<ParetoPoint> points = {{{1, 0}, 1, 0.6}, {{2, 0}, 2, 0.7}, {{3, 0}, 3, 0.8}, {{0, 1}, 4, 0.5}};
  std::vector<ParetoPoint> chosen = spread_along_front(points, 2);
  ASSERT_EQ(chosen.size(), 2u);
  EXPECT_EQ(chosen[0].choices, (Choices{1, 0}));
  EXPECT_EQ(chosen[1].choices, (Choices{0, 1}));
  // Three probes, the whole front fits: one per block first, then the front's next fastest.
  chosen = spread_along_front(points, 3);
  ASSERT_EQ(chosen.size(), 3u);
  EXPECT_EQ(chosen[0].choices, (Choices{1, 0}));
  EXPECT_EQ(chosen[1].choices, (Choices{2, 0}));
  EXPECT_EQ(chosen[2].choices, (Choices{0, 1}));
}

}  // namespace
}  // namespace nacre
