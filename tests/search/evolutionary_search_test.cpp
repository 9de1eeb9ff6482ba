#include "search/evolutionary_search.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>

#include "util/error.h"

namespace nacre {
namespace {

// A knapsack-like problem with integer data, so feasibility is exact: option 0 is the original block (the
// most expensive, no accuracy penalty); other options save cost at an accuracy penalty of 0.001 per unit.
struct SyntheticProblem {
  std::vector<std::vector<int>> cost;
  std::vector<std::vector<int>> penalty;
  int penalty_budget = 0;

  SyntheticProblem(int blocks, int options, uint32_t seed) {
    std::mt19937 random(seed);
    int total_worst_penalty = 0;
    for (int b = 0; b < blocks; ++b) {
      const int original = 60 + static_cast<int>(random() % 41);
      cost.push_back({original});
      penalty.push_back({0});
      int worst = 0;
      for (int o = 1; o < options; ++o) {
        const int saving = 5 + static_cast<int>(random() % 50);
        cost[b].push_back(original - saving);
        penalty[b].push_back(1 + static_cast<int>(saving * (3 + random() % 13) / 10));
        worst = std::max(worst, penalty[b].back());
      }
      total_worst_penalty += worst;
    }
    penalty_budget = total_worst_penalty * 2 / 5;
  }

  int total(const std::vector<std::vector<int>>& table, const Choices& architecture) const {
    int sum = 0;
    for (size_t b = 0; b < architecture.size(); ++b) sum += table[b][architecture[b]];
    return sum;
  }
  static double accuracy_of(int total_penalty) { return 1.0 - 0.001 * total_penalty; }

  SearchProblem problem() const {
    SearchProblem problem;
    problem.options_per_block.assign(cost.size(), static_cast<int>(cost.front().size()));
    problem.latency = [this](const Choices& a) { return static_cast<double>(total(cost, a)); };
    problem.accuracy = [this](const Choices& a) { return accuracy_of(total(penalty, a)); };
    problem.min_accuracy = accuracy_of(penalty_budget);
    return problem;
  }

  // Every architecture, for brute force on small instances.
  std::vector<Choices> all_architectures() const {
    std::vector<Choices> result = {Choices(cost.size(), 0)};
    const int options = static_cast<int>(cost.front().size());
    while (true) {
      Choices next = result.back();
      size_t b = 0;
      while (b < next.size() && ++next[b] == options) next[b++] = 0;
      if (b == next.size()) return result;
      result.push_back(next);
    }
  }

  // The least total cost with total penalty <= the budget, by dynamic programming over the penalty.
  int optimal_cost() const {
    const int infinity = std::numeric_limits<int>::max() / 2;
    std::vector<int> best(penalty_budget + 1,
                          0);  // best[p]: least cost of the blocks so far within penalty p
    for (size_t b = 0; b < cost.size(); ++b) {
      std::vector<int> next(penalty_budget + 1, infinity);
      for (int p = 0; p <= penalty_budget; ++p) {
        for (size_t o = 0; o < cost[b].size(); ++o) {
          if (penalty[b][o] <= p) next[p] = std::min(next[p], best[p - penalty[b][o]] + cost[b][o]);
        }
      }
      best = next;
    }
    return best[penalty_budget];
  }
};

void expect_valid_front(const SearchResult& result, const SearchProblem& problem) {
  ASSERT_FALSE(result.front.empty());
  for (size_t i = 0; i < result.front.size(); ++i) {
    EXPECT_GE(result.front[i].accuracy, problem.min_accuracy);
    EXPECT_EQ(result.front[i].violation, 0);
    if (i > 0) {  // fastest first, and each slower point must be more accurate
      EXPECT_GT(result.front[i].latency, result.front[i - 1].latency);
      EXPECT_GT(result.front[i].accuracy, result.front[i - 1].accuracy);
    }
  }
  ASSERT_TRUE(result.fastest_feasible.has_value());
  EXPECT_GE(result.fastest_feasible->accuracy, problem.min_accuracy);
  EXPECT_EQ(result.fastest_feasible->choices, result.front.front().choices);
}

TEST(EvolutionarySearch, FindsTheBruteForceOptimumOnASmallSpace) {
  const SyntheticProblem synthetic(6, 3, 7);
  const SearchProblem problem = synthetic.problem();
  double best_latency = std::numeric_limits<double>::infinity();
  std::vector<ParetoPoint> everything;
  for (const Choices& a : synthetic.all_architectures()) {
    const ParetoPoint p{a, problem.latency(a), problem.accuracy(a),
                        std::max(0.0, problem.min_accuracy - problem.accuracy(a))};
    everything.push_back(p);
    if (p.violation == 0) best_latency = std::min(best_latency, p.latency);
  }
  ASSERT_EQ(everything.size(), 729u);
  ASSERT_GT(best_latency, synthetic.total(synthetic.cost, Choices(6, 2)));  // the constraint binds

  SearchOptions options;
  options.population = 16;
  options.generations = 20;
  const SearchResult result = evolutionary_search(problem, options);
  EXPECT_LT(result.history.size(), 729u / 2);  // found by search, not by enumerating the space
  expect_valid_front(result, problem);
  EXPECT_EQ(result.fastest_feasible->latency, best_latency);
  // Every returned point is truly Pareto-optimal among all 729.
  const std::vector<ParetoPoint> true_front = pareto_front(everything);
  for (const ParetoPoint& p : result.front) {
    EXPECT_TRUE(
        std::any_of(true_front.begin(), true_front.end(),
                    [&](const ParetoPoint& t) { return t.latency == p.latency && t.accuracy == p.accuracy; }))
        << "latency " << p.latency << " accuracy " << p.accuracy;
  }
}

TEST(EvolutionarySearch, ComesWithinAFewPercentOfTheOptimumOnALargeSpace) {
  const SyntheticProblem synthetic(10, 4, 11);
  const SearchProblem problem = synthetic.problem();
  SearchOptions options;
  options.population = 48;
  options.generations = 60;
  const SearchResult result = evolutionary_search(problem, options);
  expect_valid_front(result, problem);
  const int optimum = synthetic.optimal_cost();
  EXPECT_LT(optimum, synthetic.total(synthetic.cost, Choices(10, 0)));
  EXPECT_GE(result.fastest_feasible->latency, optimum);
  EXPECT_LE(result.fastest_feasible->latency, optimum * 1.03);
}

TEST(EvolutionarySearch, IsDeterministicGivenTheSeed) {
  const SyntheticProblem synthetic(8, 4, 3);
  SearchOptions options;
  options.population = 12;
  options.generations = 10;
  const SearchResult first = evolutionary_search(synthetic.problem(), options);
  const SearchResult second = evolutionary_search(synthetic.problem(), options);
  ASSERT_EQ(first.history.size(), second.history.size());
  for (size_t i = 0; i < first.history.size(); ++i)
    EXPECT_EQ(first.history[i].choices, second.history[i].choices);
  options.seed = 2;
  const SearchResult other = evolutionary_search(synthetic.problem(), options);
  bool differs = other.history.size() != first.history.size();
  for (size_t i = 0; !differs && i < first.history.size(); ++i)
    differs = other.history[i].choices != first.history[i].choices;
  EXPECT_TRUE(differs);
}

TEST(EvolutionarySearch, SeedsWithTheBaselineAndEvaluatesEachArchitectureOnce) {
  const SyntheticProblem synthetic(5, 3, 5);
  SearchProblem problem = synthetic.problem();
  int calls = 0;
  const auto latency = problem.latency;
  problem.latency = [&](const Choices& a) {
    ++calls;
    return latency(a);
  };
  SearchOptions options;
  options.population = 10;
  options.generations = 8;
  options.initial_architectures = {Choices{2, 2, 2, 2, 2}};
  const SearchResult result = evolutionary_search(problem, options);
  EXPECT_EQ(result.history[0].choices, Choices(5, 0));
  EXPECT_EQ(result.history[1].choices, (Choices{2, 2, 2, 2, 2}));
  EXPECT_EQ(calls, static_cast<int>(result.history.size()));
  std::vector<Choices> seen;
  for (const ParetoPoint& p : result.history) seen.push_back(p.choices);
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(std::adjacent_find(seen.begin(), seen.end()), seen.end());
}

TEST(EvolutionarySearch, ReturnsNoFeasiblePointUnderAnImpossibleConstraint) {
  const SyntheticProblem synthetic(4, 3, 9);
  SearchProblem problem = synthetic.problem();
  problem.min_accuracy = 1.5;
  SearchOptions options;
  options.population = 8;
  options.generations = 5;
  const SearchResult result = evolutionary_search(problem, options);
  EXPECT_TRUE(result.front.empty());
  EXPECT_FALSE(result.fastest_feasible.has_value());
  EXPECT_FALSE(result.history.empty());
}

TEST(EvolutionarySearch, StopsWhenTheSpaceIsExhausted) {
  const SyntheticProblem synthetic(2, 2, 1);
  SearchOptions options;
  options.population = 8;
  options.generations = 50;
  const SearchResult result = evolutionary_search(synthetic.problem(), options);
  EXPECT_TRUE(result.space_exhausted);
  EXPECT_EQ(result.history.size(), 4u);
  EXPECT_EQ(result.generations_run, 0);
}

TEST(EvolutionarySearch, ReportsProgressAndHonoursTheTimeBudget) {
  const SyntheticProblem synthetic(8, 4, 2);
  SearchOptions options;
  options.population = 8;
  options.generations = 4;
  std::vector<int> generations;
  options.progress = [&](const SearchProgress& progress) {
    generations.push_back(progress.generation);
    EXPECT_GT(progress.evaluations, 0);
    EXPECT_TRUE(progress.fastest_feasible_latency.has_value());  // the baseline is feasible
  };
  const SearchResult result = evolutionary_search(synthetic.problem(), options);
  EXPECT_EQ(generations, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_FALSE(result.stopped_by_time_budget);

  options.progress = nullptr;
  options.time_budget_seconds = 1e-9;  // spent before the second evaluation
  const SearchResult hurried = evolutionary_search(synthetic.problem(), options);
  EXPECT_TRUE(hurried.stopped_by_time_budget);
  EXPECT_EQ(hurried.history.size(), 1u);
  EXPECT_TRUE(hurried.fastest_feasible.has_value());
}

TEST(EvolutionarySearch, RejectsInvalidProblems) {
  const SyntheticProblem synthetic(3, 2, 1);
  SearchProblem problem = synthetic.problem();
  SearchOptions options;
  problem.options_per_block = {2, 0, 2};
  EXPECT_THROW(evolutionary_search(problem, options), Error);
  problem = synthetic.problem();
  options.initial_architectures = {{0, 5, 0}};
  EXPECT_THROW(evolutionary_search(problem, options), Error);
  options.initial_architectures.clear();
  problem.accuracy = [](const Choices&) { return std::nan(""); };
  EXPECT_THROW(evolutionary_search(problem, options), Error);
}

}  // namespace
}  // namespace nacre
