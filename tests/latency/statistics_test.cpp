// The statistics behind the protocol, on synthetic sequences with known answers.
#include "latency/statistics.h"

#include <gtest/gtest.h>

#include <random>

#include "util/error.h"

namespace nacre {
namespace {

std::vector<double> one_to(int n) {
  std::vector<double> values;
  for (int i = n; i >= 1; --i) values.push_back(i);  // reversed: the functions must sort
  return values;
}

TEST(Statistics, SummaryHasMedianP10P90AndCount) {
  SampleSummary summary = summarize(one_to(101));
  EXPECT_DOUBLE_EQ(summary.median, 51);
  EXPECT_DOUBLE_EQ(summary.p10, 11);
  EXPECT_DOUBLE_EQ(summary.p90, 91);
  EXPECT_EQ(summary.count, 101);
  ASSERT_TRUE(summary.median_interval.has_value());
}

TEST(Statistics, MedianIntervalUsesBinomialOrderStatistics) {
  // n = 10: P(Bin(10, 1/2) <= 1) = 11/1024 < 0.025 <= P(<= 2) = 56/1024, so the interval is [x(2), x(9)].
  std::optional<Interval> interval = median_confidence_interval(one_to(10));
  ASSERT_TRUE(interval.has_value());
  EXPECT_DOUBLE_EQ(interval->low, 2);
  EXPECT_DOUBLE_EQ(interval->high, 9);
  // n = 100: the textbook 95% interval is [x(40), x(61)].
  interval = median_confidence_interval(one_to(100));
  ASSERT_TRUE(interval.has_value());
  EXPECT_DOUBLE_EQ(interval->low, 40);
  EXPECT_DOUBLE_EQ(interval->high, 61);
}

TEST(Statistics, MedianIntervalNeedsSixSamplesAt95Percent) {
  EXPECT_FALSE(median_confidence_interval(one_to(5)).has_value());
  std::optional<Interval> interval = median_confidence_interval(one_to(6));
  ASSERT_TRUE(interval.has_value());
  EXPECT_DOUBLE_EQ(interval->low, 1);
  EXPECT_DOUBLE_EQ(interval->high, 6);
}

TEST(Statistics, MedianIntervalNarrowsWithMoreSamples) {
  std::mt19937_64 generator(7);
  std::normal_distribution<double> noise(10.0, 1.0);
  std::vector<double> samples;
  double previous_width = 1e9;
  for (int n : {20, 200, 2000}) {
    while (static_cast<int>(samples.size()) < n) samples.push_back(noise(generator));
    std::optional<Interval> interval = median_confidence_interval(samples);
    ASSERT_TRUE(interval.has_value());
    EXPECT_LE(interval->low, median(samples));
    EXPECT_GE(interval->high, median(samples));
    EXPECT_LT(interval->high - interval->low, previous_width);
    previous_width = interval->high - interval->low;
  }
  EXPECT_LT(previous_width, 0.2);  // about 2 * 1.96 * 1.25 / sqrt(2000) = 0.11 for a unit normal
}

TEST(Statistics, PrecisionRuleAcceptsConstantAndRejectsWideSpread) {
  EXPECT_TRUE(median_is_precise(std::vector<double>(10, 3.0), 0.02));
  EXPECT_FALSE(median_is_precise(std::vector<double>(5, 3.0), 0.02));  // too few for any interval
  EXPECT_FALSE(median_is_precise(one_to(100), 0.02));                  // interval 40..61 around 50.5
}

TEST(Statistics, RatioOfMediansOfPairedRunsWithInterval) {
  std::mt19937_64 generator(3);
  std::normal_distribution<double> noise(0.0, 0.02);
  std::vector<double> a, b;
  for (int i = 0; i < 400; ++i) {
    double drift = 1.0 + 0.5 * (i % 50) / 50.0;  // shared slowdown that pairing cancels
    b.push_back(10.0 * drift * (1 + noise(generator)));
    a.push_back(20.0 * drift * (1 + noise(generator)));
  }
  RatioEstimate estimate = ratio_of_medians(a, b);
  EXPECT_NEAR(estimate.ratio, 2.0, 0.05);
  EXPECT_LE(estimate.interval.low, estimate.ratio);
  EXPECT_GE(estimate.interval.high, estimate.ratio);
  EXPECT_LT(estimate.interval.low, 2.0 + 0.1);
  EXPECT_GT(estimate.interval.high, 2.0 - 0.1);
  EXPECT_LT(estimate.interval.high - estimate.interval.low, 0.3);
  // A fixed seed: the same data give the same interval.
  RatioEstimate again = ratio_of_medians(a, b);
  EXPECT_DOUBLE_EQ(again.interval.low, estimate.interval.low);
  EXPECT_DOUBLE_EQ(again.interval.high, estimate.interval.high);
}

TEST(Statistics, RatioOfIdenticalSequencesIsExactlyOne) {
  std::vector<double> a = one_to(50);
  RatioEstimate estimate = ratio_of_medians(a, a);
  EXPECT_DOUBLE_EQ(estimate.ratio, 1.0);
  EXPECT_DOUBLE_EQ(estimate.interval.low, 1.0);
  EXPECT_DOUBLE_EQ(estimate.interval.high, 1.0);
  EXPECT_THROW(ratio_of_medians({1, 2}, {1}), Error);
}

}  // namespace
}  // namespace nacre
