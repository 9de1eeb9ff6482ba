// How a time budget is split between the stages.
#include "pipeline/budget_plan.h"

#include <gtest/gtest.h>

namespace nacre {
namespace {

TEST(PlanBudget, MoreFineTuningSlotsForLongerBudgets) {
  EXPECT_EQ(plan_budget(8 * 60, 100, 50000).finetune_architectures, 1);
  EXPECT_EQ(plan_budget(20 * 60, 100, 50000).finetune_architectures, 2);
  EXPECT_EQ(plan_budget(59 * 60, 100, 50000).finetune_architectures, 2);
  EXPECT_EQ(plan_budget(60 * 60, 100, 50000).finetune_architectures, 3);
  EXPECT_EQ(plan_budget(90 * 60, 100, 50000).finetune_architectures, 3);
}

TEST(PlanBudget, TheUserMayChooseTheNumberOfSlots) {
  BudgetPlan plan = plan_budget(8 * 60, 100, 50000, 3);
  EXPECT_EQ(plan.finetune_architectures, 3);
  EXPECT_DOUBLE_EQ(plan.finetune_seconds_per_architecture, 0.5 * 8 * 60 / 3);
}

TEST(PlanBudget, PlannedStagesFitInTheBudget) {
  for (double seconds : {120.0, 480.0, 1200.0, 3600.0, 4 * 3600.0}) {
    BudgetPlan plan = plan_budget(seconds, 80, 50000);
    double planned =
        80 * (plan.distill_seconds_per_candidate + plan.latency_seconds_per_candidate) +
        3 * plan.search_seconds +  // two searches pick the calibration architectures, one the final front
        plan.accuracy_finetune_architectures * plan.accuracy_finetune_seconds +
        plan.finetune_architectures * plan.finetune_seconds_per_architecture + plan.verify_seconds;
    EXPECT_LE(planned, seconds) << seconds;
  }
}

TEST(PlanBudget, CalibratesThePredictorOnBriefFineTunes) {
  for (double seconds : {120.0, 3600.0}) {
    BudgetPlan plan = plan_budget(seconds, 80, 50000);
    EXPECT_GE(plan.accuracy_finetune_architectures, 2) << seconds;  // two makes of architecture compared
    EXPECT_GT(plan.accuracy_finetune_seconds, 0) << seconds;
    EXPECT_LT(plan.accuracy_finetune_seconds, plan.finetune_seconds_per_architecture / 4) << seconds;
  }
}

TEST(PlanBudget, DistillsOnNoMoreExamplesThanTheSplitHolds) {
  EXPECT_EQ(plan_budget(3600, 100, 300).distill_examples, 300);
  EXPECT_EQ(plan_budget(3600, 100, 50000).distill_examples, 2048);
}

}  // namespace
}  // namespace nacre
