#include "search/pareto_front.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "util/error.h"

namespace nacre {
namespace {

ParetoPoint point(int id, double latency, double accuracy, double violation = 0) {
  return ParetoPoint{{id}, latency, accuracy, violation};
}

TEST(Dominates, NeedsNoWorseInBothAndBetterInOne) {
  EXPECT_TRUE(dominates(point(0, 1, 0.5), point(1, 2, 0.5)));
  EXPECT_TRUE(dominates(point(0, 1, 0.6), point(1, 1, 0.5)));
  EXPECT_FALSE(dominates(point(0, 1, 0.5), point(1, 1, 0.5)));
  EXPECT_FALSE(dominates(point(0, 1, 0.4), point(1, 2, 0.5)));
}

TEST(ConstrainedDominates, FeasibleFirstThenLessViolation) {
  EXPECT_TRUE(constrained_dominates(point(0, 9, 0.1), point(1, 1, 0.9, 0.01)));
  EXPECT_TRUE(constrained_dominates(point(0, 9, 0.1, 0.1), point(1, 1, 0.9, 0.2)));
  EXPECT_FALSE(constrained_dominates(point(0, 1, 0.9, 0.2), point(1, 9, 0.1, 0.1)));
}

TEST(NonDominatedSort, FindsTheKnownFronts) {
  const std::vector<ParetoPoint> points = {point(0, 1, 0.5),        // A: front 0
                                           point(1, 2, 0.5),        // D: dominated by A
                                           point(2, 2, 0.7),        // B: front 0
                                           point(3, 4, 0.6),        // F: dominated by E
                                           point(4, 3, 0.9),        // C: front 0
                                           point(5, 3, 0.7),        // E: dominated by B
                                           point(6, 0, 1.0, 0.2),   // infeasible, more violation: last
                                           point(7, 0, 1.0, 0.1)};  // infeasible: after every feasible point
  const auto fronts = non_dominated_sort(points);
  const std::vector<std::vector<size_t>> expected = {{0, 2, 4}, {1, 5}, {3}, {7}, {6}};
  EXPECT_EQ(fronts, expected);
}

TEST(CrowdingDistances, SumNormalisedNeighbourGaps) {
  const std::vector<ParetoPoint> points = {point(0, 0, 0.2), point(1, 1, 0.6), point(2, 3, 0.7),
                                           point(3, 4, 1.0)};
  const std::vector<double> distances = crowding_distances(points, {3, 1, 0, 2});
  EXPECT_TRUE(std::isinf(distances[0]));
  EXPECT_NEAR(distances[1], 3.0 / 4 + 0.5 / 0.8, 1e-12);
  EXPECT_TRUE(std::isinf(distances[2]));
  EXPECT_NEAR(distances[3], 3.0 / 4 + 0.4 / 0.8, 1e-12);
}

TEST(ParetoFront, KeepsFeasibleNonDominatedPointsFastestFirst) {
  const std::vector<ParetoPoint> points = {point(0, 3, 0.9),          point(1, 2, 0.5), point(2, 1, 0.5),
                                           point(3, 0.5, 0.99, 0.01), point(4, 1, 0.5), point(5, 2, 0.7)};
  const std::vector<ParetoPoint> front = pareto_front(points);
  ASSERT_EQ(front.size(), 3u);
  EXPECT_EQ(front[0].choices, std::vector<int>{2});  // the first of two equal points
  EXPECT_EQ(front[1].choices, std::vector<int>{5});
  EXPECT_EQ(front[2].choices, std::vector<int>{0});
  EXPECT_TRUE(pareto_front({point(0, 1, 0.1, 0.5)}).empty());
}

TEST(ParetoFront, JsonRoundTrip) {
  const std::vector<ParetoPoint> points = {ParetoPoint{{0, 2, 1}, 1.5, 0.91, 0},
                                           ParetoPoint{{1, 1, 1}, 0.7, 0.8, 0.1}};
  const auto parsed = pareto_points_from_json(nlohmann::json::parse(to_json(points).dump()));
  ASSERT_EQ(parsed.size(), 2u);
  EXPECT_EQ(parsed[1].choices, points[1].choices);
  EXPECT_DOUBLE_EQ(parsed[1].latency, 0.7);
  EXPECT_DOUBLE_EQ(parsed[1].accuracy, 0.8);
  EXPECT_DOUBLE_EQ(parsed[1].violation, 0.1);
  EXPECT_THROW(pareto_point_from_json(nlohmann::json{{"latency", 1}}), Error);
}

}  // namespace
}  // namespace nacre
