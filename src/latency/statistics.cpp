#include "latency/statistics.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "util/error.h"

namespace nacre {

namespace {

// P(X <= k) for X ~ Binomial(n, 1/2), summed in log space so large n does not underflow.
double binomial_half_cdf(int64_t n, int64_t k) {
  if (k < 0) return 0;
  if (k >= n) return 1;
  double log_half_n = static_cast<double>(n) * std::log(0.5);
  double log_n_factorial = std::lgamma(static_cast<double>(n) + 1);
  double total = 0;
  for (int64_t i = 0; i <= k; ++i) {
    double log_choose = log_n_factorial - std::lgamma(static_cast<double>(i) + 1) -
                        std::lgamma(static_cast<double>(n - i) + 1);
    total += std::exp(log_choose + log_half_n);
  }
  return std::min(total, 1.0);
}

// The median by partial sorting (reorders `values`): the bootstrap computes thousands of them.
double median_in_place(std::vector<double>& values) {
  size_t middle = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + middle, values.end());
  double upper = values[middle];
  if (values.size() % 2 == 1) return upper;
  double lower = *std::max_element(values.begin(), values.begin() + middle);
  return (lower + upper) / 2;
}

}  // namespace

std::optional<Interval> median_confidence_interval(std::vector<double> samples, double confidence) {
  const int64_t n = static_cast<int64_t>(samples.size());
  const double tail = (1 - confidence) / 2;
  // Largest l (1-based) with P(X <= l-1) <= tail: then [x(l), x(n-l+1)] covers the median with
  // probability 1 - 2 P(X <= l-1) >= confidence. Start near the normal approximation and walk.
  int64_t l = std::max<int64_t>(
      1, static_cast<int64_t>(std::floor(n / 2.0 - 1.96 * std::sqrt(static_cast<double>(n)) / 2.0)) - 2);
  if (binomial_half_cdf(n, l - 1) > tail) {
    while (l > 1 && binomial_half_cdf(n, l - 1) > tail) --l;
    if (binomial_half_cdf(n, l - 1) > tail) return std::nullopt;
  } else {
    while (l + 1 <= n - l && binomial_half_cdf(n, l) <= tail) ++l;
  }
  if (l > n - l + 1) return std::nullopt;
  std::sort(samples.begin(), samples.end());
  return Interval{samples[l - 1], samples[n - l]};
}

bool median_is_precise(const std::vector<double>& samples, double relative_half_width, double confidence) {
  if (samples.empty()) return false;
  std::optional<Interval> interval = median_confidence_interval(samples, confidence);
  if (!interval) return false;
  double center = median(samples);
  return interval->low >= center * (1 - relative_half_width) &&
         interval->high <= center * (1 + relative_half_width);
}

SampleSummary summarize(const std::vector<double>& samples) {
  if (samples.empty()) throw Error("cannot summarise an empty timing sequence: no runs were timed");
  SampleSummary summary;
  summary.median = median(samples);
  summary.p10 = quantile(samples, 0.1);
  summary.p90 = quantile(samples, 0.9);
  summary.median_interval = median_confidence_interval(samples);
  summary.count = static_cast<int64_t>(samples.size());
  return summary;
}

RatioEstimate ratio_of_medians(const std::vector<double>& a, const std::vector<double>& b, int resamples,
                               uint64_t seed) {
  if (a.empty() || a.size() != b.size()) {
    throw make_error("ratio of medians needs equally many paired runs, got ", a.size(), " and ", b.size());
  }
  RatioEstimate estimate;
  estimate.ratio = median(a) / median(b);
  std::mt19937_64 generator(seed);
  std::uniform_int_distribution<size_t> pick(0, a.size() - 1);
  std::vector<double> ratios, resampled_a(a.size()), resampled_b(b.size());
  ratios.reserve(resamples);
  for (int r = 0; r < resamples; ++r) {
    for (size_t i = 0; i < a.size(); ++i) {
      size_t index = pick(generator);
      resampled_a[i] = a[index];
      resampled_b[i] = b[index];
    }
    ratios.push_back(median_in_place(resampled_a) / median_in_place(resampled_b));
  }
  estimate.interval = Interval{quantile(ratios, 0.025), quantile(ratios, 0.975)};
  return estimate;
}

}  // namespace nacre
