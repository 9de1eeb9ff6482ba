// The measurement protocol: warm-up, then timed runs until the 95% interval of the median is within +-2% of
// it or a time/run cap is hit; A/B comparisons interleave the two models run by run.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "latency/statistics.h"
#include "latency/target.h"

namespace nacre {

struct MeasurementOptions {
  int warmup_runs = 5;                // fewer when they take more than a fifth of max_seconds (at least 1)
  double max_seconds = 10;            // time cap for the timed runs
  int64_t max_runs = 100000;          // run cap
  int64_t min_runs = 20;              // never stop before this many timed runs
  double relative_half_width = 0.02;  // stop when the median's 95% interval is within +-2%
};

struct LatencyStats {
  double median_ms = 0;
  double p10_ms = 0;
  double p90_ms = 0;
  std::optional<Interval> median_interval_ms;  // 95%, absent with too few runs
  int64_t runs = 0;
  bool converged = false;   // the interval reached the requested width
  std::string stop_reason;  // "converged", "time cap (10 s)" or "run cap (N runs)"
  double seconds = 0;       // wall time spent on timed runs
};

// Times `model` (its inputs already set) under the protocol.
LatencyStats measure_prepared(PreparedModel& model, const MeasurementOptions& options);

struct Comparison {
  LatencyStats a;
  LatencyStats b;
  RatioEstimate ratio;  // median(a) / median(b) with its 95% interval over paired runs
};

// Warm-up and timed runs alternate A B A B ..., so drift of a shared machine hits both; stops when both
// medians are precise or at the caps (counting the time of both).
Comparison compare_prepared(PreparedModel& a, PreparedModel& b, const MeasurementOptions& options);

// Statistics of a finished timing sequence (used for the stopping rule and for external commands' times).
LatencyStats latency_stats_from_times(const std::vector<double>& times_ms, double relative_half_width);

nlohmann::json to_json(const LatencyStats& stats);
LatencyStats latency_stats_from_json(const nlohmann::json& json);  // throws Error when keys are missing

}  // namespace nacre
