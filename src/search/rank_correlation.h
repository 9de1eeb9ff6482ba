// Rank correlations that handle ties: Kendall's tau-b and Spearman's rho (Pearson on average ranks). Used to
// validate predictors by how well they order architectures, which is all the search needs from them.
#pragma once

#include <vector>

namespace nacre {

// Ranks 1..n of `values`; tied values share the average of the ranks they span (1, 2.5, 2.5, 4).
std::vector<double> average_ranks(const std::vector<double>& values);

// Kendall's tau-b: (concordant - discordant) / sqrt((n0 - ties_x) * (n0 - ties_y)) over all n0 pairs.
// NaN when either sequence is constant (no order to compare). Throws Error when the sizes differ or n < 2.
double kendall_tau_b(const std::vector<double>& x, const std::vector<double>& y);

// Spearman's rho: Pearson correlation of the average ranks. NaN when either sequence is constant.
// Throws Error when the sizes differ or n < 2.
double spearman_rho(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace nacre
