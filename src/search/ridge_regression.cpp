#include "search/ridge_regression.h"

#include <cmath>
#include <numeric>

#include "util/error.h"

namespace nacre {
namespace {

void check_data(const std::vector<std::vector<double>>& features, const std::vector<double>& targets,
                const std::vector<CoefficientSign>& signs) {
  if (features.empty() || features.size() != targets.size()) {
    throw make_error("ridge regression: need one target per sample and at least one sample (",
                     features.size(), " samples, ", targets.size(), " targets)");
  }
  for (const std::vector<double>& row : features) {
    if (row.size() != features.front().size()) {
      throw make_error("ridge regression: samples have different feature counts (", row.size(), " vs ",
                       features.front().size(), ")");
    }
  }
  if (!signs.empty() && signs.size() != features.front().size()) {
    throw make_error("ridge regression: ", signs.size(), " sign constraints for ", features.front().size(),
                     " features");
  }
}

// Solves a x = b by Gaussian elimination with partial pivoting (a is small, symmetric positive definite).
std::vector<double> solve(std::vector<std::vector<double>> a, std::vector<double> b) {
  const size_t n = b.size();
  for (size_t col = 0; col < n; ++col) {
    size_t pivot = col;
    for (size_t row = col + 1; row < n; ++row) {
      if (std::abs(a[row][col]) > std::abs(a[pivot][col])) pivot = row;
    }
    if (a[pivot][col] == 0) throw make_error("ridge regression: singular system; use a positive lambda");
    std::swap(a[col], a[pivot]);
    std::swap(b[col], b[pivot]);
    for (size_t row = col + 1; row < n; ++row) {
      const double factor = a[row][col] / a[col][col];
      for (size_t k = col; k < n; ++k) a[row][k] -= factor * a[col][k];
      b[row] -= factor * b[col];
    }
  }
  std::vector<double> x(n);
  for (size_t row = n; row-- > 0;) {
    double sum = b[row];
    for (size_t k = row + 1; k < n; ++k) sum -= a[row][k] * x[k];
    x[row] = sum / a[row][row];
  }
  return x;
}

void standardise(const std::vector<std::vector<double>>& features, RidgeModel& model) {
  const size_t count = features.front().size();
  const double n = static_cast<double>(features.size());
  model.means.assign(count, 0);
  model.scales.assign(count, 0);
  for (size_t k = 0; k < count; ++k) {
    for (const auto& row : features) model.means[k] += row[k] / n;
    double variance = 0;
    for (const auto& row : features) variance += (row[k] - model.means[k]) * (row[k] - model.means[k]) / n;
    const double scale = std::sqrt(variance);
    model.scales[k] = scale > 1e-12 * (std::abs(model.means[k]) + 1) ? scale : 0;
  }
}

// Fits the weights of the features with a nonzero scale; the others get weight 0.
void fit_active(const std::vector<std::vector<double>>& features, const std::vector<double>& targets,
                RidgeModel& model) {
  std::vector<size_t> active;
  for (size_t k = 0; k < model.scales.size(); ++k) {
    if (model.scales[k] > 0) active.push_back(k);
  }
  model.weights.assign(model.scales.size(), 0);
  if (active.empty()) return;
  const double n = static_cast<double>(features.size());
  std::vector<std::vector<double>> gram(active.size(), std::vector<double>(active.size(), 0));
  std::vector<double> moment(active.size(), 0);
  for (size_t s = 0; s < features.size(); ++s) {
    std::vector<double> z(active.size());
    for (size_t a = 0; a < active.size(); ++a) {
      z[a] = (features[s][active[a]] - model.means[active[a]]) / model.scales[active[a]];
    }
    for (size_t a = 0; a < active.size(); ++a) {
      moment[a] += z[a] * (targets[s] - model.intercept);
      for (size_t b = 0; b < active.size(); ++b) gram[a][b] += z[a] * z[b];
    }
  }
  for (size_t a = 0; a < active.size(); ++a) gram[a][a] += model.lambda * n;
  const std::vector<double> solution = solve(gram, moment);
  for (size_t a = 0; a < active.size(); ++a) model.weights[active[a]] = solution[a];
}

// The feature whose weight breaks its sign constraint the most, or -1 when all hold.
int worst_sign_violation(const RidgeModel& model, const std::vector<CoefficientSign>& signs) {
  int worst = -1;
  double worst_amount = 0;
  for (size_t k = 0; k < signs.size(); ++k) {
    const double w = model.weights[k];
    const double amount = signs[k] == CoefficientSign::kNonPositive   ? w
                          : signs[k] == CoefficientSign::kNonNegative ? -w
                                                                      : 0;
    if (amount > worst_amount) {
      worst_amount = amount;
      worst = static_cast<int>(k);
    }
  }
  return worst;
}

}  // namespace

double RidgeModel::predict(const std::vector<double>& features) const {
  if (features.size() != weights.size()) {
    throw make_error("ridge regression: model has ", weights.size(), " features, got ", features.size());
  }
  double y = intercept;
  for (size_t k = 0; k < weights.size(); ++k) {
    if (scales[k] > 0) y += weights[k] * (features[k] - means[k]) / scales[k];
  }
  return y;
}

std::vector<double> RidgeModel::coefficients() const {
  std::vector<double> result(weights.size(), 0);
  for (size_t k = 0; k < weights.size(); ++k) {
    if (scales[k] > 0) result[k] = weights[k] / scales[k];
  }
  return result;
}

double RidgeModel::offset() const { return predict(std::vector<double>(weights.size(), 0)); }

RidgeModel fit_ridge(const std::vector<std::vector<double>>& features, const std::vector<double>& targets,
                     double lambda, const std::vector<CoefficientSign>& signs) {
  check_data(features, targets, signs);
  if (!(lambda >= 0)) throw make_error("ridge regression: lambda must be >= 0, got ", lambda);
  RidgeModel model;
  model.lambda = lambda;
  model.intercept =
      std::accumulate(targets.begin(), targets.end(), 0.0) / static_cast<double>(targets.size());
  standardise(features, model);
  fit_active(features, targets, model);
  for (int dropped = worst_sign_violation(model, signs); dropped >= 0;
       dropped = worst_sign_violation(model, signs)) {
    model.scales[dropped] = 0;
    fit_active(features, targets, model);
  }
  return model;
}

std::vector<double> leave_one_out_predictions(const std::vector<std::vector<double>>& features,
                                              const std::vector<double>& targets, double lambda,
                                              const std::vector<CoefficientSign>& signs) {
  check_data(features, targets, signs);
  if (features.size() < 2) throw make_error("leave-one-out needs at least 2 samples, got ", features.size());
  std::vector<double> predictions(features.size());
  for (size_t held_out = 0; held_out < features.size(); ++held_out) {
    std::vector<std::vector<double>> rest_features;
    std::vector<double> rest_targets;
    for (size_t s = 0; s < features.size(); ++s) {
      if (s == held_out) continue;
      rest_features.push_back(features[s]);
      rest_targets.push_back(targets[s]);
    }
    predictions[held_out] = fit_ridge(rest_features, rest_targets, lambda, signs).predict(features[held_out]);
  }
  return predictions;
}

}  // namespace nacre
