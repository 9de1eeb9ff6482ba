// Two models timed interleaved on the run's target, at the run's batch size and threads: every latency the
// fine-tuning stage compares (a slot's verification, the brief fine-tunes, a fine-tuned architecture's single
// changes) is measured this way.
#pragma once

#include "ir/graph.h"
#include "latency/measure_latency.h"
#include "pipeline/optimize_context.h"

namespace nacre {

// `a`'s and `b`'s medians on the run's target, timed interleaved for at most `max_seconds`.
LatencyComparison compare_on_target(OptimizeContext& context, const Graph& a, const Graph& b,
                                    double max_seconds);

// `model` against the baseline (compare_on_target).
LatencyComparison against_baseline(OptimizeContext& context, const Graph& model, double max_seconds);

}  // namespace nacre
