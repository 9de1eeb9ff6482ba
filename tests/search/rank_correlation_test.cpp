#include "search/rank_correlation.h"

#include <gtest/gtest.h>

#include <cmath>

#include "util/error.h"

namespace nacre {
namespace {

TEST(AverageRanks, TiesShareTheMeanOfTheirRanks) {
  EXPECT_EQ(average_ranks({10, 30, 20, 20, 5}), (std::vector<double>{2, 5, 3.5, 3.5, 1}));
}

TEST(KendallTauB, PerfectAgreementAndReversal) {
  EXPECT_DOUBLE_EQ(kendall_tau_b({1, 2, 3, 4, 5}, {10, 20, 30, 40, 50}), 1.0);
  EXPECT_DOUBLE_EQ(kendall_tau_b({1, 2, 3, 4, 5}, {5, 4, 3, 2, 1}), -1.0);
}

TEST(KendallTauB, CountsDiscordantPairs) {
  // 3 of 15 pairs swapped: (12 - 3) / 15.
  EXPECT_DOUBLE_EQ(kendall_tau_b({1, 2, 3, 4, 5, 6}, {2, 1, 4, 3, 6, 5}), 0.6);
}

TEST(KendallTauB, MatchesSciPyWithTies) {
  // scipy.stats.kendalltau([12, 2, 1, 12, 2], [1, 4, 7, 1, 0]) == -0.47140452079103173
  EXPECT_NEAR(kendall_tau_b({12, 2, 1, 12, 2}, {1, 4, 7, 1, 0}), -0.47140452079103173, 1e-12);
}

TEST(SpearmanRho, MatchesPearsonOfAverageRanksWithTies) {
  EXPECT_NEAR(spearman_rho({12, 2, 1, 12, 2}, {1, 4, 7, 1, 0}), -0.5407380704358752, 1e-12);
  EXPECT_NEAR(spearman_rho({1, 2, 3, 4, 5, 6}, {2, 1, 4, 3, 6, 5}), 1.0 - 6.0 * 6.0 / 210.0, 1e-12);
  EXPECT_DOUBLE_EQ(spearman_rho({1, 2, 3}, {1, 4, 9}), 1.0);  // any monotone map
}

TEST(RankCorrelation, ConstantSequenceHasNoOrder) {
  EXPECT_TRUE(std::isnan(kendall_tau_b({1, 1, 1}, {1, 2, 3})));
  EXPECT_TRUE(std::isnan(spearman_rho({1, 2, 3}, {4, 4, 4})));
}

TEST(RankCorrelation, RejectsMismatchedOrTooShortInput) {
  EXPECT_THROW(kendall_tau_b({1, 2}, {1, 2, 3}), Error);
  EXPECT_THROW(spearman_rho({1}, {1}), Error);
}

}  // namespace
}  // namespace nacre
