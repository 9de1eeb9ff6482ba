#include "search/ridge_regression.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace nacre {
namespace {

// y = 2 + 3 x0 - x1 on a small grid.
void linear_data(std::vector<std::vector<double>>& x, std::vector<double>& y) {
  for (double a : {0.0, 1.0, 2.0, 3.0}) {
    for (double b : {-1.0, 0.5, 4.0}) {
      x.push_back({a, b});
      y.push_back(2 + 3 * a - b);
    }
  }
}

TEST(RidgeRegression, RecoversExactLinearCoefficients) {
  std::vector<std::vector<double>> x;
  std::vector<double> y;
  linear_data(x, y);
  const RidgeModel model = fit_ridge(x, y, 0);
  EXPECT_NEAR(model.coefficients()[0], 3, 1e-9);
  EXPECT_NEAR(model.coefficients()[1], -1, 1e-9);
  EXPECT_NEAR(model.offset(), 2, 1e-9);
  EXPECT_NEAR(model.predict({10, 10}), 22, 1e-9);
}

TEST(RidgeRegression, StrongPenaltyShrinksTowardsTheMean) {
  std::vector<std::vector<double>> x;
  std::vector<double> y;
  linear_data(x, y);
  const RidgeModel weak = fit_ridge(x, y, 0.01);
  const RidgeModel strong = fit_ridge(x, y, 100);
  EXPECT_LT(std::abs(strong.coefficients()[0]), std::abs(weak.coefficients()[0]));
  EXPECT_LT(std::abs(strong.coefficients()[0]), 0.1);
}

TEST(RidgeRegression, DropsFeaturesWhoseSignBreaksTheirConstraint) {
  std::vector<std::vector<double>> x;
  std::vector<double> y;
  linear_data(x, y);
  const RidgeModel model = fit_ridge(x, y, 0, {CoefficientSign::kNonPositive, CoefficientSign::kFree});
  EXPECT_EQ(model.coefficients()[0], 0);           // +3 is not allowed: dropped
  EXPECT_NEAR(model.coefficients()[1], -1, 1e-9);  // x0 and x1 are uncorrelated on the grid
}

TEST(RidgeRegression, IgnoresConstantFeatures) {
  const RidgeModel model = fit_ridge({{1, 5}, {2, 5}, {3, 5}}, {2, 4, 6}, 0);
  EXPECT_NEAR(model.coefficients()[0], 2, 1e-9);
  EXPECT_EQ(model.coefficients()[1], 0);
}

TEST(RidgeRegression, LeaveOneOutPredictsLinearDataExactly) {
  std::vector<std::vector<double>> x;
  std::vector<double> y;
  linear_data(x, y);
  const std::vector<double> predictions = leave_one_out_predictions(x, y, 0);
  for (size_t i = 0; i < y.size(); ++i) EXPECT_NEAR(predictions[i], y[i], 1e-9);
}

TEST(RidgeRegression, RejectsRaggedInput) {
  EXPECT_THROW(fit_ridge({{1, 2}, {3}}, {1, 2}, 1), Error);
  EXPECT_THROW(fit_ridge({{1}}, {1, 2}, 1), Error);
  EXPECT_THROW(fit_ridge({{1}, {2}}, {1, 2}, 1, {CoefficientSign::kFree, CoefficientSign::kFree}), Error);
}

}  // namespace
}  // namespace nacre
