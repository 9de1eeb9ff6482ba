// nacre optimize: the main job; nacre report: (re)writes a run's HTML report.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/model_options.h"
#include "pipeline/optimize.h"
#include "util/parse.h"

namespace nacre::cli {

namespace {

struct OptimizeCommandOptions {
  OptimizeOptions optimize;
  NormalisationOptions normalisation;
  std::string time_budget = "60m";
  double tolerance_points = 0;
};

void print_summary(const nlohmann::json& summary, const std::string& out_dir) {
  const auto& baseline = summary["baseline"];
  const auto& result = summary["result"];
  std::printf("\n%-10s %12s %12s %14s\n", "", "val top-1", "test top-1", "latency (ms)");
  std::printf("%-10s %11.2f%% %11.2f%% %14.3f\n", "baseline", 100 * baseline["val_accuracy"].get<double>(),
              100 * baseline["test_accuracy"].get<double>(), baseline["latency_ms"].get<double>());
  std::printf("%-10s %11.2f%% %11.2f%% %14.3f\n", "result", 100 * result["val_accuracy"].get<double>(),
              100 * result["test_accuracy"].get<double>(), result["latency_ms"].get<double>());
  std::printf("speed-up %.2fx on %s (measured interleaved in this run, in %s); accuracy constraint %s\n",
              summary["speedup"].get<double>(), summary["target"].get<std::string>().c_str(),
              summary.value("latency_measured_in", "this process").c_str(),
              summary["constraint_met"].get<bool>() ? "met" : "NOT met");
  if (summary.contains("note")) std::printf("%s\n", summary["note"].get<std::string>().c_str());
  std::printf("model: %s/model.onnx\nsummary: %s/summary.json\nreport: %s/report.html\n", out_dir.c_str(),
              out_dir.c_str(), out_dir.c_str());
}

}  // namespace

void add_optimize_command(CLI::App& app) {
  auto options = std::make_shared<OptimizeCommandOptions>();
  OptimizeOptions& o = options->optimize;
  CLI::App* command = app.add_subcommand("optimize", "Build a faster model from a trained one, for a target");
  command->add_option("model", o.model_path, "The trained model, an ONNX file")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("--data", o.data_dir, "Data folder (IDX files or ROOT/{train,test}/<class>/ images)")
      ->required();
  command->add_option("--out", o.out_dir, "Run folder: results, model.onnx, summary.json, report.html")
      ->required();
  command->add_option("--target", o.target, "Where latency is measured (see `nacre targets`)")
      ->capture_default_str();
  command
      ->add_option("--tolerance", options->tolerance_points,
                   "Validation accuracy the result may lose, in percentage points")
      ->capture_default_str();
  command->add_option("--time-budget", options->time_budget, "Time for the whole run: 90s, 60m, 2h")
      ->capture_default_str();
  command->add_option("--batch", o.batch, "Batch size of the latency measurements")->capture_default_str();
  command->add_option("--threads", o.threads, "Threads of the latency measurements")->capture_default_str();
  command->add_option("--train-threads", o.train_threads, "Threads for training (default: all cores)");
  command
      ->add_option("--slots", o.fine_tune_slots,
                   "Architectures fine-tuned end to end (default: 1 under 10 minutes, 2 under 60, else 3)")
      ->check(CLI::PositiveNumber);
  add_normalisation_options(*command, options->normalisation, "MODEL.json");
  command->add_option("--val-dir", o.val_dir, "Your own validation folder instead of the carved split");
  command->add_option("--input-shape", o.input_shape,
                      "Shape of the model's input when symbolic, e.g. 1,3,32,32");
  command->add_option("--seed", o.seed, "Seed of every random choice")->capture_default_str();
  command->add_option("--train-limit", o.train_limit, "Use at most N training examples");
  command->add_option("--val-limit", o.val_limit, "Use N validation examples (quick trials)");
  command->add_option("--test-limit", o.test_limit, "Use N test examples (quick trials)");
  command->footer(
      "Rerunning the same command on an existing --out resumes the run; nothing of another run is "
      "overwritten.\n"
      "Examples:\n"
      "  nacre optimize resnet18_cifar10.onnx --data data/cifar10 --target torchscript --out runs/r1\n"
      "  nacre optimize model.onnx --data /usr/share/datasets/fashion-mnist --target ort --time-budget 20m "
      "\\\n"
      "      --tolerance 0.5 --out runs/fmnist");
  command->callback([options] {
    OptimizeOptions run = options->optimize;
    run.time_budget_seconds = parse_duration(options->time_budget, "--time-budget");
    run.tolerance = options->tolerance_points / 100.0;
    parse_normalisation(options->normalisation, run.mean, run.std);
    std::error_code unreadable;
    run.nacre_binary = std::filesystem::read_symlink("/proc/self/exe", unreadable).string();
    print_summary(optimize(run), run.out_dir);
  });
}

void add_report_command(CLI::App& app) {
  auto out_dir = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand("report", "(Re)write a run's HTML report from its summary.json");
  command->add_option("run", *out_dir, "The run folder given to `nacre optimize --out`")->required();
  command->footer("Example:\n  nacre report runs/r1");
  command->callback([out_dir] { std::printf("%s\n", write_report(*out_dir).c_str()); });
}

}  // namespace nacre::cli
