#include "cli/target_options.h"

#include <CLI/CLI.hpp>

#include "cli/model_options.h"
#include "io/onnx/load_model.h"

namespace nacre::cli {

void add_target_options(CLI::App& command, TargetOptions& target, LatencyRequest& request) {
  command.add_option(
      "--target,-t", target.target_name,
      "torchscript, ort, opencv, cmd:COMMAND ... ('nacre targets'); default: the first available");
  command.add_option("--target-command", target.config.command,
                     "External command for the cmd target (same as --target cmd:COMMAND)");
  command.add_option("--batch", request.batch, "Batch size")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  command.add_option("--threads", request.threads, "Intra-op threads of the target")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
}

std::unique_ptr<Target> target_from_options(const TargetOptions& target) {
  std::string name =
      target.target_name.empty() && !target.config.command.empty() ? "cmd" : target.target_name;
  return name.empty() ? default_target(target.config) : find_target(name, target.config);
}

Graph load_model_at_batch(const std::string& path, const std::string& input_shape, int64_t batch) {
  Graph graph = load_model_from_options(ModelOptions{path, input_shape});
  if (graph.inputs.empty()) return graph;
  const Value& input = graph.value(graph.inputs[0]);
  if (!input.shape || input.shape->empty() || (*input.shape)[0] == batch) return graph;
  ImportOptions options;
  options.input_shape = *input.shape;
  (*options.input_shape)[0] = batch;
  return load_model(path, options);
}

}  // namespace nacre::cli
