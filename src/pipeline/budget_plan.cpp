#include "pipeline/budget_plan.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace nacre {

// Shares of the budget: distillation and fine-tuning get most, since accuracy comes from training;
// the remainder pays for measurements, calibration, search and the final verification.
BudgetPlan plan_budget(double total_seconds, int64_t candidates, int64_t train_examples,
                       int fine_tune_slots) {
  BudgetPlan plan;
  plan.total_seconds = total_seconds;
  int64_t units = std::max<int64_t>(1, candidates);
  plan.distill_examples = std::min<int64_t>(train_examples, total_seconds < 600 ? 512 : 2048);
  plan.distill_seconds_per_candidate = std::max(0.1, 0.20 * total_seconds / units);
  // Each measurement also prepares the candidate on the target (compile, freeze): a fixed cost the cap
  // excludes.
  plan.latency_seconds_per_candidate = std::clamp(0.06 * total_seconds / units, 0.05, 3.0);
  plan.latency_calibration_architectures = total_seconds < 600 ? 4 : 10;
  plan.accuracy_calibration_architectures = total_seconds < 600 ? 6 : 16;
  // Stitched accuracy ranks architectures by how many blocks they change (search_stage.h); a few brief
  // fine-tunes (two styles at two speed-ups) show what the architectures reach after training. Their time
  // comes out of the fine-tuning slots, which also start from them where they share blocks.
  plan.accuracy_finetune_architectures = total_seconds < 600 ? 2 : 4;
  plan.accuracy_finetune_seconds = 0.025 * total_seconds;
  plan.calibration_val_examples = total_seconds < 600 ? 500 : 2000;
  plan.search_seconds = std::clamp(0.02 * total_seconds, 2.0, 120.0);
  // Few long fine-tunes beat many short ones: a changed architecture recovers its accuracy over epochs. Three
  // equal 15-minute slots in 60 minutes were tried on resnet18_cifar10 (bench/RESULTS.md, run 6): the first
  // slot's margin fell from 1.5 points after 23 minutes to 0.04. The first slot now gets half of the
  // fine-tuning time, and the later ones go on from trained weights (finetune_stage.cpp), so from 60 minutes
  // a third slot can try a faster architecture after the second trained a near miss further (run 10).
  plan.finetune_architectures = total_seconds < 600 ? 1 : (total_seconds < 3600 ? 2 : 3);
  if (fine_tune_slots > 0) plan.finetune_architectures = fine_tune_slots;
  plan.finetune_seconds_per_architecture = 0.50 * total_seconds / plan.finetune_architectures;
  // Accuracy before any training ranks a fine-tuned model's neighbours poorly: on run 12's first slot every
  // single change fell to 12-50% (dropping layer1.0 to 23%, and it reached 77.10% after 10 minutes).
  plan.neighbour_probes = 4;
  plan.neighbour_probe_seconds = 0.0075 * total_seconds;
  plan.verify_seconds = std::clamp(0.02 * total_seconds, 2.0, 30.0);
  return plan;
}

nlohmann::json to_json(const BudgetPlan& plan) {
  return {{"total_seconds", plan.total_seconds},
          {"distill_examples", plan.distill_examples},
          {"distill_seconds_per_candidate", plan.distill_seconds_per_candidate},
          {"latency_seconds_per_candidate", plan.latency_seconds_per_candidate},
          {"latency_calibration_architectures", plan.latency_calibration_architectures},
          {"accuracy_calibration_architectures", plan.accuracy_calibration_architectures},
          {"accuracy_finetune_architectures", plan.accuracy_finetune_architectures},
          {"accuracy_finetune_seconds", plan.accuracy_finetune_seconds},
          {"calibration_val_examples", plan.calibration_val_examples},
          {"search_seconds", plan.search_seconds},
          {"finetune_architectures", plan.finetune_architectures},
          {"finetune_seconds_per_architecture", plan.finetune_seconds_per_architecture},
          {"neighbour_probes", plan.neighbour_probes},
          {"neighbour_probe_seconds", plan.neighbour_probe_seconds},
          {"verify_seconds", plan.verify_seconds}};
}

}  // namespace nacre
