// Options every subcommand that reads a model shares: the model path and --input-shape; and --mean/--std,
// the normalisation of the commands that read data.
#pragma once

#include <string>
#include <vector>

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

struct NormalisationOptions {
  std::string mean, std;  // "0.4914,0.4822,0.4465"; empty: from MODEL.json
};

// `default_source` says where they come from when not given, e.g. "MODEL.json".
void add_normalisation_options(CLI::App& command, NormalisationOptions& options,
                               const std::string& default_source);
// The parsed lists; each stays empty when not given.
void parse_normalisation(const NormalisationOptions& options, std::vector<float>& mean,
                         std::vector<float>& std);

}  // namespace nacre::cli
