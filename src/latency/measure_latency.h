// Measuring any graph (a whole model, or one block with its own input shape) on a target, the one way: batch
// applied, outputs checked against the executor, then timed by the protocol; optionally cached.
#pragma once

#include <cstdint>
#include <string>

#include "ir/graph.h"
#include "latency/latency_cache.h"
#include "latency/measurement.h"
#include "latency/output_check.h"
#include "latency/target.h"

namespace nacre {

struct LatencyRequest {
  int64_t batch = 1;
  int threads = 1;
  MeasurementOptions protocol;
  OutputTolerance tolerance;
  uint64_t input_seed = 1;
};

struct LatencyMeasurement {
  std::string target;
  int64_t batch = 1;
  int threads = 1;
  LatencyStats stats;
  bool from_cache = false;
  bool outputs_checked = false;  // false for targets that cannot return outputs (cmd) and for cache hits
};

// Throws Error when the target is unavailable (with its install hint), lacks an op, or computes wrong
// outputs.
LatencyMeasurement measure_latency(const Graph& graph, Target& target, const LatencyRequest& request,
                                   const LatencyCache* cache = nullptr);

struct LatencyComparison {
  LatencyMeasurement a;
  LatencyMeasurement b;
  RatioEstimate ratio;  // a over b
};

// Both graphs prepared and checked first, then timed interleaved (never cached: a ratio comes from one
// session).
LatencyComparison compare_latency(const Graph& a, const Graph& b, Target& target,
                                  const LatencyRequest& request);

// Throws Error saying why the target cannot be used here and how to install it.
void require_available(const Target& target);

}  // namespace nacre
