#include "search/restricted_search.h"

#include <algorithm>
#include <string>

#include "util/error.h"

namespace nacre {

AllowedOptions all_options(const std::vector<int>& options_per_block) {
  AllowedOptions allowed;
  for (int count : options_per_block) {
    std::vector<int> options(std::max(0, count));
    for (int o = 0; o < count; ++o) options[o] = o;
    allowed.push_back(std::move(options));
  }
  return allowed;
}

namespace {

void check_allowed(const SearchProblem& problem, const AllowedOptions& allowed) {
  if (allowed.size() != problem.options_per_block.size())
    throw Error("restricted search: " + std::to_string(allowed.size()) + " blocks of allowed options for " +
                std::to_string(problem.options_per_block.size()) + " blocks");
  for (size_t b = 0; b < allowed.size(); ++b) {
    if (std::find(allowed[b].begin(), allowed[b].end(), 0) == allowed[b].end())
      throw Error("restricted search: block " + std::to_string(b) + " must keep option 0 (the original)");
    for (int option : allowed[b])
      if (option < 0 || option >= problem.options_per_block[b])
        throw Error("restricted search: block " + std::to_string(b) + " has no option " +
                    std::to_string(option));
  }
}

Choices to_full(const Choices& restricted, const AllowedOptions& allowed) {
  Choices full(restricted.size());
  for (size_t b = 0; b < restricted.size(); ++b) full[b] = allowed[b][restricted[b]];
  return full;
}

void map_back(std::vector<ParetoPoint>& points, const AllowedOptions& allowed) {
  for (ParetoPoint& point : points) point.choices = to_full(point.choices, allowed);
}

}  // namespace

SearchResult restricted_search(const SearchProblem& problem, const AllowedOptions& allowed,
                               const SearchOptions& options) {
  check_allowed(problem, allowed);
  // Option 0 must map to option 0: the search seeds itself with the all-zeros architecture.
  AllowedOptions ordered = allowed;
  for (std::vector<int>& block : ordered) {
    std::stable_partition(block.begin(), block.end(), [](int option) { return option == 0; });
  }
  SearchProblem restricted;
  for (const std::vector<int>& block : ordered) restricted.options_per_block.push_back(block.size());
  restricted.latency = [&](const Choices& choices) { return problem.latency(to_full(choices, ordered)); };
  restricted.accuracy = [&](const Choices& choices) { return problem.accuracy(to_full(choices, ordered)); };
  restricted.min_accuracy = problem.min_accuracy;
  SearchOptions restricted_options = options;
  restricted_options.initial_architectures.clear();
  for (const Choices& seed : options.initial_architectures) {
    Choices mapped(seed.size());
    bool inside = seed.size() == ordered.size();
    for (size_t b = 0; inside && b < seed.size(); ++b) {
      auto found = std::find(ordered[b].begin(), ordered[b].end(), seed[b]);
      inside = found != ordered[b].end();
      if (inside) mapped[b] = static_cast<int>(found - ordered[b].begin());
    }
    if (inside) restricted_options.initial_architectures.push_back(mapped);
  }
  SearchResult result = evolutionary_search(restricted, restricted_options);
  map_back(result.front, ordered);
  map_back(result.history, ordered);
  if (result.fastest_feasible)
    result.fastest_feasible->choices = to_full(result.fastest_feasible->choices, ordered);
  return result;
}

}  // namespace nacre
