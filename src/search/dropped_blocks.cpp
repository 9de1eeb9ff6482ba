#include "search/dropped_blocks.h"

#include "util/error.h"

namespace nacre {

namespace {

// Appends every architecture that drops `left` more of `droppable[next..]` from `current`.
void enumerate_drops(const SearchProblem& problem, const std::vector<size_t>& droppable,
                     const std::vector<int>& skip_option, size_t next, int left, Choices& current,
                     bool dropped_any, std::vector<ParetoPoint>& points) {
  if (dropped_any) points.push_back({current, problem.latency(current), problem.accuracy(current)});
  if (left == 0) return;
  for (size_t i = next; i < droppable.size(); ++i) {
    size_t block = droppable[i];
    int kept = current[block];
    current[block] = skip_option[block];
    enumerate_drops(problem, droppable, skip_option, i + 1, left - 1, current, true, points);
    current[block] = kept;
  }
}

}  // namespace

std::vector<ParetoPoint> dropped_block_front(const SearchProblem& problem, const Choices& from,
                                             const std::vector<int>& skip_option, int most_dropped) {
  if (from.size() != skip_option.size())
    throw make_error("dropped_block_front: ", from.size(), " choices but ", skip_option.size(),
                     " skip options");
  std::vector<size_t> droppable;
  for (size_t b = 0; b < from.size(); ++b)
    if (skip_option[b] >= 0 && from[b] != skip_option[b]) droppable.push_back(b);
  std::vector<ParetoPoint> points;
  Choices current = from;
  enumerate_drops(problem, droppable, skip_option, 0, most_dropped, current, false, points);
  return pareto_front(points);
}

}  // namespace nacre
