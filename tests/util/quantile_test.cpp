// Quantiles on small samples with known answers.
#include "util/quantile.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace nacre {
namespace {

TEST(Quantile, InterpolatesBetweenOrderStatistics) {
  std::vector<double> values = {11, 3, 7, 1, 9, 5, 2, 10, 4, 8, 6};  // 1..11, unsorted: quantile must sort
  EXPECT_DOUBLE_EQ(median(values), 6);
  EXPECT_DOUBLE_EQ(quantile(values, 0.1), 2);
  EXPECT_DOUBLE_EQ(quantile(values, 0.9), 10);
  EXPECT_DOUBLE_EQ(median({4, 1, 3, 2}), 2.5);
  EXPECT_DOUBLE_EQ(quantile({5, 1}, 0.25), 2);
  EXPECT_DOUBLE_EQ(quantile({5, 1}, 7), 5);  // clamped to [0, 1]
  EXPECT_THROW(median({}), Error);
}

}  // namespace
}  // namespace nacre
