// nacre latency: a model's latency on a target under the measurement protocol, or an interleaved A/B ratio.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/json_output.h"
#include "cli/model_options.h"
#include "cli/target_options.h"
#include "io/onnx/load_model.h"
#include "latency/latency_cache.h"
#include "latency/measure_latency.h"
#include "latency/target_registry.h"
#include "util/error.h"

namespace nacre::cli {

namespace {

struct LatencyOptions {
  ModelOptions model;
  TargetOptions target;
  std::string versus_path;
  std::string json_path;
  std::string cache_dir;
  bool no_cache = false;
  LatencyRequest request;
};

void print_stats(const std::string& label, const LatencyMeasurement& measurement) {
  const LatencyStats& stats = measurement.stats;
  std::printf("%s: median %.4g ms", label.c_str(), stats.median_ms);
  if (stats.median_interval_ms) {
    std::printf(" (95%% interval %.4g-%.4g)", stats.median_interval_ms->low, stats.median_interval_ms->high);
  }
  std::printf(", p10 %.4g, p90 %.4g, %lld runs", stats.p10_ms, stats.p90_ms,
              static_cast<long long>(stats.runs));
  if (measurement.from_cache) std::printf(", from the cache");
  std::printf("\n");
  if (!stats.converged) {
    std::printf(
        "  not converged: stopped at %s with the median's interval wider than +-2%%; the machine is "
        "noisy, these figures include that noise\n",
        stats.stop_reason.c_str());
  }
  if (!measurement.outputs_checked && !measurement.from_cache) {
    std::printf("  outputs not checked: this target does not return them\n");
  }
}

nlohmann::json stats_json(const std::string& model, const LatencyMeasurement& measurement) {
  nlohmann::json json = to_json(measurement.stats);
  json["model"] = model;
  json["from_cache"] = measurement.from_cache;
  json["outputs_checked"] = measurement.outputs_checked;
  return json;
}

void measure(const LatencyOptions& options) {
  std::unique_ptr<Target> target = target_from_options(options.target);
  const LatencyRequest& request = options.request;
  Graph a = load_model_at_batch(options.model.model_path, options.model.input_shape, request.batch);
  std::printf("target %s (%s), batch %lld, %d thread(s), %s\n", target->name().c_str(),
              target->description().c_str(), static_cast<long long>(request.batch), request.threads,
              machine_id().c_str());
  nlohmann::json json = {{"target", target->name()},
                         {"batch", request.batch},
                         {"threads", request.threads},
                         {"machine", machine_id()}};
  if (options.versus_path.empty()) {
    std::optional<LatencyCache> cache;
    if (!options.no_cache)
      cache.emplace(options.cache_dir.empty() ? default_latency_cache_dir() : options.cache_dir);
    LatencyMeasurement result = measure_latency(a, *target, request, cache ? &*cache : nullptr);
    print_stats(options.model.model_path, result);
    json.update(stats_json(options.model.model_path, result));
  } else {
    Graph b = load_model_at_batch(options.versus_path, options.model.input_shape, request.batch);
    LatencyComparison comparison = compare_latency(a, b, *target, request);
    print_stats("a " + options.model.model_path, comparison.a);
    print_stats("b " + options.versus_path, comparison.b);
    std::printf("ratio a/b %.4f (95%% interval %.4f-%.4f), interleaved runs\n", comparison.ratio.ratio,
                comparison.ratio.interval.low, comparison.ratio.interval.high);
    json.update(stats_json(options.model.model_path, comparison.a));
    json["b"] = stats_json(options.versus_path, comparison.b);
    json["ratio"] = comparison.ratio.ratio;
    json["ratio_ci95"] = {comparison.ratio.interval.low, comparison.ratio.interval.high};
  }
  if (!options.json_path.empty()) write_json(json, options.json_path);
}

}  // namespace

void add_latency_command(CLI::App& app) {
  auto options = std::make_shared<LatencyOptions>();
  CLI::App* command = app.add_subcommand(
      "latency", "Measure a model's latency on a target (median, p10, p90), or compare two models A/B");
  add_model_options(*command, options->model);
  add_target_options(*command, options->target, options->request);
  command
      ->add_option("--vs", options->versus_path,
                   "Second model: runs A B A B ... and reports median(A)/median(B)")
      ->check(CLI::ExistingFile);
  command
      ->add_option("--max-seconds", options->request.protocol.max_seconds,
                   "Time cap for the timed runs of one measurement")
      ->capture_default_str();
  command->add_option("--cache-dir", options->cache_dir,
                      "Latency cache folder (default ~/.cache/nacre/latency)");
  command->add_flag("--no-cache", options->no_cache, "Measure even when the cache has this measurement");
  command->add_option(
      "--json", options->json_path,
      "Write target, batch, threads, median_ms, p10_ms, p90_ms, runs (and b, ratio with --vs)");
  command->footer(
      "Protocol: warm-up runs, then timed runs until the 95% interval of the median is within +-2% or the "
      "time\n"
      "cap; outputs are first checked against nacre's executor on a random input. The cmd target runs\n"
      "COMMAND --model PATH --batch B --threads T and reads a JSON line {\"median_ms\": ..., \"times_ms\": "
      "[...]}.\n"
      "Examples:\n"
      "  nacre latency model.onnx --target ort\n"
      "  nacre latency model.onnx --target opencv --batch 32 --threads 2 --json latency.json\n"
      "  nacre latency a.onnx --vs b.onnx --target ort\n"
      "  nacre latency model.onnx --target cmd:./bench_on_phone.sh");
  command->callback([options] { measure(*options); });
}

}  // namespace nacre::cli
