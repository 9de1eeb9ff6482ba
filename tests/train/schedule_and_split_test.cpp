// The cosine schedule, budget progress, and seeded example splits and minibatches.
#include <gtest/gtest.h>

#include <set>

#include "train/example_split.h"
#include "train/lr_schedule.h"
#include "util/error.h"

namespace nacre {
namespace {

TEST(CosineSchedule, DecaysFromBaseToFinalAlongAHalfCosine) {
  CosineSchedule schedule{0.1, 0.0, 0.0};
  EXPECT_DOUBLE_EQ(schedule.at(0.0), 0.1);
  EXPECT_NEAR(schedule.at(0.5), 0.05, 1e-12);
  EXPECT_NEAR(schedule.at(1.0), 0.0, 1e-12);
  EXPECT_NEAR(schedule.at(2.0), 0.0, 1e-12);  // clamped
  CosineSchedule with_floor{0.1, 0.1, 0.0};
  EXPECT_NEAR(with_floor.at(1.0), 0.01, 1e-12);
  CosineSchedule warm{0.1, 0.0, 0.2};
  EXPECT_NEAR(warm.at(0.1), 0.05, 1e-12);
  EXPECT_NEAR(warm.at(0.2), 0.1, 1e-12);
  EXPECT_NEAR(warm.at(0.6), 0.05, 1e-12);
}

TEST(BudgetProgress, IsTheLargerFractionOfTheBudgetsGiven) {
  EXPECT_DOUBLE_EQ(budget_progress(25, 100, 1.0, 0), 0.25);
  EXPECT_DOUBLE_EQ(budget_progress(25, 100, 5.0, 10.0), 0.5);
  EXPECT_DOUBLE_EQ(budget_progress(25, 0, 2.0, 10.0), 0.2);
  EXPECT_DOUBLE_EQ(budget_progress(500, 100, 0, 0), 1.0);
  EXPECT_DOUBLE_EQ(budget_progress(5, 0, 5.0, 0), 0.0);
}

TEST(ExampleSplit, IsASeededPartition) {
  ExampleSplit split = split_examples(100, 0.2, 5);
  EXPECT_EQ(split.holdout.size(), 20u);
  EXPECT_EQ(split.train.size(), 80u);
  std::set<int64_t> all(split.train.begin(), split.train.end());
  all.insert(split.holdout.begin(), split.holdout.end());
  EXPECT_EQ(all.size(), 100u);
  EXPECT_EQ(split_examples(100, 0.2, 5).holdout, split.holdout);
  EXPECT_NE(split_examples(100, 0.2, 6).holdout, split.holdout);
  EXPECT_EQ(split_examples(2, 0.01, 0).holdout.size(), 1u);  // at least one of each
  EXPECT_TRUE(split_examples(10, 0.0, 0).holdout.empty());
  EXPECT_THROW(split_examples(10, 1.0, 0), Error);
}

TEST(MinibatchSampler, CoversEveryExampleOncePerPass) {
  MinibatchSampler sampler({0, 1, 2, 3, 4, 5, 6, 7, 8}, 3, 1);
  std::multiset<int64_t> seen;
  for (int i = 0; i < 3; ++i) {
    std::vector<int64_t> batch = sampler.next();
    ASSERT_EQ(batch.size(), 3u);
    seen.insert(batch.begin(), batch.end());
  }
  EXPECT_EQ(seen, (std::multiset<int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_THROW(MinibatchSampler({}, 3, 1), Error);
}

}  // namespace
}  // namespace nacre
