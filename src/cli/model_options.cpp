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

}  // namespace nacre::cli
