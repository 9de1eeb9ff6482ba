// nacre latency-model: the latency model of a model's search space on a target: every candidate measured in
// place into a table (resumable), and optionally the predictor validated on sampled architectures.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/json_output.h"
#include "cli/model_options.h"
#include "cli/target_options.h"
#include "io/onnx/load_model.h"
#include "latency/block_latency_table.h"
#include "latency/latency_predictor.h"
#include "latency/predictor_validation.h"
#include "latency/target_registry.h"
#include "util/progress.h"
#include "util/seconds_since.h"

namespace nacre::cli {

namespace {

struct LatencyModelOptions {
  ModelOptions model;
  TargetOptions target;
  LatencyRequest request;
  int validate = 0;
  int folds = 5;
  uint64_t seed = 1;
  std::string sampling = "uniform";
  std::string table_path;
  std::string json_path;
  bool alone = false;
};

void print_space(const SearchSpace& space) {
  std::printf("space: %zu blocks, %.4g architectures; candidates per block:", space.candidates.size(),
              space.size());
  for (const auto& candidates : space.candidates) std::printf(" %zu", candidates.size());
  std::printf("\n");
}

BlockLatencyTable build_table(const SearchSpace& space, Target& target, const LatencyModelOptions& options) {
  TableBuildOptions build;
  build.request = options.request;
  build.path = options.table_path;
  build.in_place = !options.alone;
  int64_t total = 0;
  for (const auto& candidates : space.candidates) total += static_cast<int64_t>(candidates.size());
  std::fflush(stdout);  // the progress bar goes to stderr: keep the two in order in a shared log
  Progress progress("measure candidates on " + target.name(), total, "candidates");
  int64_t measured_now = 0;
  build.on_progress = [&](const TableProgress& step) {
    measured_now += !step.reused;
    if (!step.entry->error.empty()) {
      std::fprintf(stderr, "\n  %s: not measured: %s\n", step.entry->candidate_id.c_str(),
                   step.entry->error.c_str());
    }
    progress.update(step.done);
  };
  auto start = std::chrono::steady_clock::now();
  BlockLatencyTable table = build_block_latency_table(space, target, build);
  progress.finish();
  std::printf("table: %lld candidates (%lld measured now, %lld from the table file, %lld failed) in %.1f s",
              static_cast<long long>(table.candidate_count()), static_cast<long long>(measured_now),
              static_cast<long long>(table.candidate_count() - measured_now),
              static_cast<long long>(table.failed_count()), seconds_since(start));
  std::printf("; %.1f s measuring in all builds of this table\n", table.measuring_seconds);
  return table;
}

ValidationReport validate(const SearchSpace& space, Target& target, LatencyPredictor& predictor,
                          const LatencyModelOptions& options, double& seconds, Repeatability& repeatability,
                          std::vector<std::vector<double>>& repeatability_passes) {
  auto start = std::chrono::steady_clock::now();
  std::vector<Architecture> sampled =
      sample_architectures(predictor, options.validate, options.seed, parse_sampling(options.sampling));
  std::fflush(stdout);
  Progress progress("measure sampled architectures end to end", static_cast<int64_t>(sampled.size()),
                    "architectures");
  // Each architecture interleaved with keep-everything: drift of a shared machine cancels in the ratio.
  Architecture reference = keep_everything(space);
  std::vector<double> first =
      measure_architectures_against(space, sampled, reference, target, options.request,
                                    [&](const EndToEndProgress& step) { progress.update(step.done); });
  progress.finish();
  // A second pass says how repeatable the measurements themselves are; their mean is what is predicted.
  Progress again("measure them again (repeatability)", static_cast<int64_t>(sampled.size()), "architectures");
  std::vector<double> second =
      measure_architectures_against(space, sampled, reference, target, options.request,
                                    [&](const EndToEndProgress& step) { again.update(step.done); });
  again.finish();
  seconds = seconds_since(start);
  repeatability = measurement_repeatability(first, second);
  repeatability_passes = {first, second};
  std::vector<double> measured;
  for (size_t i = 0; i < first.size(); ++i) measured.push_back((first[i] + second[i]) / 2);
  ValidationReport report = cross_validate(predictor, sampled, measured, options.folds);
  calibrate(predictor, sampled, measured);  // the predictor a user keeps is fitted on every architecture
  std::printf("validation: %zu architectures measured end to end in %.1f s, %d-fold cross-validation\n",
              sampled.size(), seconds, report.folds);
  std::printf("  within +-10%%: %.1f%%   MAPE: %.2f%%   Kendall tau-b: %.3f (block sum alone: %.3f)\n",
              100 * report.within_10_percent, 100 * report.mape, report.kendall_tau,
              report.kendall_tau_block_sum);
  std::printf(
      "  repeatability of the measurements (pass 2 vs pass 1): within +-10%%: %.1f%%   Kendall tau-b: %.3f\n",
      100 * repeatability.within_10_percent, repeatability.kendall_tau);
  const LatencyCorrection& fit = predictor.correction;
  std::printf(
      "  fitted on all: predicted = %.4f * block sum + %.4f ms per million parameters + %.4f ms per million "
      "MACs %+.4f ms (%s)\n",
      fit.scale, fit.ms_per_million_parameters, fit.ms_per_million_macs, fit.offset, fit.method.c_str());
  return report;
}

void run(const LatencyModelOptions& options) {
  std::unique_ptr<Target> target = target_from_options(options.target);
  require_available(*target);
  std::printf("target %s, batch %lld, %d thread(s), %s\n", target->name().c_str(),
              static_cast<long long>(options.request.batch), options.request.threads, machine_id().c_str());
  SpaceOptions space_options;
  space_options.supported_ops = target->supported_op_types();
  SearchSpace space = build_search_space(
      load_model_at_batch(options.model.model_path, options.model.input_shape, options.request.batch),
      space_options);
  print_space(space);
  auto start = std::chrono::steady_clock::now();
  BlockLatencyTable table = build_table(space, *target, options);
  double table_seconds = seconds_since(start);
  LatencyPredictor predictor = make_latency_predictor(table);
  nlohmann::json json = {
      {"model", options.model.model_path}, {"target", target->name()},
      {"batch", options.request.batch},    {"threads", options.request.threads},
      {"machine", machine_id()},           {"max_seconds", options.request.protocol.max_seconds},
      {"blocks", space.candidates.size()}, {"space_size", space.size()},
      {"table_seconds", table_seconds},    {"table", to_json(table)}};
  nlohmann::json per_block = nlohmann::json::array();
  for (const auto& candidates : space.candidates) per_block.push_back(candidates.size());
  json["candidates_per_block"] = per_block;
  json["candidates"] = table.candidate_count();
  if (options.validate > 0) {
    double seconds = 0;
    Repeatability repeatability;
    std::vector<std::vector<double>> passes;  // each architecture's two end-to-end measurements
    ValidationReport report = validate(space, *target, predictor, options, seconds, repeatability, passes);
    json["validation"] = to_json(report);
    json["validation"]["repeatability"] = {{"within_10_percent", repeatability.within_10_percent},
                                           {"kendall_tau", repeatability.kendall_tau},
                                           {"passes_ms", passes}};
    json["validation"]["seconds"] = seconds;
    json["validation"]["seed"] = options.seed;
    json["validation"]["sampling"] = options.sampling;
  }
  json["predictor"] = to_json(predictor);
  if (!options.json_path.empty()) write_json(json, options.json_path);
}

}  // namespace

void add_latency_model_command(CLI::App& app) {
  auto options = std::make_shared<LatencyModelOptions>();
  CLI::App* command = app.add_subcommand(
      "latency-model",
      "Measure every candidate of the model's search space on a target, and validate the latency predictor");
  add_model_options(*command, options->model);
  add_target_options(*command, options->target, options->request);
  command
      ->add_option("--validate", options->validate,
                   "Sample N architectures, measure each end to end and report how well they are predicted")
      ->check(CLI::NonNegativeNumber);
  command->add_option("--folds", options->folds, "Cross-validation folds of --validate")
      ->capture_default_str()
      ->check(CLI::Range(2, 1000));
  command->add_option("--seed", options->seed, "Seed of the sampled architectures")->capture_default_str();
  command
      ->add_option("--sampling", options->sampling,
                   "How --validate samples: uniform (each block's choice uniform: a narrow band of latency) "
                   "or spread (each architecture keeps a random share of its blocks: near keep-everything "
                   "to near all-replaced)")
      ->capture_default_str()
      ->check(CLI::IsMember({"uniform", "spread"}));
  command->add_option("--table", options->table_path,
                      "Table file (JSON): read to resume, rewritten after every candidate");
  command
      ->add_option("--max-seconds", options->request.protocol.max_seconds,
                   "Time cap of each measurement's timed runs (each candidate, each architecture)")
      ->capture_default_str();
  command
      ->add_option("--min-runs", options->request.protocol.min_runs,
                   "Timed runs each measurement takes at least (more: steadier on a busy machine)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  command->add_option("--json", options->json_path,
                      "Write the space size, the table, the predictor and the validation pairs");
  command->add_flag("--alone", options->alone,
                    "Time every candidate alone at its block's input shape instead of in place (faster, "
                    "blind to what a block costs inside the whole model)");
  command->footer(
      "Each candidate is measured in place: swapped into the keep-everything model and timed interleaved\n"
      "with it (--alone: by itself at its block's input shape); --validate measures each sampled\n"
      "architecture interleaved with keep-everything too, twice (the second pass shows how repeatable the\n"
      "measurements are). The predictor is scale * (sum of the chosen candidates' in-place latencies)\n"
      "+ c * parameters + d * MACs + offset, fitted on the sampled architectures (without --validate: the "
      "plain sum).\n"
      "Examples:\n"
      "  nacre latency-model model.onnx --target torchscript --table table.json\n"
      "  nacre latency-model model.onnx --target ort --validate 50 --seed 3 --json latency_model.json\n"
      "  nacre latency-model model.onnx --target torchscript --validate 50 --sampling spread");
  command->callback([options] { run(*options); });
}

}  // namespace nacre::cli
