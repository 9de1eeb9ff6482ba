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

// `from` with both the change `a` makes and the change `b` makes, each one block of `from` changed. Empty
// when they change the same block, or either changes other than one block.
Choices combined_changes(const Choices& from, const Choices& a, const Choices& b);

// At most `count` of `points` (single changes of one architecture), fastest first: their Pareto front
// (latency against predicted accuracy) spread evenly from its fastest to its most accurate end, then the rest
// of the front, then the others fastest first; at most one change per block while other blocks have one. The
// neighbours worth probing: the fastest single changes are mostly whole blocks skipped, and resnet18_cifar10
// run 17's third slot probed only those four (7.8-27 points down after the probe) when its 2.3 points of
// margin called for a milder change; run 20's third slot probed four changes of layer1.0 alone (9.9-17.3
// points down), where changes in other blocks could have been paired.
std::vector<ParetoPoint> spread_along_front(const std::vector<ParetoPoint>& points, size_t count);

}  // namespace nacre
