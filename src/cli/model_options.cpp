#include "cli/model_options.h"

#include <CLI/CLI.hpp>

#include "io/onnx/load_model.h"
#include "util/parse.h"

namespace nacre::cli {

void add_model_options(CLI::App& command, ModelOptions& options) {
  command.add_option("model", options.model_path, "The model, an ONNX file")->required();
  command.add_option(
      "--input-shape", options.input_shape,
      "Shape of the model's first input, for models with symbolic dimensions, e.g. 1,3,48,192");
}

Graph load_model_from_options(const ModelOptions& options) {
  ImportOptions import_options;
  if (!options.input_shape.empty())
    import_options.input_shape = parse_int_list(options.input_shape, "--input-shape");
  return load_model(options.model_path, import_options);
}

void add_normalisation_options(CLI::App& command, NormalisationOptions& options,
                               const std::string& default_source) {
  command.add_option(
      "--mean", options.mean,
      "Per-channel mean after scaling to [0,1], e.g. 0.4914,0.4822,0.4465 (default: " + default_source + ")");
  command.add_option(
      "--std", options.std,
      "Per-channel standard deviation, e.g. 0.247,0.2435,0.2616 (default: " + default_source + ")");
}

void parse_normalisation(const NormalisationOptions& options, std::vector<float>& mean,
                         std::vector<float>& std) {
  if (!options.mean.empty()) mean = parse_float_list(options.mean, "--mean");
  if (!options.std.empty()) std = parse_float_list(options.std, "--std");
}

}  // namespace nacre::cli
