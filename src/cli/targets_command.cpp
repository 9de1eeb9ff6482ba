// nacre targets: the runtimes nacre can measure latency on here, what they support, and how to get the
// others.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/json_output.h"
#include "ir/op_registry.h"
#include "latency/target_registry.h"

namespace nacre::cli {

namespace {

struct TargetsOptions {
  TargetConfig config;
  std::string json_path;
  bool verbose = false;
};

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : separator) + item;
  return text;
}

std::string describe_ops(const std::vector<std::string>& ops, bool verbose) {
  if (ops == supported_op_types() && !verbose) return "all " + std::to_string(ops.size()) + " nacre ops";
  return join(ops, " ");
}

void list_targets(const TargetsOptions& options) {
  nlohmann::json list = nlohmann::json::array();
  for (const std::unique_ptr<Target>& target : all_targets(options.config)) {
    TargetAvailability availability = target->availability();
    std::printf("%-12s %s\n", target->name().c_str(), availability.available ? "available" : "not available");
    std::printf("  %s\n", target->description().c_str());
    if (!availability.available) {
      std::printf("  why: %s\n  fix: %s\n", availability.reason.c_str(), availability.install_hint.c_str());
    }
    std::printf("  precisions: %s\n  ops: %s\n", join(target->supported_precisions(), ", ").c_str(),
                describe_ops(target->supported_op_types(), options.verbose).c_str());
    list.push_back({{"name", target->name()},
                    {"description", target->description()},
                    {"available", availability.available},
                    {"reason", availability.reason},
                    {"install_hint", availability.install_hint},
                    {"precisions", target->supported_precisions()},
                    {"ops", target->supported_op_types()}});
  }
  if (!options.json_path.empty()) write_json({{"targets", list}}, options.json_path);
}

}  // namespace

void add_targets_command(CLI::App& app) {
  auto options = std::make_shared<TargetsOptions>();
  CLI::App* command = app.add_subcommand(
      "targets", "List latency targets: which are available here, their ops and precisions");
  command->add_option("--target-command", options->config.command,
                      "The external command of the cmd target (see 'nacre latency --help')");
  command->add_option("--json", options->json_path, "Write the list as JSON ('-' for stdout)");
  command->add_flag("--verbose,-v", options->verbose, "List every supported op of every target");
  command->footer(
      "The first available target is the default of 'nacre latency'.\n"
      "Examples:\n"
      "  nacre targets\n"
      "  nacre targets --json targets.json\n"
      "  nacre targets --target-command ./bench_on_phone.sh");
  command->callback([options] { list_targets(*options); });
}

}  // namespace nacre::cli
