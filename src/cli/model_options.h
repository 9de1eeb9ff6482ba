// Options every subcommand that reads a model shares: the model path and --input-shape.
#pragma once

#include <string>

#include "ir/graph.h"

namespace CLI {
class App;
}

namespace nacre::cli {

struct ModelOptions {
  std::string model_path;
  std::string input_shape;  // "1,3,32,32"; empty keeps the model's own
};

void add_model_options(CLI::App& command, ModelOptions& options);
Graph load_model_from_options(const ModelOptions& options);

}  // namespace nacre::cli
