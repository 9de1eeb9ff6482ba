#include "latency/target_registry.h"

#include "latency/targets.h"
#include "util/error.h"

namespace nacre {

std::vector<std::unique_ptr<Target>> all_targets(const TargetConfig& config) {
  std::vector<std::unique_ptr<Target>> targets;
  targets.push_back(make_torchscript_target());  // first: the default
  targets.push_back(make_ort_target(config.node_binary, config.ort_runner));
  targets.push_back(make_opencv_target());
  targets.push_back(make_command_target(config.command));
  return targets;
}

std::unique_ptr<Target> find_target(const std::string& name, TargetConfig config) {
  std::string wanted = name;
  if (name.rfind("cmd:", 0) == 0) {
    config.command = name.substr(4);
    wanted = "cmd";
  }
  std::string known;
  for (std::unique_ptr<Target>& target : all_targets(config)) {
    if (target->name() == wanted) return std::move(target);
    known += (known.empty() ? "" : ", ") + target->name();
  }
  throw make_error("unknown target '", name, "'; known targets: ", known,
                   " (or cmd:COMMAND); 'nacre targets' shows which are available here");
}

std::unique_ptr<Target> default_target(const TargetConfig& config) {
  std::string reasons;
  for (std::unique_ptr<Target>& target : all_targets(config)) {
    TargetAvailability availability = target->availability();
    if (availability.available) return std::move(target);
    reasons += "\n  " + target->name() + ": " + availability.reason + ". " + availability.install_hint;
  }
  throw make_error("no latency target is available here:", reasons);
}

}  // namespace nacre
