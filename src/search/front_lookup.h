// Lookups on a Pareto front that the fine-tuning stage and the accuracy calibration both make: the most
// accurate point at a wanted speed-up, and the fastest point, among the points a filter accepts (e.g. changed
// architectures not trained yet).
#pragma once

#include <functional>
#include <vector>

#include "search/pareto_front.h"

namespace nacre {

using PointFilter = std::function<bool(const ParetoPoint&)>;

// The most accurate accepted point at least `speedup` times faster than `reference_latency` (speed-up 0: any
// accepted point); null when there is none. Ties go to the earlier point.
const ParetoPoint* most_accurate_at(const std::vector<ParetoPoint>& front, double speedup,
                                    double reference_latency, const PointFilter& accepted);

// The fastest accepted point; null when there is none. Ties go to the earlier point.
const ParetoPoint* fastest_point(const std::vector<ParetoPoint>& front, const PointFilter& accepted);

// Whether an architecture's choices are all 0 (keep every block as it is).
bool changes_nothing(const std::vector<int>& choices);

}  // namespace nacre
