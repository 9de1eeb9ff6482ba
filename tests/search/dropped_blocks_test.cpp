// The neighbours of a trained architecture with blocks dropped, and their Pareto front.
#include "search/dropped_blocks.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace nacre {
namespace {

// Four blocks of three options; option 2 skips blocks 0-2 (latency 0, an accuracy penalty per block),
// block 3 has no skip option. Latency sums per-block costs; accuracy is 1 less the penalties.
SearchProblem four_blocks() {
  SearchProblem problem;
  problem.options_per_block = {3, 3, 3, 3};
  problem.latency = [](const Choices& c) {
    const double kept[] = {3, 2, 1, 5};
    double sum = 0;
    for (size_t b = 0; b < c.size(); ++b) sum += c[b] == 2 && b < 3 ? 0 : kept[b];
    return sum;
  };
  problem.accuracy = [](const Choices& c) {
    const double penalty[] = {0.10, 0.02, 0.20};
    double accuracy = 1;
    for (size_t b = 0; b < 3; ++b) accuracy -= c[b] == 2 ? penalty[b] : 0;
    return accuracy;
  };
  return problem;
}

const std::vector<int> kSkipOption = {2, 2, 2, -1};

TEST(DroppedBlockFront, KeepsTheNonDominatedDropsFastestFirst) {
  // Drops {0,1,2}: 5 / 0.68, {0,1}: 6 / 0.88, {0}: 8 / 0.90, {1}: 9 / 0.98; {2}, {1,2}, {0,2} are dominated.
  std::vector<ParetoPoint> front = dropped_block_front(four_blocks(), {0, 1, 0, 0}, kSkipOption, 3);
  ASSERT_EQ(front.size(), 4u);
  EXPECT_EQ(front[0].choices, (Choices{2, 2, 2, 0}));
  EXPECT_EQ(front[1].choices, (Choices{2, 2, 0, 0}));
  EXPECT_EQ(front[2].choices, (Choices{2, 1, 0, 0}));
  EXPECT_EQ(front[3].choices, (Choices{0, 2, 0, 0}));
  EXPECT_DOUBLE_EQ(front[1].latency, 6);
  EXPECT_DOUBLE_EQ(front[1].accuracy, 0.88);
}

TEST(DroppedBlockFront, DropsAtMostTheGivenNumberOfBlocksAndNeverTheStartingPoint) {
  Choices from = {0, 1, 0, 0};
  std::vector<ParetoPoint> front = dropped_block_front(four_blocks(), from, kSkipOption, 1);
  ASSERT_FALSE(front.empty());
  for (const ParetoPoint& point : front) {
    int dropped = 0;
    for (size_t b = 0; b < from.size(); ++b) {
      if (point.choices[b] == from[b]) continue;
      EXPECT_EQ(point.choices[b], kSkipOption[b]) << b;
      ++dropped;
    }
    EXPECT_EQ(dropped, 1);
  }
}

TEST(DroppedBlockFront, LeavesBlocksWithoutASkipOptionAndAlreadySkippedOnesAlone) {
  // Block 0 is already skipped, block 3 cannot be: only blocks 1 and 2 can drop.
  std::vector<ParetoPoint> front = dropped_block_front(four_blocks(), {2, 0, 0, 1}, kSkipOption, 4);
  for (const ParetoPoint& point : front) {
    EXPECT_EQ(point.choices[0], 2);
    EXPECT_EQ(point.choices[3], 1);
  }
  EXPECT_EQ(front.front().choices, (Choices{2, 2, 2, 1}));
  EXPECT_TRUE(dropped_block_front(four_blocks(), {2, 2, 2, 0}, kSkipOption, 2).empty());
}

TEST(DroppedBlockFront, RefusesSkipOptionsOfAnotherLength) {
  EXPECT_THROW(dropped_block_front(four_blocks(), {0, 0, 0}, kSkipOption, 2), Error);
}

}  // namespace
}  // namespace nacre
