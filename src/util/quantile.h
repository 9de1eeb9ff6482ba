// Quantiles of a sample: the latency protocol's summaries and the training layout trial share them.
#pragma once

#include <vector>

namespace nacre {

// The q-quantile (0 <= q <= 1) with linear interpolation between order statistics (NumPy's default).
// Throws Error on an empty sample.
double quantile(std::vector<double> samples, double q);
double median(std::vector<double> samples);

}  // namespace nacre
