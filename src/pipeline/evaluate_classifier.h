// Accuracy of a classifier on a labelled dataset, run with nacre's executor.
#pragma once

#include <cstdint>
#include <functional>

#include "io/data/dataset.h"
#include "io/data/preprocess.h"
#include "ir/graph.h"

namespace nacre {

struct EvaluationOptions {
  int64_t batch_size = 64;  // used when the model's batch dimension is dynamic
  bool show_progress = true;
};

struct EvaluationResult {
  double top1 = 0;  // fractions in [0, 1]
  double top5 = 0;
  int64_t examples = 0;
  double seconds = 0;
};

// The graph's first input is the image batch [N, C, H, W]; its first output the scores [N, K].
// Throws Error when the data does not fit the model (channels, classes, output shape).
EvaluationResult evaluate_classifier(const Graph& graph, const LabeledImages& data,
                                     const Preprocessing& preprocessing,
                                     const EvaluationOptions& options = {});

// Scores [rows, K] of one preprocessed batch [rows, C, H, W].
using ScoreBatch = std::function<Tensor(const Tensor& batch)>;

// The same with the scores computed by `score` (e.g. a target's runtime running `graph`) in batches of
// `fixed_batch` rows, the last one zero-padded (0: options.batch_size rows, the last one shorter).
EvaluationResult evaluate_classifier(const Graph& graph, const LabeledImages& data,
                                     const Preprocessing& preprocessing, const EvaluationOptions& options,
                                     int64_t fixed_batch, const ScoreBatch& score);

}  // namespace nacre
