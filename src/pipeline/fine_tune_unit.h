// One end-to-end fine-tune with knowledge distillation from the baseline as a unit of work in the run
// directory: done once, kept as UNIT.onnx (BatchNorm folded) with UNIT.json, loaded when the run resumes.
// Optimize's fine-tuning slots and the accuracy predictor's brief calibration fine-tunes are such units.
#pragma once

#include <optional>
#include <string>

#include "pipeline/optimize_context.h"

namespace nacre {

struct FineTuneUnit {
  std::string name;            // the unit's path in the run directory, without extension: "finetune/0.4.0"
  std::string architecture;    // the encoding, shown in the progress and kept in UNIT.json
  std::string inherited_from;  // the fine-tuned architecture its shared blocks started from, "" when none
  double seconds = 60;
  double learning_rate = 0;  // 0: fine-tuning's default
};

// Fine-tunes `start` against the teacher's logits on the training split, or loads the unit when it is done.
Graph fine_tune_unit(OptimizeContext& context, const Graph& start, const FineTuneUnit& unit,
                     const Tensor& teacher_logits);

// The model the unit `name` trained, when it is done; nullopt otherwise.
std::optional<Graph> finished_unit(const OptimizeContext& context, const std::string& name);

// The baseline's logits on the training split, computed once per run (cache/teacher_logits.npy).
Tensor teacher_logits(OptimizeContext& context);

}  // namespace nacre
