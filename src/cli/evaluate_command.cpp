// nacre evaluate: top-1 / top-5 accuracy of a classifier on a split of the user's data, computed by nacre's
// executor or, with --target, by a target's runtime (what the deployed model scores).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/json_output.h"
#include "cli/model_options.h"
#include "exec/inference_session.h"
#include "latency/target_registry.h"
#include "pipeline/evaluate_classifier.h"
#include "pipeline/evaluate_on_target.h"
#include "pipeline/model_preprocessing.h"
#include "util/parse.h"
#include "util/progress.h"

namespace nacre::cli {

namespace {

struct EvaluateOptions {
  ModelOptions model;
  std::string data_dir;
  std::string split = "val";
  std::string val_dir;
  NormalisationOptions normalisation;
  int64_t limit = -1;
  int64_t batch_size = 64;
  int threads = 0;
  std::string target;  // empty: nacre's executor
  std::string json_path;
};

void report_loading(int64_t done, int64_t total, void* context) {
  auto* progress = static_cast<Progress*>(context);
  progress->set_total(total);
  progress->update(done);
}

void evaluate(const EvaluateOptions& options) {
  Graph graph = load_model_from_options(options.model);
  std::vector<float> mean, std;
  parse_normalisation(options.normalisation, mean, std);
  ModelPreprocessing preprocessing = preprocessing_for_model(graph, options.model.model_path, mean, std);
  std::cerr << "preprocessing: mean/std from " << preprocessing.source << "\n";

  DatasetOptions dataset_options;
  dataset_options.split = split_from_string(options.split);
  if (!options.val_dir.empty()) dataset_options.val_dir = options.val_dir;
  dataset_options.limit = options.limit;
  LabeledImages data;
  {
    Progress loading("load data", 0, "images");
    dataset_options.progress = report_loading;
    dataset_options.progress_context = &loading;
    data = load_dataset(options.data_dir, dataset_options);
  }

  set_compute_threads(options.threads);
  EvaluationOptions evaluation_options;
  evaluation_options.batch_size = options.batch_size;
  std::string runtime = "nacre's executor";
  EvaluationResult result;
  if (options.target.empty()) {
    result = evaluate_classifier(graph, data, preprocessing.preprocessing, evaluation_options);
  } else {
    std::unique_ptr<Target> target = find_target(options.target);
    runtime = target->name();
    result = evaluate_on_target(graph, data, preprocessing.preprocessing, *target, options.batch_size,
                                options.threads > 0 ? options.threads : 1, evaluation_options);
  }

  std::printf("%s on %s (%s): top-1 %.2f%%, top-5 %.2f%%, %lld examples, %.1f images/s\n",
              options.model.model_path.c_str(), data.description.c_str(), runtime.c_str(), 100 * result.top1,
              100 * result.top5, static_cast<long long>(result.examples),
              result.examples / std::max(result.seconds, 1e-9));
  if (!options.json_path.empty()) {
    write_json({{"model", options.model.model_path},
                {"data", options.data_dir},
                {"split", options.split},
                {"runtime", runtime},
                {"accuracy", result.top1},
                {"top5", result.top5},
                {"examples", result.examples},
                {"seconds", result.seconds},
                {"images_per_second", result.examples / std::max(result.seconds, 1e-9)}},
               options.json_path);
  }
}

}  // namespace

void add_evaluate_command(CLI::App& app) {
  auto options = std::make_shared<EvaluateOptions>();
  CLI::App* command =
      app.add_subcommand("evaluate", "Measure a classifier's top-1/top-5 accuracy on your data");
  add_model_options(*command, options->model);
  command
      ->add_option("--data", options->data_dir,
                   "Data folder: IDX files (MNIST/Fashion-MNIST) or ROOT/{train,test}/<class>/*.jpg|png")
      ->required();
  command
      ->add_option("--split", options->split,
                   "test, val (last 10% of each class's training examples) or train (the rest)")
      ->check(CLI::IsMember({"train", "val", "test"}))
      ->capture_default_str();
  command->add_option("--val-dir", options->val_dir,
                      "Your own validation folder (<class>/ subfolders) for --split val");
  add_normalisation_options(*command, options->normalisation, "MODEL.json beside the model");
  command->add_option("--limit", options->limit, "Evaluate only the first N examples of the split");
  command->add_option("--batch-size", options->batch_size, "Examples per forward pass")
      ->capture_default_str();
  command->add_option("--threads", options->threads,
                      "Compute threads (default: LibTorch's choice; 1 with --target)");
  command->add_option(
      "--target", options->target,
      "Run the model in this target's runtime (ort, opencv, torchscript; see 'nacre targets') "
      "instead of nacre's executor, batches of --batch-size, the last one zero-padded");
  command->add_option("--json", options->json_path,
                      "Write accuracy, top5, examples, split as JSON ('-' for stdout)");
  command->footer(
      "Without --mean/--std, nacre reads input.mean and input.std from MODEL.json beside MODEL.onnx if "
      "present.\n"
      "Examples:\n"
      "  nacre evaluate model.onnx --data /usr/share/datasets/fashion-mnist --split val\n"
      "  nacre evaluate resnet18_cifar10.onnx --data data/cifar10 --split test --json result.json\n"
      "  nacre evaluate model.onnx --data data/cifar10 --mean 0.4914,0.4822,0.4465 --std "
      "0.247,0.2435,0.2616\n"
      "  nacre evaluate int8.onnx --data data/cifar10 --split test --target ort   # ONNX Runtime's int8 "
      "kernels");
  command->callback([options] { evaluate(*options); });
}

}  // namespace nacre::cli
