#include "pipeline/compare_on_target.h"

namespace nacre {

LatencyComparison compare_on_target(OptimizeContext& context, const Graph& a, const Graph& b,
                                    double max_seconds) {
  LatencyRequest request;
  request.batch = context.options.batch;
  request.threads = context.options.threads;
  request.protocol.max_seconds = max_seconds;
  return compare_latency(a, b, *context.target, request);
}

LatencyComparison against_baseline(OptimizeContext& context, const Graph& model, double max_seconds) {
  return compare_on_target(context, model, context.model, max_seconds);
}

}  // namespace nacre
