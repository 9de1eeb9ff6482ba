// The architectures one block-dropping step away from a trained one: the same choices, except that up to a
// few blocks are skipped (their "skip" option: identity or the cheapest projection). A model fine-tuned to
// the constraint hands its trained weights to every block such a neighbour keeps, so a short fine-tune can
// recover what the dropped blocks did; the Pareto front over these neighbours is where a slot looks for a
// faster architecture after one met the constraint (pipeline/finetune_stage.cpp).
#pragma once

#include <vector>

#include "search/evolutionary_search.h"
#include "search/pareto_front.h"

namespace nacre {

// The Pareto front (fastest first, predictions from `problem`) over the architectures equal to `from` except
// for 1 to `most_dropped` blocks set to their option `skip_option[b]` (-1: the block has none; a block
// already at its skip option stays). Every such architecture is evaluated: with B droppable blocks that is
// sum over k <= most_dropped of C(B, k). Empty when no block can be dropped. Throws Error when `from` and
// `skip_option` differ in length.
std::vector<ParetoPoint> dropped_block_front(const SearchProblem& problem, const Choices& from,
                                             const std::vector<int>& skip_option, int most_dropped);

}  // namespace nacre
