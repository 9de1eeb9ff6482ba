// The preprocessing a model expects: its input size from the graph, mean/std from the user, or else from
// the JSON that describes the model (MODEL.json beside MODEL.onnx, with input.mean and input.std, as the
// baselines in ../shared have), or else none (scale to [0,1] only).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "io/data/preprocess.h"
#include "ir/graph.h"

namespace nacre {

struct ModelPreprocessing {
  Preprocessing preprocessing;
  std::string source;  // where mean/std came from, for the user: "--mean/--std", "model.json", "none"
};

ModelPreprocessing preprocessing_for_model(const Graph& graph, const std::string& model_path,
                                           const std::vector<float>& mean, const std::vector<float>& std);

}  // namespace nacre
