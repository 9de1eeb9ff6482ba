#include "search/evolutionary_search.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <sstream>

#include "util/error.h"

namespace nacre {
namespace {

using Clock = std::chrono::steady_clock;

// Draws from a fixed engine with hand-written mappings, so a seed gives the same search on every platform.
class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}
  size_t below(size_t n) { return static_cast<size_t>(engine_() % n); }
  double unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  bool chance(double probability) { return unit() < probability; }

 private:
  std::mt19937_64 engine_;
};

std::string describe(const Choices& architecture) {
  std::ostringstream out;
  out << "[";
  for (size_t i = 0; i < architecture.size(); ++i) out << (i ? "," : "") << architecture[i];
  out << "]";
  return out.str();
}

void check_architecture(const SearchProblem& problem, const Choices& architecture) {
  bool valid = architecture.size() == problem.options_per_block.size();
  for (size_t i = 0; valid && i < architecture.size(); ++i) {
    valid = architecture[i] >= 0 && architecture[i] < problem.options_per_block[i];
  }
  if (!valid) {
    throw make_error("search: initial architecture ", describe(architecture), " does not fit the ",
                     problem.options_per_block.size(),
                     " blocks' option counts; give one choice per block in [0, options)");
  }
}

void check_problem(const SearchProblem& problem, const SearchOptions& options) {
  if (problem.options_per_block.empty()) throw make_error("search: the problem has no blocks");
  for (size_t i = 0; i < problem.options_per_block.size(); ++i) {
    if (problem.options_per_block[i] < 1) {
      throw make_error("search: block ", i, " has ", problem.options_per_block[i],
                       " options; every block needs at least its original (option 0)");
    }
  }
  if (!problem.latency || !problem.accuracy)
    throw make_error("search: latency and accuracy functions are required");
  if (options.population < 2)
    throw make_error("search: population must be at least 2, got ", options.population);
  if (options.generations < 0)
    throw make_error("search: generations must be >= 0, got ", options.generations);
  if (options.crossover_rate < 0 || options.crossover_rate > 1 || options.mutation_rate > 1) {
    throw make_error("search: crossover and mutation rates must lie in [0, 1]");
  }
  for (const Choices& architecture : options.initial_architectures) check_architecture(problem, architecture);
}

// Number of architectures in the space, saturating at a value no search reaches.
int64_t space_size(const std::vector<int>& options_per_block) {
  const int64_t cap = int64_t{1} << 50;
  int64_t size = 1;
  for (int options : options_per_block) size = std::min(cap, size * options);
  return size;
}

// Evaluates each distinct architecture once and keeps them all, in evaluation order.
class EvaluationCache {
 public:
  explicit EvaluationCache(const SearchProblem& problem) : problem_(problem) {}

  bool contains(const Choices& architecture) const { return index_.count(architecture) > 0; }

  const ParetoPoint& evaluate(const Choices& architecture) {
    auto found = index_.find(architecture);
    if (found != index_.end()) return history_[found->second];
    ParetoPoint point;
    point.choices = architecture;
    point.latency = problem_.latency(architecture);
    point.accuracy = problem_.accuracy(architecture);
    if (std::isnan(point.latency) || std::isnan(point.accuracy)) {
      throw make_error("search: the latency or accuracy of architecture ", describe(architecture),
                       " is NaN; the predictors must return a number for every architecture");
    }
    point.violation = std::max(0.0, problem_.min_accuracy - point.accuracy);
    index_.emplace(architecture, history_.size());
    history_.push_back(std::move(point));
    return history_.back();
  }

  const std::vector<ParetoPoint>& history() const { return history_; }

 private:
  const SearchProblem& problem_;
  std::map<Choices, size_t> index_;
  std::vector<ParetoPoint> history_;
};

// A population ranked for selection: front index (lower is better) and crowding distance (higher is better).
struct RankedPopulation {
  std::vector<ParetoPoint> members;
  std::vector<size_t> front_rank;
  std::vector<double> crowding;
};

RankedPopulation rank(std::vector<ParetoPoint> members) {
  RankedPopulation ranked;
  ranked.front_rank.assign(members.size(), 0);
  ranked.crowding.assign(members.size(), 0);
  const auto fronts = non_dominated_sort(members);
  for (size_t f = 0; f < fronts.size(); ++f) {
    const std::vector<double> distances = crowding_distances(members, fronts[f]);
    for (size_t k = 0; k < fronts[f].size(); ++k) {
      ranked.front_rank[fronts[f][k]] = f;
      ranked.crowding[fronts[f][k]] = distances[k];
    }
  }
  ranked.members = std::move(members);
  return ranked;
}

// (mu + lambda) survival: distinct architectures, whole fronts first, the last one cut by crowding distance.
std::vector<ParetoPoint> select_survivors(const std::vector<ParetoPoint>& pool, size_t size) {
  std::vector<ParetoPoint> distinct;
  std::map<Choices, bool> seen;
  for (const ParetoPoint& point : pool) {
    if (seen.emplace(point.choices, true).second) distinct.push_back(point);
  }
  std::vector<ParetoPoint> survivors;
  for (const std::vector<size_t>& front : non_dominated_sort(distinct)) {
    if (survivors.size() >= size) break;
    std::vector<size_t> order(front.size());
    std::iota(order.begin(), order.end(), size_t{0});
    if (survivors.size() + front.size() > size) {
      const std::vector<double> distances = crowding_distances(distinct, front);
      std::stable_sort(order.begin(), order.end(),
                       [&](size_t a, size_t b) { return distances[a] > distances[b]; });
    }
    for (size_t k = 0; k < order.size() && survivors.size() < size; ++k)
      survivors.push_back(distinct[front[order[k]]]);
  }
  return survivors;
}

const Choices& tournament(const RankedPopulation& population, Random& random) {
  const size_t a = random.below(population.members.size());
  const size_t b = random.below(population.members.size());
  const bool a_wins = population.front_rank[a] != population.front_rank[b]
                          ? population.front_rank[a] < population.front_rank[b]
                          : population.crowding[a] >= population.crowding[b];
  return population.members[a_wins ? a : b].choices;
}

class Breeder {
 public:
  Breeder(const SearchProblem& problem, const SearchOptions& options, Random& random)
      : options_per_block_(problem.options_per_block),
        crossover_rate_(options.crossover_rate),
        mutation_rate_(options.mutation_rate > 0 ? options.mutation_rate
                                                 : 1.0 / problem.options_per_block.size()),
        random_(random) {}

  Choices random_architecture() {
    Choices architecture(options_per_block_.size());
    for (size_t i = 0; i < architecture.size(); ++i)
      architecture[i] = static_cast<int>(random_.below(options_per_block_[i]));
    return architecture;
  }

  Choices child(const RankedPopulation& population) {
    Choices result = tournament(population, random_);
    if (random_.chance(crossover_rate_)) {
      const Choices& other = tournament(population, random_);
      for (size_t i = 0; i < result.size(); ++i) {
        if (random_.chance(0.5)) result[i] = other[i];
      }
    }
    for (size_t i = 0; i < result.size(); ++i) {
      if (options_per_block_[i] > 1 && random_.chance(mutation_rate_)) {
        const int shift =
            1 + static_cast<int>(random_.below(options_per_block_[i] - 1));  // a different choice
        result[i] = (result[i] + shift) % options_per_block_[i];
      }
    }
    return result;
  }

 private:
  std::vector<int> options_per_block_;
  double crossover_rate_;
  double mutation_rate_;
  Random& random_;
};

class Search {
 public:
  Search(const SearchProblem& problem, const SearchOptions& options)
      : problem_(problem),
        options_(options),
        random_(options.seed),
        breeder_(problem, options, random_),
        cache_(problem),
        space_size_(space_size(problem.options_per_block)),
        start_(Clock::now()) {}

  SearchResult run() {
    RankedPopulation population = rank(initial_population());
    report(0);
    int generation = 0;
    while (generation < options_.generations && !result_.stopped_by_time_budget && !exhausted()) {
      std::vector<ParetoPoint> pool = population.members;
      for (int k = 0; k < options_.population && !out_of_time(); ++k)
        pool.push_back(cache_.evaluate(new_child(population)));
      population = rank(select_survivors(pool, options_.population));
      report(++generation);
    }
    return finish(generation);
  }

 private:
  std::vector<ParetoPoint> initial_population() {
    std::vector<ParetoPoint> members;
    members.push_back(cache_.evaluate(Choices(problem_.options_per_block.size(), 0)));
    for (const Choices& seed : options_.initial_architectures) {
      if (!cache_.contains(seed) && !out_of_time()) members.push_back(cache_.evaluate(seed));
    }
    const int attempts = 20 * options_.population;
    for (int attempt = 0; attempt < attempts && members.size() < static_cast<size_t>(options_.population);
         ++attempt) {
      Choices architecture = breeder_.random_architecture();
      if (cache_.contains(architecture)) continue;
      if (out_of_time()) break;
      members.push_back(cache_.evaluate(architecture));
    }
    return members;
  }

  // A child, preferring one not evaluated yet (a few tries) so the budget goes to new architectures.
  Choices new_child(const RankedPopulation& population) {
    Choices child = breeder_.child(population);
    for (int attempt = 0; attempt < 10 && cache_.contains(child); ++attempt)
      child = breeder_.child(population);
    return child;
  }

  bool out_of_time() {
    if (options_.time_budget_seconds <= 0) return false;
    if (elapsed_seconds() >= options_.time_budget_seconds) result_.stopped_by_time_budget = true;
    return result_.stopped_by_time_budget;
  }

  bool exhausted() const { return static_cast<int64_t>(cache_.history().size()) >= space_size_; }

  double elapsed_seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

  void report(int generation) {
    if (!options_.progress) return;
    SearchProgress progress;
    progress.generation = generation;
    progress.generations = options_.generations;
    progress.evaluations = static_cast<int64_t>(cache_.history().size());
    if (auto fastest = fastest_feasible()) progress.fastest_feasible_latency = fastest->latency;
    progress.front_size = pareto_front(cache_.history()).size();
    progress.elapsed_seconds = elapsed_seconds();
    options_.progress(progress);
  }

  std::optional<ParetoPoint> fastest_feasible() const {
    std::optional<ParetoPoint> best;
    for (const ParetoPoint& point : cache_.history()) {
      if (point.violation > 0) continue;
      if (!best || point.latency < best->latency ||
          (point.latency == best->latency && point.accuracy > best->accuracy)) {
        best = point;
      }
    }
    return best;
  }

  SearchResult finish(int generations_run) {
    result_.front = pareto_front(cache_.history());
    result_.fastest_feasible = fastest_feasible();
    result_.history = cache_.history();
    result_.generations_run = generations_run;
    result_.space_exhausted = exhausted();
    return std::move(result_);
  }

  const SearchProblem& problem_;
  const SearchOptions& options_;
  Random random_;
  Breeder breeder_;
  EvaluationCache cache_;
  int64_t space_size_;
  Clock::time_point start_;
  SearchResult result_;
};

}  // namespace

SearchResult evolutionary_search(const SearchProblem& problem, const SearchOptions& options) {
  check_problem(problem, options);
  return Search(problem, options).run();
}

}  // namespace nacre
