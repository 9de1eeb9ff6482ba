// Options every subcommand that measures on a target shares: --target, --target-command, --batch, --threads.
#pragma once

#include <memory>
#include <string>

#include "ir/graph.h"
#include "latency/measure_latency.h"
#include "latency/target_registry.h"

namespace CLI {
class App;
}

namespace nacre::cli {

struct TargetOptions {
  std::string target_name;  // empty: the first available target
  TargetConfig config;
};

void add_target_options(CLI::App& command, TargetOptions& target, LatencyRequest& request);
// --target-command alone means the cmd target.
std::unique_ptr<Target> target_from_options(const TargetOptions& target);
// The model with its batch dimension set to `batch` at import, so the shape chains of every block fold for
// it.
Graph load_model_at_batch(const std::string& path, const std::string& input_shape, int64_t batch);

}  // namespace nacre::cli
