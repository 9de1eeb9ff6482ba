// The accuracy predictor's calibration on accuracy after fine-tuning (DESIGN step 7): a few architectures
// from the fast part of the predicted fronts are fine-tuned briefly with knowledge distillation and evaluated
// on the calibration subset of the validation split. Stitched accuracy before fine-tuning collapses as blocks
// change, whatever they are changed to, so a predictor fitted to it ranks by the number of changed blocks and
// sends the search to skipped blocks; accuracy after fine-tuning is what the slots are chosen for.
//
// The architectures are drawn from several fronts (e.g. one searched with the stitched predictor, one with
// the distillation error alone), at the speed-ups the fine-tuning slots will aim at, so that architectures of
// a similar predicted latency but a different make (few blocks skipped or many blocks narrowed) are compared
// on what they reach. Each brief fine-tune is a unit of work (finetune/calibration/ARCH), and its model can
// seed a fine-tuning slot's shared blocks.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "pipeline/finetune_stage.h"
#include "search/accuracy_predictor.h"
#include "search/pareto_front.h"

namespace nacre {

// Up to `count` distinct changed architectures: for each speed-up over keep-everything in `speedups` in
// turn, from each front in turn, the most accurate (predicted) point at least that much faster than
// keep-everything, or when there is none the front's fastest point not yet picked.
std::vector<std::vector<int>> pick_calibration_architectures(
    const std::vector<std::vector<ParetoPoint>>& fronts, double keep_latency_ms,
    const std::vector<double>& speedups, int count);

struct FineTunedCalibration {
  std::vector<CalibrationSample> samples;     // keep-everything (not trained) first, then each fine-tuned one
  std::vector<VerifiedArchitecture> trained;  // the briefly fine-tuned models; val_accuracy is on the subset
  nlohmann::json report;                      // per architecture: accuracy, training seconds
};

// Whether a predictor refitted on the brief fine-tunes may replace the stitched one. A ridge fit whose
// leave-one-out ranking is no better than chance (Kendall tau <= 0, or undefined) is rejected: its
// regularisation has flattened it, and a flat predictor orders the front by latency alone (a run's first slot
// then took the fastest, five-skip architecture and missed). A monotone prior (too few samples) is accepted.
bool refit_may_replace_stitched(const AccuracyPredictor& refit);

// Fine-tunes each architecture for `seconds` and evaluates it on `subset`; `keep_accuracy` is
// keep-everything's accuracy on the same subset, `nsr` the distillation table the samples' signals come from.
FineTunedCalibration calibrate_on_fine_tuned(OptimizeContext& context,
                                             const std::vector<std::vector<int>>& architectures,
                                             const std::vector<std::vector<double>>& nsr,
                                             const LabeledImages& subset, double keep_accuracy,
                                             double seconds);

}  // namespace nacre
