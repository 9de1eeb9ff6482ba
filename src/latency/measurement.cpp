#include "latency/measurement.h"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>

#include "util/error.h"
#include "util/seconds_since.h"

namespace nacre {

namespace {

using Clock = std::chrono::steady_clock;

// The interval is recomputed every few percent of runs, not every run, so long sequences stay cheap.
bool due_for_check(int64_t runs, int64_t& next_check) {
  if (runs < next_check) return false;
  next_check = runs + std::max<int64_t>(1, runs / 20);
  return true;
}

std::string time_cap_reason(double max_seconds) {
  std::ostringstream out;
  out << "time cap (" << max_seconds << " s)";
  return out.str();
}

void warm_up(const std::vector<PreparedModel*>& models, const MeasurementOptions& options) {
  Clock::time_point start = Clock::now();
  for (int i = 0; i < std::max(1, options.warmup_runs); ++i) {
    for (PreparedModel* model : models) model->warm_up(1);
    if (seconds_since(start) > options.max_seconds / 5) break;
  }
}

void finish(LatencyStats& stats, bool converged, const std::string& reason, double seconds) {
  stats.converged = converged;
  stats.stop_reason = reason;
  stats.seconds = seconds;
}

}  // namespace

LatencyStats latency_stats_from_times(const std::vector<double>& times_ms, double relative_half_width) {
  SampleSummary summary = summarize(times_ms);
  LatencyStats stats;
  stats.median_ms = summary.median;
  stats.p10_ms = summary.p10;
  stats.p90_ms = summary.p90;
  stats.median_interval_ms = summary.median_interval;
  stats.runs = summary.count;
  stats.converged = summary.median_interval &&
                    summary.median_interval->low >= summary.median * (1 - relative_half_width) &&
                    summary.median_interval->high <= summary.median * (1 + relative_half_width);
  return stats;
}

LatencyStats measure_prepared(PreparedModel& model, const MeasurementOptions& options) {
  warm_up({&model}, options);
  std::vector<double> times;
  int64_t next_check = options.min_runs;
  Clock::time_point start = Clock::now();
  while (true) {
    std::vector<double> step = model.time_runs(1);
    times.insert(times.end(), step.begin(), step.end());
    int64_t runs = static_cast<int64_t>(times.size());
    bool cap_time = seconds_since(start) >= options.max_seconds;
    bool cap_runs = runs >= options.max_runs;
    if ((due_for_check(runs, next_check) || cap_time || cap_runs) && runs >= options.min_runs &&
        median_is_precise(times, options.relative_half_width)) {
      LatencyStats stats = latency_stats_from_times(times, options.relative_half_width);
      finish(stats, true, "converged", seconds_since(start));
      return stats;
    }
    if (cap_time || cap_runs) {
      LatencyStats stats = latency_stats_from_times(times, options.relative_half_width);
      finish(stats, false,
             cap_runs ? "run cap (" + std::to_string(options.max_runs) + " runs)"
                      : time_cap_reason(options.max_seconds),
             seconds_since(start));
      return stats;
    }
  }
}

Comparison compare_prepared(PreparedModel& a, PreparedModel& b, const MeasurementOptions& options) {
  warm_up({&a, &b}, options);
  std::vector<double> times_a, times_b;
  int64_t next_check = options.min_runs;
  Clock::time_point start = Clock::now();
  bool converged = false, cap_time = false, cap_runs = false;
  while (!converged && !cap_time && !cap_runs) {
    // One run of each per round; a self-measuring target's several times are paired by their median.
    std::vector<double> step_a = a.time_runs(1);
    std::vector<double> step_b = b.time_runs(1);
    times_a.push_back(step_a.size() == 1 ? step_a[0] : median(step_a));
    times_b.push_back(step_b.size() == 1 ? step_b[0] : median(step_b));
    int64_t rounds = static_cast<int64_t>(times_a.size());
    cap_time = seconds_since(start) >= options.max_seconds;
    cap_runs = rounds >= options.max_runs;
    converged = (due_for_check(rounds, next_check) || cap_time || cap_runs) && rounds >= options.min_runs &&
                median_is_precise(times_a, options.relative_half_width) &&
                median_is_precise(times_b, options.relative_half_width);
  }
  std::string reason = converged  ? "converged"
                       : cap_runs ? "run cap (" + std::to_string(options.max_runs) + " rounds)"
                                  : time_cap_reason(options.max_seconds);
  Comparison comparison;
  comparison.a = latency_stats_from_times(times_a, options.relative_half_width);
  comparison.b = latency_stats_from_times(times_b, options.relative_half_width);
  finish(comparison.a, comparison.a.converged, reason, seconds_since(start));
  finish(comparison.b, comparison.b.converged, reason, seconds_since(start));
  comparison.ratio = ratio_of_medians(times_a, times_b);
  return comparison;
}

nlohmann::json to_json(const LatencyStats& stats) {
  nlohmann::json json = {{"median_ms", stats.median_ms}, {"p10_ms", stats.p10_ms},
                         {"p90_ms", stats.p90_ms},       {"runs", stats.runs},
                         {"converged", stats.converged}, {"stop_reason", stats.stop_reason},
                         {"seconds", stats.seconds}};
  if (stats.median_interval_ms) {
    json["median_ci95_ms"] = {stats.median_interval_ms->low, stats.median_interval_ms->high};
  }
  return json;
}

LatencyStats latency_stats_from_json(const nlohmann::json& json) {
  try {
    LatencyStats stats;
    stats.median_ms = json.at("median_ms").get<double>();
    stats.p10_ms = json.at("p10_ms").get<double>();
    stats.p90_ms = json.at("p90_ms").get<double>();
    stats.runs = json.at("runs").get<int64_t>();
    stats.converged = json.at("converged").get<bool>();
    stats.stop_reason = json.value("stop_reason", "");
    stats.seconds = json.value("seconds", 0.0);
    if (json.contains("median_ci95_ms")) {
      stats.median_interval_ms =
          Interval{json["median_ci95_ms"].at(0).get<double>(), json["median_ci95_ms"].at(1).get<double>()};
    }
    return stats;
  } catch (const nlohmann::json::exception& error) {
    throw make_error("latency record lacks a field: ", error.what());
  }
}

}  // namespace nacre
