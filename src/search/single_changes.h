// The architectures one block change away from a trained one. A model fine-tuned to the constraint hands its
// trained weights to every block such a neighbour keeps, so a short fine-tune can recover what the changed
// block did; these neighbours, probed for accuracy with those weights, are where a slot looks for a faster
// architecture after one met the constraint (pipeline/finetune_stage.cpp).
#pragma once

#include <vector>

#include "search/evolutionary_search.h"
#include "search/pareto_front.h"

namespace nacre {

// Every architecture equal to `from` except in one block, predicted faster than `from` by `problem.latency`,
// fastest first (ties in block order). Accuracy is `problem.accuracy`'s prediction, 0 when it has none.
// Throws Error when `from` does not fit `problem.options_per_block` or the problem has no latency.
std::vector<ParetoPoint> faster_single_changes(const SearchProblem& problem, const Choices& from);

}  // namespace nacre
