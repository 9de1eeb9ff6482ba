// Stage: calibrate the accuracy predictor and search the space (DESIGN steps 7-8). The predictor maps the
// chosen candidates' distillation quality to accuracy. It is first fitted to sampled architectures stitched
// from distilled candidates and evaluated on a validation subset (accuracy before fine-tuning: cheap, but it
// collapses with the number of changed blocks); when the plan has time for it, it is then refitted to a few
// architectures from the fronts' fast part fine-tuned briefly (fine_tuned_calibration.h), the accuracy the
// search is for. Rank correlations are reported (leave-one-out, and the stitched predictor's on the
// fine-tuned samples). NSGA-II then finds the Pareto front of predicted latency against predicted accuracy.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "pipeline/finetune_stage.h"
#include "pipeline/latency_stage.h"
#include "pipeline/optimize_context.h"
#include "search/evolutionary_search.h"
#include "search/pareto_front.h"

namespace nacre {

struct SearchOutcome {
  std::vector<ParetoPoint> front;            // fastest first; accuracy and latency are predictions
  double calibration_baseline_accuracy = 0;  // the keep-everything model on the calibration subset
  nlohmann::json report;                     // predictors, calibration samples, search statistics
  // Architectures fine-tuned briefly to calibrate the predictor: their models can seed the fine-tuning slots.
  std::vector<VerifiedArchitecture> briefly_fine_tuned;
  // The predictions the front was searched with (holding copies of the predictors), for the slots' lookups
  // beyond the front.
  SearchProblem predictions;
};

SearchOutcome search_architectures(OptimizeContext& context, const std::vector<std::vector<double>>& nsr,
                                   const SpaceLatencyModel& latency);

}  // namespace nacre
