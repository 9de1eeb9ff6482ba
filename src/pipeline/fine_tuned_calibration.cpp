#include "pipeline/fine_tuned_calibration.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "pipeline/evaluate_classifier.h"
#include "pipeline/fine_tune_unit.h"
#include "search/front_lookup.h"

namespace nacre {

std::vector<std::vector<int>> pick_calibration_architectures(
    const std::vector<std::vector<ParetoPoint>>& fronts, double keep_latency_ms,
    const std::vector<double>& speedups, int count) {
  std::vector<std::vector<int>> picked;
  PointFilter new_change = [&picked](const ParetoPoint& point) {
    return !changes_nothing(point.choices) &&
           std::find(picked.begin(), picked.end(), point.choices) == picked.end();
  };
  for (double speedup : speedups) {
    for (const std::vector<ParetoPoint>& front : fronts) {
      if (static_cast<int>(picked.size()) >= count) return picked;
      const ParetoPoint* best = most_accurate_at(front, speedup, keep_latency_ms, new_change);
      if (!best) best = fastest_point(front, new_change);
      if (best) picked.push_back(best->choices);
    }
  }
  return picked;
}

bool refit_may_replace_stitched(const AccuracyPredictor& refit) {
  if (refit.method() != "ridge" || !refit.validation()) return true;
  double kendall = refit.validation()->kendall;
  return std::isfinite(kendall) && kendall > 0;
}

FineTunedCalibration calibrate_on_fine_tuned(OptimizeContext& context,
                                             const std::vector<std::vector<int>>& architectures,
                                             const std::vector<std::vector<double>>& nsr,
                                             const LabeledImages& subset, double keep_accuracy,
                                             double seconds) {
  FineTunedCalibration calibration;
  calibration.samples.push_back(
      {architecture_signals(std::vector<int>(context.space.candidates.size(), 0), nsr), keep_accuracy});
  calibration.report = nlohmann::json::array();
  if (architectures.empty()) return calibration;
  Tensor logits = teacher_logits(context);
  EvaluationOptions evaluation;
  evaluation.show_progress = false;
  for (const std::vector<int>& choices : architectures) {
    VerifiedArchitecture trained;
    trained.architecture = Architecture{choices}.encode();
    FineTuneUnit unit;
    unit.name = "finetune/calibration/" + file_name_for(trained.architecture);
    unit.architecture = trained.architecture;
    unit.seconds = seconds;
    trained.model = fine_tune_unit(context, materialize(context.space, Architecture{choices}), unit, logits);
    trained.val_accuracy = evaluate_classifier(trained.model, subset, context.preprocessing, evaluation).top1;
    calibration.samples.push_back({architecture_signals(choices, nsr), trained.val_accuracy});
    calibration.report.push_back({{"architecture", trained.architecture},
                                  {"fine_tune_seconds", seconds},
                                  {"val_subset_accuracy", trained.val_accuracy}});
    std::fprintf(stderr, "  %s after %.0f s of fine-tuning: %.2f%% on the calibration subset\n",
                 trained.architecture.c_str(), seconds, 100 * trained.val_accuracy);
    calibration.trained.push_back(std::move(trained));
  }
  return calibration;
}

}  // namespace nacre
