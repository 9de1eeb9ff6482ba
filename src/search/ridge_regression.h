// Ridge regression on standardised features, small and dense (a handful of features, tens of samples), with
// optional sign constraints so a fitted model can be kept monotone in features known to only hurt.
#pragma once

#include <vector>

namespace nacre {

enum class CoefficientSign { kFree, kNonPositive, kNonNegative };

// y = intercept + sum_k weights[k] * (x[k] - means[k]) / scales[k]; a feature with scale 0 is unused.
struct RidgeModel {
  std::vector<double> means;
  std::vector<double> scales;   // population standard deviation; 0 marks a constant or dropped feature
  std::vector<double> weights;  // per standardised feature
  double intercept = 0;         // the mean target
  double lambda = 0;

  double predict(const std::vector<double>& features) const;
  std::vector<double> coefficients() const;  // per feature, in the feature's own units
  double offset() const;                     // the prediction at all features 0
};

// Minimises sum (y - f(x))^2 + lambda * n * |weights|^2 over the standardised features (so lambda is relative
// to the sample count). signs (empty: all free) constrains coefficients: a feature whose unconstrained weight
// has the wrong sign is dropped and the rest refitted, until all signs hold. Throws Error on ragged or empty
// input.
RidgeModel fit_ridge(const std::vector<std::vector<double>>& features, const std::vector<double>& targets,
                     double lambda, const std::vector<CoefficientSign>& signs = {});

// For each sample, the prediction of a model fitted on all the others (same lambda and signs). Needs n >= 2.
std::vector<double> leave_one_out_predictions(const std::vector<std::vector<double>>& features,
                                              const std::vector<double>& targets, double lambda,
                                              const std::vector<CoefficientSign>& signs = {});

}  // namespace nacre
