#include "search/single_changes.h"

#include <algorithm>

#include "util/error.h"

namespace nacre {

namespace {

// Sorts `points` by latency, fastest first, keeping the order of equally fast ones.
void sort_fastest_first(std::vector<ParetoPoint>& points) {
  std::stable_sort(points.begin(), points.end(),
                   [](const ParetoPoint& a, const ParetoPoint& b) { return a.latency < b.latency; });
}

// The block `changed` changes of `from`, or -1 when it changes none or more than one (or does not fit).
int changed_block(const Choices& from, const Choices& changed) {
  if (changed.size() != from.size()) return -1;
  int block = -1;
  for (size_t b = 0; b < from.size(); ++b) {
    if (changed[b] == from[b]) continue;
    if (block >= 0) return -1;
    block = static_cast<int>(b);
  }
  return block;
}

}  // namespace

std::vector<ParetoPoint> faster_single_changes(const SearchProblem& problem, const Choices& from) {
  if (!problem.latency) throw make_error("faster_single_changes: the problem has no latency");
  if (from.size() != problem.options_per_block.size())
    throw make_error("faster_single_changes: ", from.size(), " choices for ",
                     problem.options_per_block.size(), " blocks");
  for (size_t b = 0; b < from.size(); ++b)
    if (from[b] < 0 || from[b] >= problem.options_per_block[b])
      throw make_error("faster_single_changes: block ", b, " has no option ", from[b]);
  double from_latency = problem.latency(from);
  std::vector<ParetoPoint> faster;
  Choices changed = from;
  for (size_t b = 0; b < from.size(); ++b) {
    for (int option = 0; option < problem.options_per_block[b]; ++option) {
      if (option == from[b]) continue;
      changed[b] = option;
      double latency = problem.latency(changed);
      if (latency < from_latency)
        faster.push_back({changed, latency, problem.accuracy ? problem.accuracy(changed) : 0});
    }
    changed[b] = from[b];
  }
  sort_fastest_first(faster);
  return faster;
}

Choices combined_changes(const Choices& from, const Choices& a, const Choices& b) {
  int block_a = changed_block(from, a), block_b = changed_block(from, b);
  if (block_a < 0 || block_b < 0 || block_a == block_b) return {};
  Choices both = a;
  both[block_b] = b[block_b];
  return both;
}

std::vector<ParetoPoint> spread_along_front(const std::vector<ParetoPoint>& points, size_t count) {
  std::vector<ParetoPoint> front = pareto_front(points);
  // In order of preference: evenly spaced indices of the front from 0 to front.size() - 1, both ends
  // included (distinct since count < size), the rest of the front, then the others fastest first.
  std::vector<ParetoPoint> preferred;
  if (front.size() > count && count > 0)
    for (size_t i = 0; i < count; ++i)
      preferred.push_back(front[count == 1 ? 0 : i * (front.size() - 1) / (count - 1)]);
  std::vector<ParetoPoint> others = points;
  sort_fastest_first(others);
  for (const std::vector<ParetoPoint>* rest : {&front, &others})
    for (const ParetoPoint& point : *rest) preferred.push_back(point);
  std::vector<ParetoPoint> chosen;
  auto taken = [&chosen](const ParetoPoint& point, bool or_its_block) {
    return std::any_of(chosen.begin(), chosen.end(), [&](const ParetoPoint& c) {
      // Two single changes of one architecture change the same block when they differ in one block only.
      return c.choices == point.choices || (or_its_block && changed_block(c.choices, point.choices) >= 0);
    });
  };
  for (bool one_per_block : {true, false})
    for (const ParetoPoint& point : preferred)
      if (chosen.size() < count && !taken(point, one_per_block)) chosen.push_back(point);
  sort_fastest_first(chosen);
  return chosen;
}

}  // namespace nacre
