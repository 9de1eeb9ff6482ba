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

// The same lookup over predicted points (`front`) and `measured` ones (accuracy measured, e.g. after a brief
// fine-tune; latency predicted), the measurements taking the place of the predictions for the architectures
// they measured. Measured points count when at least `measured_reach * speedup` faster (a reach below 1 lets
// a measured point slightly slower than the wanted speed-up compete, since the wanted speed-up is itself a
// prediction and a measured accuracy is worth more than a predicted one); ties go to the measured point.
// Returns the front's point or the measured one; null when neither list has an accepted point fast enough.
const ParetoPoint* most_accurate_at(const std::vector<ParetoPoint>& front,
                                    const std::vector<ParetoPoint>& measured, double speedup,
                                    double measured_reach, double reference_latency,
                                    const PointFilter& accepted);

// The fastest accepted point; null when there is none. Ties go to the earlier point.
const ParetoPoint* fastest_point(const std::vector<ParetoPoint>& front, const PointFilter& accepted);

// Whether an architecture's choices are all 0 (keep every block as it is).
bool changes_nothing(const std::vector<int>& choices);

}  // namespace nacre
