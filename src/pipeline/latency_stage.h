// Stage: the latency model of the space on the target (DESIGN step 6): every candidate measured in place,
// swapped into keep-everything and timed against it (the block latency table, OUT/latency_table.json,
// resumable), and the predictor's correction fitted on end-to-end measurements of sampled architectures.
#pragma once

#include "latency/latency_predictor.h"
#include "pipeline/optimize_context.h"

namespace nacre {

struct SpaceLatencyModel {
  LatencyPredictor predictor;
  double baseline_ms = 0;  // the keep-everything architecture measured end to end

  double block_ms(size_t block, size_t candidate) const { return predictor.candidate_ms[block][candidate]; }
  // Architectures using a candidate the target could not run get a prohibitive latency.
  double predict(const Architecture& architecture) const;
};

SpaceLatencyModel build_latency_model(OptimizeContext& context);

}  // namespace nacre
