#include "search/pareto_front.h"

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>
#include <numeric>

#include "util/error.h"

namespace nacre {
namespace {

bool feasible(const ParetoPoint& point) { return point.violation <= 0; }

// Adds each member's normalised neighbour gap along one objective, `value` giving that objective.
template <typename Objective>
void add_crowding_along(const std::vector<ParetoPoint>& points, const std::vector<size_t>& front,
                        Objective value, std::vector<double>& distances) {
  std::vector<size_t> order(front.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return value(points[front[a]]) < value(points[front[b]]); });
  const double infinity = std::numeric_limits<double>::infinity();
  distances[order.front()] = infinity;
  distances[order.back()] = infinity;
  const double range = value(points[front[order.back()]]) - value(points[front[order.front()]]);
  if (range <= 0) return;
  for (size_t k = 1; k + 1 < order.size(); ++k) {
    const double gap = value(points[front[order[k + 1]]]) - value(points[front[order[k - 1]]]);
    distances[order[k]] += gap / range;
  }
}

}  // namespace

bool dominates(const ParetoPoint& a, const ParetoPoint& b) {
  const bool no_worse = a.latency <= b.latency && a.accuracy >= b.accuracy;
  const bool better = a.latency < b.latency || a.accuracy > b.accuracy;
  return no_worse && better;
}

bool constrained_dominates(const ParetoPoint& a, const ParetoPoint& b) {
  if (feasible(a) != feasible(b)) return feasible(a);
  if (!feasible(a)) return a.violation < b.violation;
  return dominates(a, b);
}

std::vector<std::vector<size_t>> non_dominated_sort(const std::vector<ParetoPoint>& points) {
  const size_t n = points.size();
  std::vector<std::vector<size_t>> dominated_by(n);  // dominated_by[i]: the points i dominates
  std::vector<size_t> domination_count(n, 0);        // how many points dominate i
  std::vector<std::vector<size_t>> fronts;
  std::vector<size_t> current;
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      if (i == j) continue;
      if (constrained_dominates(points[i], points[j])) dominated_by[i].push_back(j);
      if (constrained_dominates(points[j], points[i])) ++domination_count[i];
    }
    if (domination_count[i] == 0) current.push_back(i);
  }
  while (!current.empty()) {
    std::vector<size_t> next;
    for (size_t i : current) {
      for (size_t j : dominated_by[i]) {
        if (--domination_count[j] == 0) next.push_back(j);
      }
    }
    std::sort(next.begin(), next.end());
    fronts.push_back(std::move(current));
    current = std::move(next);
  }
  return fronts;
}

std::vector<double> crowding_distances(const std::vector<ParetoPoint>& points,
                                       const std::vector<size_t>& front) {
  std::vector<double> distances(front.size(), 0.0);
  if (front.empty()) return distances;
  add_crowding_along(
      points, front, [](const ParetoPoint& p) { return p.latency; }, distances);
  add_crowding_along(
      points, front, [](const ParetoPoint& p) { return p.accuracy; }, distances);
  return distances;
}

// A sweep in order of latency (ties: most accurate first) keeps each point more accurate than all before it.
std::vector<ParetoPoint> pareto_front(const std::vector<ParetoPoint>& points) {
  std::vector<size_t> order;
  for (size_t i = 0; i < points.size(); ++i) {
    if (feasible(points[i])) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (points[a].latency != points[b].latency) return points[a].latency < points[b].latency;
    return points[a].accuracy > points[b].accuracy;
  });
  std::vector<ParetoPoint> front;
  for (size_t i : order) {
    if (front.empty() || points[i].accuracy > front.back().accuracy) front.push_back(points[i]);
  }
  return front;
}

nlohmann::json to_json(const ParetoPoint& point) {
  return {{"choices", point.choices},
          {"latency", point.latency},
          {"accuracy", point.accuracy},
          {"violation", point.violation}};
}

ParetoPoint pareto_point_from_json(const nlohmann::json& json) {
  for (const char* key : {"choices", "latency", "accuracy"}) {
    if (!json.is_object() || !json.contains(key)) {
      throw make_error("Pareto point JSON lacks \"", key, "\": ", json.dump(),
                       "; expected {\"choices\": [...], \"latency\": .., \"accuracy\": ..}");
    }
  }
  ParetoPoint point;
  point.choices = json.at("choices").get<std::vector<int>>();
  point.latency = json.at("latency").get<double>();
  point.accuracy = json.at("accuracy").get<double>();
  point.violation = json.value("violation", 0.0);
  return point;
}

nlohmann::json to_json(const std::vector<ParetoPoint>& points) {
  nlohmann::json array = nlohmann::json::array();
  for (const ParetoPoint& point : points) array.push_back(to_json(point));
  return array;
}

std::vector<ParetoPoint> pareto_points_from_json(const nlohmann::json& json) {
  if (!json.is_array()) throw make_error("expected a JSON array of Pareto points, got: ", json.dump());
  std::vector<ParetoPoint> points;
  for (const nlohmann::json& item : json) points.push_back(pareto_point_from_json(item));
  return points;
}

}  // namespace nacre
