// Points of a latency/accuracy trade-off and their Pareto ordering: fast non-dominated sorting and crowding
// distance (Deb et al., NSGA-II, 2002), with constrained domination for an accuracy floor.
#pragma once

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <vector>

namespace nacre {

// One evaluated architecture: a choice of candidate per block, latency (minimised) and accuracy (maximised).
struct ParetoPoint {
  std::vector<int> choices;
  double latency = 0;
  double accuracy = 0;
  double violation = 0;  // how far accuracy falls below the required minimum; 0 when feasible
};

// a is no slower and no less accurate than b, and strictly better in one of the two.
bool dominates(const ParetoPoint& a, const ParetoPoint& b);

// Deb's constrained domination: a feasible point beats an infeasible one; of two infeasible points the one
// with less violation wins; two feasible points compare by dominates().
bool constrained_dominates(const ParetoPoint& a, const ParetoPoint& b);

// Fast non-dominated sort under constrained domination: fronts[0] holds the indices of points no other point
// dominates, fronts[1] those dominated only by fronts[0], and so on. Indices within a front are ascending.
std::vector<std::vector<size_t>> non_dominated_sort(const std::vector<ParetoPoint>& points);

// Crowding distance of each member of `front` (indices into points), in the order of `front`: the sum over
// both objectives of the normalised gap between each point's neighbours; the extremes get infinity.
std::vector<double> crowding_distances(const std::vector<ParetoPoint>& points,
                                       const std::vector<size_t>& front);

// The feasible, non-dominated points, fastest first, one per distinct (latency, accuracy) pair (the first
// seen is kept). Empty when no point is feasible.
std::vector<ParetoPoint> pareto_front(const std::vector<ParetoPoint>& points);

nlohmann::json to_json(const ParetoPoint& point);
ParetoPoint pareto_point_from_json(const nlohmann::json& json);  // throws Error when keys are missing
nlohmann::json to_json(const std::vector<ParetoPoint>& points);  // a JSON array of points
std::vector<ParetoPoint> pareto_points_from_json(const nlohmann::json& json);

}  // namespace nacre
