#include "pipeline/model_preprocessing.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "util/error.h"

namespace nacre {

namespace {

// Reads input.mean / input.std from MODEL.json beside MODEL.onnx; false when there is no such file.
bool read_sidecar(const std::string& model_path, std::vector<float>& mean, std::vector<float>& std,
                  std::string& sidecar_path) {
  std::filesystem::path path(model_path);
  path.replace_extension(".json");
  if (!std::filesystem::exists(path)) return false;
  sidecar_path = path.string();
  try {
    std::ifstream file(path);
    nlohmann::json json = nlohmann::json::parse(file);
    if (!json.contains("input") || !json["input"].contains("mean") || !json["input"].contains("std")) {
      return false;
    }
    mean = json["input"]["mean"].get<std::vector<float>>();
    std = json["input"]["std"].get<std::vector<float>>();
  } catch (const nlohmann::json::exception& error) {
    throw make_error(sidecar_path, ": cannot read input.mean/input.std: ", error.what());
  }
  return true;
}

}  // namespace

ModelPreprocessing preprocessing_for_model(const Graph& graph, const std::string& model_path,
                                           const std::vector<float>& mean, const std::vector<float>& std) {
  if (graph.inputs.empty()) throw make_error(model_path, ": the model has no inputs");
  const Value& input = graph.value(graph.inputs[0]);
  if (!input.shape || input.shape->size() != 4) {
    throw make_error(model_path, ": input '", input.name, "' has shape ",
                     input.shape ? to_string(*input.shape) : "unknown",
                     "; an image classifier takes [N, C, H, W] (set it with --input-shape)");
  }
  const Shape& shape = *input.shape;
  if (shape[1] <= 0 || shape[2] <= 0 || shape[3] <= 0) {
    throw make_error(model_path, ": input '", input.name, "' has symbolic size ", to_string(shape),
                     "; give the size with --input-shape, e.g. --input-shape 1,3,32,32");
  }
  ModelPreprocessing result;
  result.preprocessing.channels = shape[1];
  result.preprocessing.height = shape[2];
  result.preprocessing.width = shape[3];
  if (!mean.empty() || !std.empty()) {
    result.preprocessing.mean = mean;
    result.preprocessing.std = std;
    result.source = "--mean/--std";
    return result;
  }
  std::string sidecar;
  if (read_sidecar(model_path, result.preprocessing.mean, result.preprocessing.std, sidecar)) {
    result.source = sidecar;
  } else {
    result.source = "none (pixels scaled to [0,1]; pass --mean/--std if the model was trained normalised)";
  }
  return result;
}

}  // namespace nacre
