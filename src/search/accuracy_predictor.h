// Predicts an architecture's validation accuracy after fine-tuning from its blocks' distillation quality.
//
// Model. Each block's chosen candidate has a noise-to-signal ratio NSR = MSE / Var(teacher output) >= 0 (0
// for the original block). An architecture is summarised by the features
//   sum NSR, sum log(1 + NSR), max NSR, number of changed blocks   (the "degradation" features)
// followed by optional architecture-level signals (e.g. the stitched network's accuracy before fine-tuning),
// and accuracy = intercept + coefficients . features is fitted by ridge regression on standardised features
// (ridge_regression.h) to calibration samples: architectures that were actually fine-tuned and measured.
// The degradation features' coefficients are constrained to be <= 0, so a worse block never raises the
// prediction: the search cannot be rewarded for picking poorly distilled candidates. The ridge strength is
// chosen from a grid by leave-one-out error. Rank agreement (Spearman, Kendall) is reported on held-out
// predictions: nested leave-one-out over the calibration samples, or evaluate() on a separate set.
//
// With fewer than 3 calibration samples (or when no feature varies), it falls back to a monotone prior:
// accuracy = baseline_accuracy - slope * sum NSR, slope = the larger of options.prior_slope (conservative)
// and the steepest drop the samples show; method() says "monotone_prior" instead of "ridge".
//
// A caller may add the unmodified model (all NSR 0, its own accuracy) as one more calibration sample. Extra
// signals, when used, must be given for every prediction too, so use only signals cheap to compute in search.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "search/ridge_regression.h"

namespace nacre {

struct ArchitectureSignals {
  std::vector<double> block_nsr;    // the chosen candidate's NSR per block (0 for the original block)
  std::vector<bool> block_changed;  // the chosen candidate is not the original; empty: derived as NSR > 0
  std::vector<double> extra;        // architecture-level signals, same meaning and order in every sample
};

// Signals for choices over a table nsr_per_option[block][option], where option 0 is the original block.
ArchitectureSignals architecture_signals(const std::vector<int>& choices,
                                         const std::vector<std::vector<double>>& nsr_per_option,
                                         std::vector<double> extra = {});

struct CalibrationSample {
  ArchitectureSignals signals;
  double accuracy = 0;  // measured validation accuracy after fine-tuning, as a fraction
};

struct PredictorOptions {
  double baseline_accuracy = 0;  // the unmodified model's validation accuracy, anchor of the prior
  double prior_slope = 0.2;      // the prior's accuracy drop per unit of summed NSR
  std::vector<double> lambdas = {10, 1, 0.1, 1e-2, 1e-3, 1e-4, 1e-6};  // tried in order; ties keep the first
  std::vector<std::string> extra_names;  // names of the extra signals, for reports (default extra_0, ...)
};

struct RankValidation {
  std::string method;  // "leave-one-out" or "held-out"
  int samples = 0;
  double spearman = 0;  // NaN when predictions or measurements are all equal
  double kendall = 0;
  double mean_absolute_error = 0;
};

class AccuracyPredictor {
 public:
  // Throws Error when samples disagree on the number of extra signals or an NSR is negative or NaN.
  static AccuracyPredictor fit(const std::vector<CalibrationSample>& samples,
                               const PredictorOptions& options);

  double predict(
      const ArchitectureSignals& signals) const;  // throws Error on a wrong number of extra signals
  RankValidation evaluate(const std::vector<CalibrationSample>& held_out) const;  // needs >= 2 samples

  const std::string& method() const { return method_; }  // "ridge" or "monotone_prior"
  const std::optional<RankValidation>& validation() const { return validation_; }  // absent for the prior
  const std::vector<std::string>& feature_names() const { return feature_names_; }
  std::vector<double> coefficients() const;  // per feature, in its units (the prior: -slope on sum NSR only)
  double offset() const;                     // the prediction when every feature is 0

  nlohmann::json to_json() const;
  static AccuracyPredictor from_json(const nlohmann::json& json);  // throws Error on a malformed document

 private:
  std::string method_ = "monotone_prior";
  double baseline_accuracy_ = 0;
  double prior_slope_ = 0;
  size_t extra_count_ = 0;
  std::vector<std::string> feature_names_;
  RidgeModel ridge_;
  std::optional<RankValidation> validation_;
};

}  // namespace nacre
