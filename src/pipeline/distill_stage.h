// Stage: blockwise distillation of every candidate from the teacher's activations at the block cuts
// (DESIGN step 5). Each candidate is an independent unit of work stored in OUT/distill/, so a rerun skips
// what is done.
#pragma once

#include <vector>

#include "pipeline/optimize_context.h"

namespace nacre {

// Replaces each non-keep candidate's graph in context.space by its distilled version and returns the
// held-out noise-to-signal ratio per [block][candidate] (0 for keep, which is the teacher itself).
std::vector<std::vector<double>> distill_candidates(OptimizeContext& context);

}  // namespace nacre
