// Stage: fine-tune the most promising architectures end to end with knowledge distillation from the baseline
// (DESIGN step 9), then measure each for real: validation accuracy on the whole split, latency on the target
// interleaved with the baseline (step 10). Each architecture is a unit of work in OUT/finetune/.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "pipeline/optimize_context.h"
#include "search/pareto_front.h"

namespace nacre {

struct VerifiedArchitecture {
  std::string architecture;  // encoding
  Graph model;               // fine-tuned, BatchNorm folded
  double val_accuracy = 0;
  double latency_ms = 0;           // median on the target, measured interleaved with the baseline
  double baseline_latency_ms = 0;  // the baseline's median in the same measurement
  double predicted_latency_ms = 0, predicted_accuracy = 0;
  bool meets_constraint = false;
  bool fine_tuned =
      true;  // false for keep-everything, which differs from the baseline by exact rewrites only
};

// Verifies keep-everything when exact rewrites changed it, then picks up to plan.finetune_architectures from
// the front along a ladder of predicted speed-ups over keep-everything (`keep_latency_ms`, predicted),
// fine-tunes and measures them.
std::vector<VerifiedArchitecture> finetune_and_verify(OptimizeContext& context,
                                                      const std::vector<ParetoPoint>& front,
                                                      double keep_latency_ms);

nlohmann::json to_json(const VerifiedArchitecture& verified);

}  // namespace nacre
