// The layout trial of the training loops: which layout each step takes and which one it keeps.
#include "train/memory_layout.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace nacre {
namespace {

// Takes steps in `trial` until it decides, timing each by its layout; returns the layouts taken.
std::vector<MemoryLayout> run_trial(LayoutTrial& trial, double contiguous_seconds,
                                    double channels_last_seconds, double warm_up_seconds = 0) {
  std::vector<MemoryLayout> taken;
  while (!trial.decided() && taken.size() < 100) {
    MemoryLayout layout = trial.next();
    bool warm_up = taken.size() < 2;
    taken.push_back(layout);
    trial.record(warm_up && warm_up_seconds > 0
                     ? warm_up_seconds
                     : (layout == MemoryLayout::kContiguous ? contiguous_seconds : channels_last_seconds));
  }
  return taken;
}

TEST(LayoutTrial, AlternatesThenKeepsTheFasterLayout) {
  LayoutTrial trial(MemoryLayout::kMeasured, 3);
  std::vector<MemoryLayout> taken = run_trial(trial, 0.8, 0.5);
  ASSERT_EQ(taken.size(), 8u);
  for (size_t i = 0; i < taken.size(); ++i)
    EXPECT_EQ(taken[i], i % 2 == 0 ? MemoryLayout::kContiguous : MemoryLayout::kChannelsLast) << i;
  EXPECT_EQ(trial.next(), MemoryLayout::kChannelsLast);

  LayoutTrial slower_channels_last(MemoryLayout::kMeasured, 3);
  run_trial(slower_channels_last, 4.7, 5.0);
  EXPECT_EQ(slower_channels_last.next(), MemoryLayout::kContiguous);
}

TEST(LayoutTrial, WarmUpStepsDoNotCount) {
  // Each layout's first step is slow (a warm-up): channels-last's slower one must not decide.
  LayoutTrial trial(MemoryLayout::kMeasured, 3);
  std::vector<MemoryLayout> taken;
  const std::vector<double> seconds = {1.0, 9.0, 0.8, 0.5, 0.8, 0.5, 0.8, 0.5};
  for (double s : seconds) {
    ASSERT_FALSE(trial.decided());
    trial.record(s);
  }
  EXPECT_TRUE(trial.decided());
  EXPECT_EQ(trial.next(), MemoryLayout::kChannelsLast);
}

TEST(LayoutTrial, MedianResistsOneSlowStep) {
  LayoutTrial trial(MemoryLayout::kMeasured, 3);
  // Counted steps: contiguous 0.8, 0.8, 0.8; channels-last 0.5, 7.0 (the machine was busy), 0.5.
  for (double s : {0.8, 0.5, 0.8, 0.5, 0.8, 7.0, 0.8, 0.5}) trial.record(s);
  EXPECT_EQ(trial.next(), MemoryLayout::kChannelsLast);
}

TEST(LayoutTrial, ATieKeepsContiguous) {
  LayoutTrial trial(MemoryLayout::kMeasured, 2);
  run_trial(trial, 0.5, 0.5);
  EXPECT_TRUE(trial.decided());
  EXPECT_EQ(trial.next(), MemoryLayout::kContiguous);
}

TEST(LayoutTrial, AGivenLayoutIsKeptWithoutATrial) {
  for (MemoryLayout layout : {MemoryLayout::kContiguous, MemoryLayout::kChannelsLast}) {
    LayoutTrial trial(layout);
    EXPECT_TRUE(trial.decided());
    for (int i = 0; i < 10; ++i) {
      EXPECT_EQ(trial.next(), layout);
      trial.record(layout == MemoryLayout::kChannelsLast ? 9.0 : 0.1);
    }
  }
}

TEST(MemoryLayout, NamesReadBackAndUnknownOnesAreRefused) {
  for (MemoryLayout layout :
       {MemoryLayout::kMeasured, MemoryLayout::kContiguous, MemoryLayout::kChannelsLast})
    EXPECT_EQ(memory_layout_named(to_string(layout)), layout);
  EXPECT_EQ(to_string(MemoryLayout::kChannelsLast), "channels_last");
  EXPECT_THROW(memory_layout_named("nhwc"), Error);
}

}  // namespace
}  // namespace nacre
