// Validating the latency predictor against reality: sample architectures with a seed, measure each end to end
// (materialised, then measure_latency), and predict each one with a correction fitted only on the other
// folds (k-fold cross-validation; 2 folds = fit on one half, predict the other, and back). Reports the share
// of predictions within +-10%, the mean absolute percentage error and Kendall's tau-b, with the raw pairs.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "latency/latency_predictor.h"
#include "latency/measure_latency.h"
#include "space/search_space.h"

namespace nacre {

// How sampled architectures are drawn.
enum class Sampling {
  // Each block's choice uniform among its measured candidates. With ten or more candidates a block, almost
  // every draw replaces almost every block, so the samples crowd into a narrow band of latency.
  kUniform,
  // Each architecture first draws the share of its blocks to keep (uniform in 0..1); each block then keeps
  // its original with that probability and otherwise takes one of its other candidates uniformly. The
  // samples range from near keep-everything to near all-replaced: the span a search walks through.
  kSpread,
};
Sampling parse_sampling(const std::string& name);  // "uniform" or "spread"; throws Error otherwise

// `count` distinct architectures, the same for the same seed; fewer when the space has fewer distinct
// architectures. Choice 0 of every block is keep (keep_everything).
std::vector<Architecture> sample_architectures(const LatencyPredictor& predictor, int count, uint64_t seed,
                                               Sampling sampling = Sampling::kUniform);

struct EndToEndProgress {
  int done = 0;
  int total = 0;
  const Architecture* architecture = nullptr;
  double measured_ms = 0;
};

// The median of each architecture, materialised and measured under `request`.
std::vector<double> measure_architectures(
    const SearchSpace& space, const std::vector<Architecture>& architectures, Target& target,
    const LatencyRequest& request, const std::function<void(const EndToEndProgress&)>& on_progress = {});

// How well two measurement passes over the same architectures agree: the ceiling of any predictor judged
// against one pass (a predictor cannot be more repeatable than the measurements it is judged by).
struct Repeatability {
  double within_10_percent = 0;  // share of second-pass medians within +-10% of the first
  double kendall_tau = 0;        // tau-b between the passes
};
Repeatability measurement_repeatability(const std::vector<double>& first_ms,
                                        const std::vector<double>& second_ms);

// The same, but each architecture timed interleaved with `reference` (A B A B ..., compare_latency): its
// latency is its ratio to the reference times the reference's median over all the comparisons, so the drift
// of a shared machine between one architecture's measurement and the next cancels out.
std::vector<double> measure_architectures_against(
    const SearchSpace& space, const std::vector<Architecture>& architectures, const Architecture& reference,
    Target& target, const LatencyRequest& request,
    const std::function<void(const EndToEndProgress&)>& on_progress = {});

struct ValidationPair {
  std::string architecture;  // Architecture::encode()
  int fold = 0;              // the fold it was held out in
  LatencyFeatures features;
  double measured_ms = 0;
  double predicted_ms = 0;        // by the correction fitted without its fold
  std::string correction_method;  // which model that fit chose (LatencyCorrection::method)
};

struct ValidationReport {
  int folds = 0;
  std::vector<ValidationPair> pairs;  // every architecture, each predicted while held out
  double within_10_percent = 0;       // share of |predicted - measured| <= 0.1 * measured
  double mape = 0;                    // mean |predicted - measured| / measured, as a fraction
  double kendall_tau = 0;             // tau-b between predicted and measured
  double kendall_tau_block_sum = 0;   // tau-b between the raw block sums and measured
};

// k-fold cross-validation of the correction over measured architectures (fold of i = i mod folds, so sample
// them in random order). Needs at least 2 folds and 2 architectures per fold.
ValidationReport cross_validate(const LatencyPredictor& predictor,
                                const std::vector<Architecture>& architectures,
                                const std::vector<double>& measured_ms, int folds);

nlohmann::json to_json(const ValidationReport& report);

}  // namespace nacre
