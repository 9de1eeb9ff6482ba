// Quantiles on small samples with known answers.
#include "util/quantile.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace nacre {
namespace {

std::vector<double> one_to(int n) {
  std::vector<double> values;
  for (int i = n; i >= 1; --i) values.push_back(i);  // reversed: the functions must sort
  return values;
}

TEST(Quantile, InterpolatesBetweenOrderStatistics) {
  std::vector<double> values = one_to(11);  // 1..11
  EXPECT_DOUBLE_EQ(median(values), 6);
  EXPECT_DOUBLE_EQ(quantile(values, 0.1), 2);
  EXPECT_DOUBLE_EQ(quantile(values, 0.9), 10);
  EXPECT_DOUBLE_EQ(median(one_to(4)), 2.5);
  EXPECT_DOUBLE_EQ(quantile({5, 1}, 0.25), 2);
  EXPECT_DOUBLE_EQ(quantile({5, 1}, 7), 5);  // clamped to [0, 1]
  EXPECT_THROW(median({}), Error);
}

}  // namespace
}  // namespace nacre
