// The accuracy of a fine-tuned architecture's single-change neighbours after a brief fine-tune: each starts
// where a slot that trains it would (finetune_stage.cpp), from the fine-tuned model's weights in the blocks
// it shares with it and its changed block's distilled candidate, and trains at the slots' continuation rate.
// A measurement, against a prediction that cannot see what the fine-tuned blocks learnt (run 12 spent a slot
// on a two-block drop its stitched predictor rated well: 36.5% after training). Untrained, every neighbour
// collapses (12-50% on run 12's first slot), which ranks nothing.
#pragma once

#include <string>
#include <vector>

#include "pipeline/finetune_stage.h"
#include "pipeline/optimize_context.h"
#include "search/pareto_front.h"

namespace nacre {

// `from`'s accuracy and that of plan.neighbour_probes of `neighbours` (faster than `from`), spread
// along their predicted trade-off (search/single_changes.h; fastest first, the same latency, accuracy
// measured) after plan.neighbour_probe_seconds of fine-tuning at `learning_rate` against `logits`, on the
// validation split's calibration subset (plan.calibration_val_examples). Each fine-tune is a unit of work
// (finetune/neighbours/FROM/ARCH), and the probe as a whole too (finetune/neighbours/FROM.json): a resumed
// run reads it back and makes the same choice.
ProbedNeighbours probe_neighbours(OptimizeContext& context, const VerifiedArchitecture& from,
                                  const std::vector<ParetoPoint>& neighbours, const Tensor& logits,
                                  double learning_rate);

// The unit of work that fine-tunes `architecture` briefly as a neighbour of `from` (both encoded); a slot
// that trains the neighbour afterwards starts from that unit's model.
std::string neighbour_probe_unit(const std::string& from, const std::string& architecture);

}  // namespace nacre
