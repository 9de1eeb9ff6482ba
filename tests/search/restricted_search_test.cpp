#include "search/restricted_search.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "util/error.h"

namespace nacre {
namespace {

// Three blocks of four options; option o of any block costs 10 - 2o of latency and o of accuracy points,
// except option 3, which is both the fastest and lossless: a search that may use it takes it everywhere.
SearchProblem problem(int options = 4) {
  SearchProblem problem;
  problem.options_per_block.assign(3, options);
  problem.latency = [](const Choices& choices) {
    double sum = 0;
    for (int c : choices) sum += 10 - 2 * c - (c == 3 ? 5 : 0);
    return sum;
  };
  problem.accuracy = [](const Choices& choices) {
    double sum = 1.0;
    for (int c : choices) sum -= c == 3 ? 0.0 : 0.01 * c;
    return sum;
  };
  problem.min_accuracy = 0;
  return problem;
}

SearchOptions options() {
  SearchOptions options;
  options.population = 16;
  options.generations = 20;
  options.seed = 7;
  return options;
}

bool uses(const std::vector<ParetoPoint>& points, int option) {
  return std::any_of(points.begin(), points.end(), [option](const ParetoPoint& p) {
    return std::find(p.choices.begin(), p.choices.end(), option) != p.choices.end();
  });
}

TEST(RestrictedSearch, AllOptionsListsEveryIndex) {
  EXPECT_EQ(all_options({1, 3}), (AllowedOptions{{0}, {0, 1, 2}}));
}

TEST(RestrictedSearch, WithEveryOptionAllowedMatchesThePlainSearch) {
  SearchResult plain = evolutionary_search(problem(), options());
  SearchResult restricted = restricted_search(problem(), all_options({4, 4, 4}), options());
  ASSERT_EQ(plain.front.size(), restricted.front.size());
  for (size_t i = 0; i < plain.front.size(); ++i)
    EXPECT_EQ(plain.front[i].choices, restricted.front[i].choices);
  EXPECT_EQ(plain.front.front().choices, (Choices{3, 3, 3}));
}

TEST(RestrictedSearch, NeverUsesALeftOutOptionAndMatchesASpaceWithoutIt) {
  SearchResult restricted = restricted_search(problem(), AllowedOptions(3, {0, 1, 2}), options());
  EXPECT_FALSE(uses(restricted.front, 3));
  EXPECT_FALSE(uses(restricted.history, 3));
  SearchResult smaller = evolutionary_search(problem(3), options());
  ASSERT_EQ(smaller.front.size(), restricted.front.size());
  for (size_t i = 0; i < smaller.front.size(); ++i) {
    EXPECT_EQ(smaller.front[i].choices, restricted.front[i].choices);
    EXPECT_DOUBLE_EQ(smaller.front[i].latency, restricted.front[i].latency);
  }
  ASSERT_TRUE(restricted.fastest_feasible.has_value());
  EXPECT_EQ(restricted.fastest_feasible->choices, (Choices{2, 2, 2}));
}

TEST(RestrictedSearch, ResultsAreInFullSpaceIndicesWhateverTheOrderGiven) {
  // Only options 0 and 3 allowed, listed out of order: the search must still seed with keep-everything and
  // report option 3 as 3, not as its position in the list.
  SearchResult restricted = restricted_search(problem(), AllowedOptions(3, {3, 0}), options());
  EXPECT_EQ(restricted.front.front().choices, (Choices{3, 3, 3}));
  EXPECT_EQ(restricted.history.front().choices, (Choices{0, 0, 0}));
  EXPECT_FALSE(uses(restricted.history, 1));
  EXPECT_FALSE(uses(restricted.history, 2));
}

TEST(RestrictedSearch, SeedsOutsideTheAllowedOptionsAreLeftOut) {
  SearchOptions seeded = options();
  seeded.initial_architectures = {{1, 1, 1}, {3, 3, 3}};
  SearchResult restricted = restricted_search(problem(), AllowedOptions(3, {0, 1}), seeded);
  EXPECT_FALSE(uses(restricted.history, 3));
  EXPECT_NE(std::find_if(restricted.history.begin(), restricted.history.end(),
                         [](const ParetoPoint& p) {
                           return p.choices == Choices{1, 1, 1};
                         }),
            restricted.history.end());
}

TEST(RestrictedSearch, RejectsAllowedOptionsThatDoNotFitTheProblem) {
  EXPECT_THROW(restricted_search(problem(), AllowedOptions(2, {0, 1}), options()), Error);
  EXPECT_THROW(restricted_search(problem(), AllowedOptions(3, {1, 2}), options()), Error);
  EXPECT_THROW(restricted_search(problem(), AllowedOptions(3, {0, 4}), options()), Error);
}

}  // namespace
}  // namespace nacre
