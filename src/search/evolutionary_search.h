// NSGA-II over block choices: minimise latency, maximise accuracy, subject to accuracy >= min_accuracy
// (Deb's constrained domination). An architecture is a choice of option per block; option 0 keeps the
// original block, so the all-zeros architecture (the baseline) seeds every search.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "search/pareto_front.h"

namespace nacre {

using Choices = std::vector<int>;  // choice per block, in [0, options_per_block[block])

struct SearchProblem {
  std::vector<int> options_per_block;              // each >= 1
  std::function<double(const Choices&)> latency;   // minimised (a prediction, usually)
  std::function<double(const Choices&)> accuracy;  // maximised (a prediction, usually)
  double min_accuracy = 0;                         // architectures below it are infeasible
};

struct SearchProgress {
  int generation = 0;  // generations finished (0 after the initial population)
  int generations = 0;
  int64_t evaluations = 0;                         // distinct architectures evaluated so far
  std::optional<double> fastest_feasible_latency;  // over everything evaluated
  size_t front_size = 0;                           // feasible Pareto front over everything evaluated
  double elapsed_seconds = 0;
};

struct SearchOptions {
  int population = 64;
  int generations = 100;
  double mutation_rate = 0;     // per-block probability of a new choice; <= 0 means 1 / number of blocks
  double crossover_rate = 0.9;  // probability that a child mixes two parents (uniform crossover)
  uint64_t seed = 1;
  double time_budget_seconds = 0;                       // 0: no limit; checked before every evaluation
  std::vector<Choices> initial_architectures;           // extra seeds besides the all-zeros one
  std::function<void(const SearchProgress&)> progress;  // called after each generation
};

struct SearchResult {
  std::vector<ParetoPoint> front;               // feasible, non-dominated over the history, fastest first
  std::optional<ParetoPoint> fastest_feasible;  // absent only when nothing evaluated was feasible
  std::vector<ParetoPoint> history;             // every distinct architecture evaluated, in evaluation order
  int generations_run = 0;
  bool stopped_by_time_budget = false;
  bool space_exhausted = false;  // every architecture in the space was evaluated
};

// Runs NSGA-II: binary tournaments on (front rank, crowding distance), uniform crossover, per-block mutation,
// children not yet evaluated preferred, and (mu + lambda) elitist survival of distinct architectures.
// Each architecture is evaluated once (a cache). Deterministic given options.seed, unless the time budget
// ends the search. Throws Error on an invalid problem or a NaN objective.
SearchResult evolutionary_search(const SearchProblem& problem, const SearchOptions& options);

}  // namespace nacre
