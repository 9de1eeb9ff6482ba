// One function per subcommand: each adds itself to the app and sets the callback that does the work.
#pragma once

namespace CLI {
class App;
}

namespace nacre::cli {

void add_inspect_command(CLI::App& app);
void add_run_command(CLI::App& app);
void add_evaluate_command(CLI::App& app);
void add_targets_command(CLI::App& app);
void add_latency_command(CLI::App& app);
void add_latency_model_command(CLI::App& app);
void add_optimize_command(CLI::App& app);
void add_space_command(CLI::App& app);
void add_report_command(CLI::App& app);
void add_finetune_command(CLI::App& app);
void add_quantize_command(CLI::App& app);

}  // namespace nacre::cli
