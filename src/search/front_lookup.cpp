#include "search/front_lookup.h"

#include <algorithm>

namespace nacre {

const ParetoPoint* most_accurate_at(const std::vector<ParetoPoint>& front, double speedup,
                                    double reference_latency, const PointFilter& accepted) {
  const ParetoPoint* best = nullptr;
  for (const ParetoPoint& point : front) {
    if (point.latency * speedup > reference_latency || !accepted(point)) continue;
    if (!best || point.accuracy > best->accuracy) best = &point;
  }
  return best;
}

const ParetoPoint* fastest_point(const std::vector<ParetoPoint>& front, const PointFilter& accepted) {
  const ParetoPoint* fastest = nullptr;
  for (const ParetoPoint& point : front) {
    if (accepted(point) && (!fastest || point.latency < fastest->latency)) fastest = &point;
  }
  return fastest;
}

bool changes_nothing(const std::vector<int>& choices) {
  return std::all_of(choices.begin(), choices.end(), [](int choice) { return choice == 0; });
}

}  // namespace nacre
