// Stage: calibrate the accuracy predictor and search the space (DESIGN steps 7-8). The predictor maps the
// chosen candidates' distillation quality to accuracy; it is calibrated on sampled architectures stitched
// from distilled candidates and evaluated on a validation subset (accuracy before fine-tuning: a pessimistic,
// cheap signal), and its rank correlation is reported (leave-one-out). NSGA-II then finds the Pareto front of
// predicted latency against predicted accuracy.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "pipeline/latency_stage.h"
#include "pipeline/optimize_context.h"
#include "search/pareto_front.h"

namespace nacre {

struct SearchOutcome {
  std::vector<ParetoPoint> front;            // fastest first; accuracy and latency are predictions
  double calibration_baseline_accuracy = 0;  // the keep-everything model on the calibration subset
  nlohmann::json report;                     // predictor, calibration samples, search statistics
};

SearchOutcome search_architectures(OptimizeContext& context, const std::vector<std::vector<double>>& nsr,
                                   const SpaceLatencyModel& latency);

// Every k-th example, so a subset of an image-folder split (ordered by class) still holds every class.
LabeledImages strided_subset(const LabeledImages& data, int64_t count);

}  // namespace nacre
