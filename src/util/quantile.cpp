#include "util/quantile.h"

#include <algorithm>
#include <cmath>

#include "util/error.h"

namespace nacre {

double quantile(std::vector<double> samples, double q) {
  if (samples.empty()) throw Error("quantile of an empty sample: no runs were timed");
  std::sort(samples.begin(), samples.end());
  double position = std::clamp(q, 0.0, 1.0) * static_cast<double>(samples.size() - 1);
  size_t below = static_cast<size_t>(std::floor(position));
  size_t above = std::min(below + 1, samples.size() - 1);
  double fraction = position - static_cast<double>(below);
  return samples[below] + fraction * (samples[above] - samples[below]);
}

double median(std::vector<double> samples) { return quantile(std::move(samples), 0.5); }

}  // namespace nacre
