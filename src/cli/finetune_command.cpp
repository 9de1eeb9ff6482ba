// nacre finetune: trains any student model by knowledge distillation from a trained teacher on the user's
// data, with optimize's recipe: how the alternatives to nacre (uniform pruning, a standard efficient model)
// are trained for the same time in the benchmarks.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/json_output.h"
#include "cli/model_options.h"
#include "pipeline/train_student.h"
#include "util/parse.h"

namespace nacre::cli {

namespace {

struct FinetuneCommandOptions {
  TrainStudentOptions train;
  NormalisationOptions normalisation;
  std::string time_budget = "10m", json_path, memory_layout = "measured";
};

}  // namespace

void add_finetune_command(CLI::App& app) {
  auto options = std::make_shared<FinetuneCommandOptions>();
  TrainStudentOptions& t = options->train;
  CLI::App* command = app.add_subcommand(
      "finetune", "Train a student model by knowledge distillation from a trained model (the teacher)");
  command->add_option("student", t.student_path, "The student, an ONNX file (its starting weights)")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("--teacher", t.teacher_path, "The trained model, an ONNX file")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("--data", t.data_dir, "Data folder (IDX files or ROOT/{train,test}/<class>/ images)")
      ->required();
  command->add_option("--out", t.out_path, "The trained student, ONNX (never overwritten)")->required();
  command->add_option("--time-budget", options->time_budget, "Training time: 90s, 20m, 1h")
      ->capture_default_str();
  command->add_option("--max-steps", t.max_steps, "Stop after N steps of 64 examples if the time lasts");
  command->add_option("--learning-rate", t.learning_rate, "SGD rate at the start, cosine-decayed to 0")
      ->capture_default_str();
  command
      ->add_option("--teacher-weight", t.teacher_weight,
                   "Weight of the distillation term in the loss, 0 to 1 (the rest: the labels)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  command->add_option("--train-threads", t.threads, "Threads for training (default: all cores)");
  command
      ->add_option("--memory-layout", options->memory_layout,
                   "Layout of the image batches: measured (the faster of the two on the first steps), "
                   "contiguous or channels_last")
      ->check(CLI::IsMember({"measured", "contiguous", "channels_last"}))
      ->capture_default_str();
  add_normalisation_options(*command, options->normalisation, "the teacher's MODEL.json");
  command->add_option("--val-dir", t.val_dir, "Your own validation folder instead of the carved split");
  command->add_option("--seed", t.seed, "Seed of the data order and augmentation")->capture_default_str();
  command->add_option("--train-limit", t.train_limit, "Use at most N training examples");
  command->add_option("--val-limit", t.val_limit, "Use N validation examples (quick trials)");
  command->add_option("--json", options->json_path, "Write the accuracies and training figures as JSON");
  command->footer(
      "Same loss, schedule and augmentation as `nacre optimize` uses to fine-tune its architectures.\n"
      "Examples:\n"
      "  nacre space model.onnx --uniform-width 0.5 --export pruned/\n"
      "  nacre finetune pruned/arch_0.1.1.0.onnx --teacher model.onnx --data data/cifar10 --time-budget 20m "
      "\\\n"
      "      --out pruned_trained.onnx");
  command->callback([options] {
    TrainStudentOptions run = options->train;
    run.time_budget_seconds = parse_duration(options->time_budget, "--time-budget");
    run.memory_layout = memory_layout_named(options->memory_layout);
    parse_normalisation(options->normalisation, run.mean, run.std);
    TrainStudentResult result = train_student(run);
    std::printf("%s: validation top-1 %.2f%% after %.0f s (%lld steps%s); teacher %.2f%%\nwrote %s\n",
                run.student_path.c_str(), 100 * result.student_val_accuracy, result.seconds,
                static_cast<long long>(result.steps), result.diverged ? ", diverged: last good weights" : "",
                100 * result.teacher_val_accuracy, run.out_path.c_str());
    if (!options->json_path.empty()) {
      write_json({{"student", run.student_path},
                  {"teacher", run.teacher_path},
                  {"out", run.out_path},
                  {"val_accuracy", result.student_val_accuracy},
                  {"teacher_val_accuracy", result.teacher_val_accuracy},
                  {"seconds", result.seconds},
                  {"steps", result.steps},
                  {"diverged", result.diverged},
                  {"memory_layout", result.memory_layout},
                  {"learning_rate", run.learning_rate}},
                 options->json_path);
    }
  });
}

}  // namespace nacre::cli
