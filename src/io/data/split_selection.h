// Which examples a split keeps: the per-class validation carve-out, and the examples a limit keeps.
#pragma once

#include <cstdint>
#include <vector>

#include "io/data/dataset.h"

namespace nacre {

// Indices (ascending) of the kTrain or kVal examples among training `labels`: per class, the last
// floor(n_class / 10) examples in the given order are val, the rest train. (kTest: every index.)
std::vector<int64_t> carve_split(const std::vector<int64_t>& labels, Split split);
// The first `limit` of `indices` (all if limit < 0).
std::vector<int64_t> keep_first(const std::vector<int64_t>& indices, int64_t limit);
// `limit` of `indices` taken round-robin over classes (first of each class in order of class index, then the
// second of each, ...), in that interleaved order; all of them, in their order, if limit < 0.
std::vector<int64_t> keep_round_robin(const std::vector<int64_t>& indices, const std::vector<int64_t>& labels,
                                      int64_t limit);

}  // namespace nacre
