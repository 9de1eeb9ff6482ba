// The one list of targets nacre knows, and lookup by name.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "latency/target.h"

namespace nacre {

// Settings of the targets that talk to programs outside nacre.
struct TargetConfig {
  std::string command;      // cmd: the external command line (see README, "The cmd target")
  std::string node_binary;  // ort: Node.js; default $NACRE_NODE, else "node" from PATH
  std::string ort_runner;   // ort: tools/ort_runner/ort_runner.js; default $NACRE_ORT_RUNNER, else found
};

// Every target, available here or not, in the order `nacre targets` lists them (the first available one is
// the default).
std::vector<std::unique_ptr<Target>> all_targets(const TargetConfig& config = {});

// "ort", "opencv", "cmd", or "cmd:COMMAND" (which sets config.command). Throws Error listing the known names.
std::unique_ptr<Target> find_target(const std::string& name, TargetConfig config = {});

// The first available target in all_targets() order; throws Error listing why none is when none is.
std::unique_ptr<Target> default_target(const TargetConfig& config = {});

}  // namespace nacre
