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

const ParetoPoint* most_accurate_at(const std::vector<ParetoPoint>& front,
                                    const std::vector<ParetoPoint>& measured, double speedup,
                                    double measured_reach, double reference_latency,
                                    const PointFilter& accepted) {
  PointFilter not_measured = [&](const ParetoPoint& point) {
    return accepted(point) && std::none_of(measured.begin(), measured.end(),
                                           [&](const ParetoPoint& m) { return m.choices == point.choices; });
  };
  const ParetoPoint* predicted = most_accurate_at(front, speedup, reference_latency, not_measured);
  const ParetoPoint* best_measured =
      most_accurate_at(measured, speedup * measured_reach, reference_latency, accepted);
  if (best_measured && (!predicted || best_measured->accuracy >= predicted->accuracy)) return best_measured;
  return predicted;
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
