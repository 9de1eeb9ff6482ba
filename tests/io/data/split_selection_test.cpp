#include "io/data/split_selection.h"

#include <gtest/gtest.h>

namespace nacre {
namespace {

TEST(SplitSelection, CarvesTheLastTenPercentOfEachClassRoundedDown) {
  // Class 0 has 20 examples (2 to val), class 1 has 11 (1 to val), class 2 has 9 (none).
  std::vector<int64_t> labels;
  for (int i = 0; i < 20; ++i) labels.push_back(0);
  for (int i = 0; i < 11; ++i) labels.push_back(1);
  for (int i = 0; i < 9; ++i) labels.push_back(2);
  std::swap(labels[0], labels[25]);  // interleave a little: index 0 is class 1, index 25 class 0
  EXPECT_EQ(carve_split(labels, Split::kVal), (std::vector<int64_t>{19, 25, 30}));
  std::vector<int64_t> train = carve_split(labels, Split::kTrain);
  EXPECT_EQ(train.size(), 37u);
  EXPECT_EQ(train.front(), 0);
  EXPECT_EQ(train[18], 18);
  EXPECT_EQ(train[19], 20);  // 19 skipped
  EXPECT_EQ(carve_split(labels, Split::kTest).size(), 40u);
}

TEST(SplitSelection, KeepFirstTakesAPrefix) {
  EXPECT_EQ(keep_first({5, 6, 7}, 2), (std::vector<int64_t>{5, 6}));
  EXPECT_EQ(keep_first({5, 6, 7}, 10), (std::vector<int64_t>{5, 6, 7}));
  EXPECT_EQ(keep_first({5, 6, 7}, -1), (std::vector<int64_t>{5, 6, 7}));
}

TEST(SplitSelection, RoundRobinInterleavesClassesAndSkipsExhaustedOnes) {
  std::vector<int64_t> labels = {0, 0, 0, 0, 1, 2, 2};
  std::vector<int64_t> all = {0, 1, 2, 3, 4, 5, 6};
  EXPECT_EQ(keep_round_robin(all, labels, 5), (std::vector<int64_t>{0, 4, 5, 1, 6}));
  EXPECT_EQ(keep_round_robin(all, labels, 100), (std::vector<int64_t>{0, 4, 5, 1, 6, 2, 3}));
  EXPECT_EQ(keep_round_robin(all, labels, -1), all);
  EXPECT_EQ(keep_round_robin({1, 3, 6}, labels, 2), (std::vector<int64_t>{1, 6}));
}

}  // namespace
}  // namespace nacre
