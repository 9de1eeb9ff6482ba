// Constructors of the targets, one per file; target_registry.cpp is their only user.
#pragma once

#include <memory>
#include <string>

#include "latency/target.h"

namespace nacre {

std::unique_ptr<Target> make_torchscript_target();
std::unique_ptr<Target> make_ort_target(const std::string& node_binary, const std::string& runner_script);
std::unique_ptr<Target> make_opencv_target();
std::unique_ptr<Target> make_command_target(const std::string& command);

}  // namespace nacre
