// Distribution-free statistics of timing samples: quantiles, the confidence interval of the median, and the
// ratio of two medians from paired (interleaved) runs.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "util/quantile.h"  // quantile, median

namespace nacre {

struct Interval {
  double low = 0;
  double high = 0;
};

// The order-statistic interval [x(l), x(n-l+1)] that holds the true median with at least `confidence`
// probability for any continuous distribution (binomial(n, 1/2) tails). Absent when n is too small for it
// (n < 6 at 95%).
std::optional<Interval> median_confidence_interval(std::vector<double> samples, double confidence = 0.95);

// True when the median's interval lies within median * (1 +- relative_half_width).
bool median_is_precise(const std::vector<double>& samples, double relative_half_width,
                       double confidence = 0.95);

// Summary of one timing sequence, in the samples' unit (milliseconds in nacre).
struct SampleSummary {
  double median = 0;
  double p10 = 0;
  double p90 = 0;
  std::optional<Interval> median_interval;  // 95%
  int64_t count = 0;
};
SampleSummary summarize(const std::vector<double>& samples);

// median(a) / median(b) and a 95% percentile-bootstrap interval that resamples the pairs (a[i], b[i])
// together, so drift shared by both runs of a pair cancels. Deterministic: the resampling uses a fixed seed.
struct RatioEstimate {
  double ratio = 0;
  Interval interval;
};
RatioEstimate ratio_of_medians(const std::vector<double>& a, const std::vector<double>& b,
                               int resamples = 2000, uint64_t seed = 20240601);

}  // namespace nacre
