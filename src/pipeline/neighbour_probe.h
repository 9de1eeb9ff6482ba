// The accuracy of a fine-tuned architecture's single-change neighbours, measured before any training: each
// neighbour keeps the fine-tuned model's weights in the blocks it shares with it and its changed block's
// distilled candidate, which is where a slot that trains it starts (finetune_stage.cpp). A few seconds per
// neighbour on the calibration subset, against a prediction that cannot see what the fine-tuned blocks
// learnt (run 12 spent a slot on a two-block drop its stitched predictor rated well: 36.5% after training).
#pragma once

#include <vector>

#include "pipeline/finetune_stage.h"
#include "pipeline/optimize_context.h"
#include "search/pareto_front.h"

namespace nacre {

// `from`'s accuracy and each of `neighbours`' (same latency, accuracy measured) on the validation split's
// calibration subset (plan.calibration_val_examples). Kept as the unit of work
// finetune/neighbours/FROM.json: a resumed run reads it back and makes the same choice.
ProbedNeighbours probe_neighbours(OptimizeContext& context, const VerifiedArchitecture& from,
                                  const std::vector<ParetoPoint>& neighbours);

}  // namespace nacre
