// Graphs made ready for training and back: BatchNormalization re-introduced after every Conv (so a
// BN-folded model trains with BN) and folded again at the end, so the result has the deployed form.
#pragma once

#include <set>
#include <string>

#include "ir/graph.h"

namespace nacre {

// Inserts a BatchNormalization after each Conv without one and starts it from the statistics of its input
// on `calibration_inputs` (float32 [N, ...] for the graph's first input): mean and var measured, scale
// sqrt(var + eps) and bias mean, so each new node is the identity in inference and close to it with batch
// statistics. Without calibration inputs (empty tensor) or for a graph with several inputs, the new nodes
// start as unfold_batchnorm leaves them. Returns the graph; `inserted` receives the new nodes' names.
Graph add_training_batchnorm(const Graph& graph, const Tensor& calibration_inputs,
                             std::set<std::string>* inserted = nullptr);

// The deployed form of a trained graph: every BatchNormalization after a Conv or Gemm folded into it.
Graph fold_training_batchnorm(Graph graph);

}  // namespace nacre
