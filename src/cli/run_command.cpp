// nacre run: executes a model on NumPy arrays and writes its outputs as NumPy arrays.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "cli/model_options.h"
#include "exec/inference_session.h"
#include "io/data/npy.h"
#include "util/error.h"

namespace nacre::cli {

namespace {

struct RunOptions {
  ModelOptions model;
  std::vector<std::string> input_paths;
  std::string output_path;
  std::string output_dir;
  int threads = 0;
};

// Checks an array against the graph input it feeds: dtype, rank and every static dimension.
void check_input_fits(const Graph& graph, size_t index, const Tensor& tensor, const std::string& path) {
  const Value& input = graph.value(graph.inputs[index]);
  bool fits = tensor.dtype() == input.dtype;
  if (fits && input.shape) {
    fits = input.shape->size() == tensor.shape().size();
    for (size_t d = 0; fits && d < input.shape->size(); ++d) {
      fits = (*input.shape)[d] < 0 || (*input.shape)[d] == tensor.shape()[d];
    }
  }
  if (!fits) {
    throw make_error(path, " holds ", to_string(tensor.dtype()), to_string(tensor.shape()), " but input '",
                     input.name, "' takes ", to_string(input.dtype),
                     input.shape ? to_string(*input.shape) : "");
  }
}

std::string file_name_for(const std::string& value_name) {
  std::string name = value_name;
  for (char& c : name) {
    if (c == '/' || c == '\\' || c == ':') c = '_';
  }
  return name + ".npy";
}

void run_model(const RunOptions& options) {
  Graph graph = load_model_from_options(options.model);
  if (options.input_paths.size() != graph.inputs.size()) {
    throw make_error("the model takes ", graph.inputs.size(), " input(s), ", options.input_paths.size(),
                     " --input given (one .npy per input, in order)");
  }
  std::vector<Tensor> inputs;
  for (size_t i = 0; i < options.input_paths.size(); ++i) {
    inputs.push_back(read_npy(options.input_paths[i]));
    check_input_fits(graph, i, inputs.back(), options.input_paths[i]);
  }
  set_compute_threads(options.threads);
  InferenceSession session(graph);
  std::vector<Tensor> outputs = session.run(inputs);
  if (!options.output_path.empty()) {
    write_npy(options.output_path, outputs[0]);
    std::cout << graph.value(graph.outputs[0]).name << " " << to_string(outputs[0].shape()) << " -> "
              << options.output_path << "\n";
  }
  if (!options.output_dir.empty()) {
    std::filesystem::create_directories(options.output_dir);
    for (size_t i = 0; i < outputs.size(); ++i) {
      std::string path =
          (std::filesystem::path(options.output_dir) / file_name_for(graph.value(graph.outputs[i]).name))
              .string();
      write_npy(path, outputs[i]);
      std::cout << graph.value(graph.outputs[i]).name << " " << to_string(outputs[i].shape()) << " -> "
                << path << "\n";
    }
  }
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* command = app.add_subcommand("run", "Run a model on NumPy arrays (.npy) and write its outputs");
  add_model_options(*command, options->model);
  command
      ->add_option("--input,-i", options->input_paths, "An input array (.npy); repeat for each model input")
      ->required()
      ->check(CLI::ExistingFile);
  auto* output =
      command->add_option("--output,-o", options->output_path, "Write the first output here (.npy)");
  auto* output_dir = command->add_option("--output-dir", options->output_dir,
                                         "Write every output into this folder as OUTPUT_NAME.npy");
  output->excludes(output_dir);
  command->add_option("--threads", options->threads, "Compute threads (default: LibTorch's choice)");
  command->footer(
      "Examples:\n"
      "  nacre run model.onnx --input x.npy --output y.npy\n"
      "  nacre run detector.onnx --input image.npy --output-dir outputs/");
  command->callback([options] {
    if (options->output_path.empty() && options->output_dir.empty()) {
      throw Error("give --output FILE or --output-dir DIR for the results");
    }
    run_model(*options);
  });
}

}  // namespace nacre::cli
