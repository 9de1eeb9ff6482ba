#include "search/accuracy_predictor.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "search/rank_correlation.h"
#include "util/error.h"

namespace nacre {
namespace {

constexpr size_t kDegradationFeatures = 4;
constexpr size_t kMinRidgeSamples = 3;

double sum_nsr(const ArchitectureSignals& signals) {
  double sum = 0;
  for (double nsr : signals.block_nsr) sum += nsr;
  return sum;
}

void check_signals(const ArchitectureSignals& signals) {
  for (size_t i = 0; i < signals.block_nsr.size(); ++i) {
    if (!(signals.block_nsr[i] >= 0)) {
      throw make_error("accuracy predictor: block ", i, " has NSR ", signals.block_nsr[i],
                       "; a noise-to-signal ratio is a number >= 0");
    }
  }
  if (!signals.block_changed.empty() && signals.block_changed.size() != signals.block_nsr.size()) {
    throw make_error("accuracy predictor: ", signals.block_changed.size(), " block_changed flags for ",
                     signals.block_nsr.size(), " blocks");
  }
}

std::vector<double> features_of(const ArchitectureSignals& signals) {
  check_signals(signals);
  double sum = 0, sum_log = 0, max = 0, changed = 0;
  for (size_t i = 0; i < signals.block_nsr.size(); ++i) {
    const double nsr = signals.block_nsr[i];
    sum += nsr;
    sum_log += std::log1p(nsr);
    max = std::max(max, nsr);
    changed += signals.block_changed.empty() ? nsr > 0 : signals.block_changed[i];
  }
  std::vector<double> features = {sum, sum_log, max, changed};
  features.insert(features.end(), signals.extra.begin(), signals.extra.end());
  return features;
}

std::vector<CoefficientSign> feature_signs(size_t extra_count) {
  std::vector<CoefficientSign> signs(kDegradationFeatures, CoefficientSign::kNonPositive);
  signs.resize(kDegradationFeatures + extra_count, CoefficientSign::kFree);
  return signs;
}

// The grid's lambda with the least leave-one-out squared error (the first on ties, or when n is too small).
double select_lambda(const std::vector<std::vector<double>>& features, const std::vector<double>& targets,
                     const std::vector<double>& lambdas, const std::vector<CoefficientSign>& signs) {
  if (features.size() < kMinRidgeSamples) return lambdas.front();
  double best_lambda = lambdas.front();
  double best_error = std::numeric_limits<double>::infinity();
  for (double lambda : lambdas) {
    const std::vector<double> predictions = leave_one_out_predictions(features, targets, lambda, signs);
    double error = 0;
    for (size_t s = 0; s < targets.size(); ++s)
      error += (predictions[s] - targets[s]) * (predictions[s] - targets[s]);
    if (error < best_error) {
      best_error = error;
      best_lambda = lambda;
    }
  }
  return best_lambda;
}

RankValidation rank_validation(const std::string& method, const std::vector<double>& predicted,
                               const std::vector<double>& measured) {
  RankValidation validation;
  validation.method = method;
  validation.samples = static_cast<int>(measured.size());
  validation.spearman = spearman_rho(predicted, measured);
  validation.kendall = kendall_tau_b(predicted, measured);
  for (size_t s = 0; s < measured.size(); ++s) {
    validation.mean_absolute_error +=
        std::abs(predicted[s] - measured[s]) / static_cast<double>(measured.size());
  }
  return validation;
}

// Each sample predicted by a model fitted (lambda selection included) on the others.
RankValidation nested_leave_one_out(const std::vector<std::vector<double>>& features,
                                    const std::vector<double>& targets, const std::vector<double>& lambdas,
                                    const std::vector<CoefficientSign>& signs) {
  std::vector<double> predictions(targets.size());
  for (size_t held_out = 0; held_out < targets.size(); ++held_out) {
    std::vector<std::vector<double>> rest_features;
    std::vector<double> rest_targets;
    for (size_t s = 0; s < targets.size(); ++s) {
      if (s == held_out) continue;
      rest_features.push_back(features[s]);
      rest_targets.push_back(targets[s]);
    }
    const double lambda = select_lambda(rest_features, rest_targets, lambdas, signs);
    predictions[held_out] = fit_ridge(rest_features, rest_targets, lambda, signs).predict(features[held_out]);
  }
  return rank_validation("leave-one-out", predictions, targets);
}

nlohmann::json number_or_null(double value) {
  return std::isnan(value) ? nlohmann::json() : nlohmann::json(value);
}
double number_or_nan(const nlohmann::json& value) {
  return value.is_null() ? std::numeric_limits<double>::quiet_NaN() : value.get<double>();
}

}  // namespace

ArchitectureSignals architecture_signals(const std::vector<int>& choices,
                                         const std::vector<std::vector<double>>& nsr_per_option,
                                         std::vector<double> extra) {
  if (choices.size() != nsr_per_option.size()) {
    throw make_error("accuracy predictor: ", choices.size(), " choices for ", nsr_per_option.size(),
                     " blocks");
  }
  ArchitectureSignals signals;
  for (size_t block = 0; block < choices.size(); ++block) {
    const int choice = choices[block];
    if (choice < 0 || choice >= static_cast<int>(nsr_per_option[block].size())) {
      throw make_error("accuracy predictor: block ", block, " has no option ", choice, " (it has ",
                       nsr_per_option[block].size(), ")");
    }
    signals.block_nsr.push_back(nsr_per_option[block][choice]);
    signals.block_changed.push_back(choice != 0);
  }
  signals.extra = std::move(extra);
  return signals;
}

AccuracyPredictor AccuracyPredictor::fit(const std::vector<CalibrationSample>& samples,
                                         const PredictorOptions& options) {
  if (options.lambdas.empty())
    throw make_error("accuracy predictor: options.lambdas is empty; give ridge strengths");
  AccuracyPredictor predictor;
  predictor.baseline_accuracy_ = options.baseline_accuracy;
  predictor.prior_slope_ = options.prior_slope;
  predictor.extra_count_ = samples.empty() ? 0 : samples.front().signals.extra.size();
  predictor.feature_names_ = {"sum_nsr", "sum_log1p_nsr", "max_nsr", "changed_blocks"};
  for (size_t e = 0; e < predictor.extra_count_; ++e) {
    predictor.feature_names_.push_back(e < options.extra_names.size() ? options.extra_names[e]
                                                                      : "extra_" + std::to_string(e));
  }
  std::vector<std::vector<double>> features;
  std::vector<double> targets;
  for (const CalibrationSample& sample : samples) {
    if (sample.signals.extra.size() != predictor.extra_count_) {
      throw make_error("accuracy predictor: calibration samples disagree on the number of extra signals (",
                       sample.signals.extra.size(), " vs ", predictor.extra_count_, ")");
    }
    features.push_back(features_of(sample.signals));
    targets.push_back(sample.accuracy);
    const double sum = sum_nsr(sample.signals);
    if (sum > 0)
      predictor.prior_slope_ =
          std::max(predictor.prior_slope_, (options.baseline_accuracy - sample.accuracy) / sum);
  }
  if (samples.size() < kMinRidgeSamples) return predictor;
  const std::vector<CoefficientSign> signs = feature_signs(predictor.extra_count_);
  const double lambda = select_lambda(features, targets, options.lambdas, signs);
  RidgeModel ridge = fit_ridge(features, targets, lambda, signs);
  const bool informative =
      std::any_of(ridge.weights.begin(), ridge.weights.end(), [](double w) { return w != 0; });
  if (!informative) return predictor;  // nothing varies with accuracy: the prior is the safer guess
  predictor.method_ = "ridge";
  predictor.ridge_ = std::move(ridge);
  predictor.validation_ = nested_leave_one_out(features, targets, options.lambdas, signs);
  return predictor;
}

double AccuracyPredictor::predict(const ArchitectureSignals& signals) const {
  if (method_ != "ridge") {
    check_signals(signals);
    return baseline_accuracy_ - prior_slope_ * sum_nsr(signals);
  }
  if (signals.extra.size() != extra_count_) {
    throw make_error("accuracy predictor: fitted with ", extra_count_,
                     " extra signals, asked to predict with ", signals.extra.size(),
                     "; give the same signals as in calibration");
  }
  return ridge_.predict(features_of(signals));
}

RankValidation AccuracyPredictor::evaluate(const std::vector<CalibrationSample>& held_out) const {
  std::vector<double> predicted, measured;
  for (const CalibrationSample& sample : held_out) {
    predicted.push_back(predict(sample.signals));
    measured.push_back(sample.accuracy);
  }
  return rank_validation("held-out", predicted, measured);
}

std::vector<double> AccuracyPredictor::coefficients() const {
  if (method_ == "ridge") return ridge_.coefficients();
  std::vector<double> result(kDegradationFeatures + extra_count_, 0);
  result[0] = -prior_slope_;
  return result;
}

double AccuracyPredictor::offset() const { return method_ == "ridge" ? ridge_.offset() : baseline_accuracy_; }

nlohmann::json AccuracyPredictor::to_json() const {
  nlohmann::json json = {{"method", method_},
                         {"baseline_accuracy", baseline_accuracy_},
                         {"prior_slope", prior_slope_},
                         {"extra_count", extra_count_},
                         {"feature_names", feature_names_},
                         {"coefficients", coefficients()},
                         {"offset", offset()},
                         {"validation", nullptr}};
  if (method_ == "ridge") {
    json["ridge"] = {{"means", ridge_.means},
                     {"scales", ridge_.scales},
                     {"weights", ridge_.weights},
                     {"intercept", ridge_.intercept},
                     {"lambda", ridge_.lambda}};
  }
  if (validation_) {
    json["validation"] = {{"method", validation_->method},
                          {"samples", validation_->samples},
                          {"spearman", number_or_null(validation_->spearman)},
                          {"kendall", number_or_null(validation_->kendall)},
                          {"mean_absolute_error", validation_->mean_absolute_error}};
  }
  return json;
}

AccuracyPredictor AccuracyPredictor::from_json(const nlohmann::json& json) {
  try {
    AccuracyPredictor predictor;
    predictor.method_ = json.at("method").get<std::string>();
    if (predictor.method_ != "ridge" && predictor.method_ != "monotone_prior") {
      throw make_error("unknown method \"", predictor.method_, "\"");
    }
    predictor.baseline_accuracy_ = json.at("baseline_accuracy").get<double>();
    predictor.prior_slope_ = json.at("prior_slope").get<double>();
    predictor.extra_count_ = json.at("extra_count").get<size_t>();
    predictor.feature_names_ = json.at("feature_names").get<std::vector<std::string>>();
    if (predictor.method_ == "ridge") {
      const nlohmann::json& ridge = json.at("ridge");
      predictor.ridge_.means = ridge.at("means").get<std::vector<double>>();
      predictor.ridge_.scales = ridge.at("scales").get<std::vector<double>>();
      predictor.ridge_.weights = ridge.at("weights").get<std::vector<double>>();
      predictor.ridge_.intercept = ridge.at("intercept").get<double>();
      predictor.ridge_.lambda = ridge.at("lambda").get<double>();
      const size_t count = kDegradationFeatures + predictor.extra_count_;
      if (predictor.ridge_.means.size() != count || predictor.ridge_.scales.size() != count ||
          predictor.ridge_.weights.size() != count) {
        throw make_error("ridge arrays must have ", count, " entries");
      }
    }
    const nlohmann::json& validation = json.at("validation");
    if (!validation.is_null()) {
      predictor.validation_ =
          RankValidation{validation.at("method").get<std::string>(), validation.at("samples").get<int>(),
                         number_or_nan(validation.at("spearman")), number_or_nan(validation.at("kendall")),
                         validation.at("mean_absolute_error").get<double>()};
    }
    return predictor;
  } catch (const nlohmann::json::exception& error) {
    throw make_error("accuracy predictor JSON is malformed (", error.what(), "); rewrite it with to_json()");
  } catch (const Error& error) {
    throw make_error("accuracy predictor JSON is malformed: ", error.what());
  }
}

}  // namespace nacre
